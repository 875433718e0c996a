import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { builtinContainers, builtinPlugins } from '../index.js';
import { remoteAccessStoresDetector } from './remote-access-stores.js';

// Written from each tool's source and published format, with real ciphers (fixtures/remote-access-stores/generate.sh).
testDetector(
  remoteAccessStoresDetector,
  {
    fixtures: new URL('../../fixtures/remote-access-stores/', import.meta.url),
    valid: [
      {
        file: 'mremoteng-default/confCons.xml',
        format: 'mremoteng-connections',
        status: 'analysable',
        reasons: ['MREMOTENG_BUILTIN_KEY'],
      },
      {
        file: 'mremoteng-password/confCons.xml',
        format: 'mremoteng-connections-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['MREMOTENG_MASTER_PASSWORD'],
        encryption: { scheme: 'mremoteng-aes-gcm', scope: 'partial', keyHint: { kind: 'password' } },
      },
      {
        file: 'mremoteng-full/confCons.xml',
        format: 'mremoteng-connections-encrypted',
        status: 'encrypted',
        reasons: ['MREMOTENG_MASTER_PASSWORD'],
        encryption: { scheme: 'mremoteng-aes-gcm', scope: 'full' },
      },
      {
        file: 'filezilla-master/sitemanager.xml',
        format: 'filezilla-sites-encrypted',
        status: 'encrypted',
        reasons: ['FILEZILLA_CRYPT_PASSWORDS'],
        encryption: { scope: 'partial', keyHint: { kind: 'password' } },
      },
      {
        file: 'credentials.xml',
        format: 'jenkins-secrets',
        status: 'encrypted',
        reasons: ['JENKINS_SECRETS'],
        encryption: {
          scheme: 'jenkins-hudson-secret-aes-128-cbc',
          scope: 'partial',
          keyHint: { kind: 'key-file', lookFor: ['**/secrets/master.key', '**/secrets/hudson.util.Secret'] },
        },
      },
      {
        file: 'Wlansvc/Profiles/Interfaces/{3C1D2E4F-5A6B-4C7D-8E9F-0A1B2C3D4E5F}/{7B2A1C3D-4E5F-4061-8273-94A5B6C7D8E9}.xml',
        format: 'windows-wlan-profile-protected',
        status: 'encrypted',
        reasons: ['WLAN_PROFILE_DPAPI'],
        encryption: { scheme: 'dpapi', scope: 'partial', keyHint: { kind: 'key-file' } },
      },
      {
        file: 'saved.rdp',
        format: 'rdp-saved-password',
        status: 'encrypted',
        reasons: ['RDP_DPAPI_PASSWORD'],
        encryption: {
          scheme: 'dpapi',
          keyHint: { lookFor: ['**/Protect/S-1-*/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'] },
        },
      },
      {
        file: 'remmina/1700000000000.remmina',
        format: 'remmina-profile-password',
        status: 'encrypted',
        reasons: ['REMMINA_PASSWORD'],
        encryption: { scheme: 'remmina-3des-cbc', keyHint: { kind: 'key-file' } },
      },
      { file: 'WinSCP.ini', format: 'winscp-config', status: 'analysable', reasons: ['WINSCP_OBFUSCATED_PASSWORDS'] },
      {
        file: 'winscp-master/WinSCP.ini',
        format: 'winscp-config-encrypted',
        status: 'encrypted',
        reasons: ['WINSCP_MASTER_PASSWORD'],
        encryption: { keyHint: { kind: 'password' } },
      },
      {
        file: 'dbeaver/.dbeaver/credentials-config.json',
        format: 'dbeaver-credentials',
        status: 'analysable',
        reasons: ['DBEAVER_BUILTIN_KEY'],
      },
      {
        file: 'sqldeveloper/connections.json',
        format: 'sqldeveloper-connections-encrypted',
        status: 'encrypted',
        reasons: ['SQLDEVELOPER_SYSTEM_ID_PASSWORDS'],
        encryption: { scheme: 'sqldeveloper-aes-cbc-system-id', scope: 'partial', keyHint: { kind: 'key-file' } },
      },
      {
        file: 'sqldeveloper-4/connections.xml',
        format: 'sqldeveloper-connections-encrypted',
        status: 'encrypted',
        reasons: ['SQLDEVELOPER_SYSTEM_ID_PASSWORDS'],
      },
      {
        file: 'sqldeveloper-3/connections.xml',
        format: 'sqldeveloper-connections',
        status: 'analysable',
        reasons: ['SQLDEVELOPER_SELF_KEYED_PASSWORDS'],
      },
      {
        file: 'connections.ncx',
        format: 'navicat-connections',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['NAVICAT_PUBLISHED_KEY'],
      },
      // With a line feed appended (appended/make.sh): set aside and named.
      {
        file: 'appended/jenkins_home/secrets/hudson.util.Secret',
        format: 'jenkins-confidential-store',
        status: 'encrypted',
        reasons: ['JENKINS_CONFIDENTIAL_STORE', 'TRAILING_DATA'],
      },
      {
        file: 'jenkins_home/secrets/hudson.util.Secret',
        format: 'jenkins-confidential-store',
        status: 'encrypted',
        reasons: ['JENKINS_CONFIDENTIAL_STORE'],
        encryption: {
          scheme: 'jenkins-confidential-aes-128-ecb',
          keyHint: { kind: 'key-file', lookFor: ['**/secrets/master.key'] },
        },
      },
      {
        file: 'jenkins_home/secrets/jenkins.model.Jenkins.crumbSalt',
        format: 'jenkins-confidential-store',
        status: 'encrypted',
      },
      {
        file: 'jenkins_home/secrets/org.jenkinsci.main.modules.instance_identity.InstanceIdentity.KEY',
        format: 'jenkins-confidential-store',
        status: 'encrypted',
      },
    ],
    invalid: [
      {
        file: 'appended/jenkins_home/secrets/jenkins.model.Jenkins.crumbSalt',
        name: 'a store file with a byte appended that is no line end or NUL (not whole AES blocks)',
      },
      { file: 'jenkins_home/secrets/master.key', name: 'the master key itself: hex text, in clear' },
      { file: 'jenkins_home/secrets/slave-agent.bin', name: 'a 40-byte file in secrets/ (not whole AES blocks)' },
      { file: 'dpapi-notes.txt', name: 'a note quoting the DPAPI base64 opening with no blob after it' },
      { file: 'filezilla-plain/sitemanager.xml', name: 'FileZilla passwords in base64: plain, nothing claimed' },
      { file: 'Wi-Fi-HomeNet.xml', name: 'a Wi-Fi profile exported with key=clear' },
      { file: 'plain.rdp', name: 'an .rdp file without a saved password' },
      // DPAPI values in other text are the dpapi-text detector's (the whole-pipeline test below).
      { file: 'servers.rdg', name: "RDCMan's DPAPI-protected password: dpapi-text's" },
      { file: 'App.exe.config', name: "a .NET setting protected by DPAPI: dpapi-text's" },
      {
        file: 'dbeaver-other-key/.dbeaver/credentials-config.json',
        name: 'AES data under a key that is not DBeaver’s',
      },
      { file: 'generate.sh', name: 'the generator script' },
    ],
  },
  { framework: { describe, it } },
);

describe('remote-access stores through the whole pipeline', () => {
  it('decide over the generic XML, JSON and text readings and over statistics', async () => {
    const root = fileURLToPath(new URL('../../fixtures/', import.meta.url));
    const items: EvidenceItem[] = [];
    for (const folder of ['remote-access-stores', 'windows-vault'])
      for await (const item of scan(new FolderSource(path.join(root, folder)), {
        plugins: builtinPlugins,
        containers: builtinContainers,
      }))
        items.push(item);
    const got = Object.fromEntries(
      items.map((i) => [i.logicalPath ?? i.path, `${i.classification.status} ${i.format?.id ?? '-'}`]),
    );
    expect(got).toMatchObject({
      'mremoteng-default/confCons.xml': 'analysable mremoteng-connections',
      'mremoteng-password/confCons.xml': 'encrypted mremoteng-connections-encrypted',
      'credentials.xml': 'encrypted jenkins-secrets',
      'jenkins_home/secrets/hudson.util.Secret': 'encrypted jenkins-confidential-store',
      'saved.rdp': 'encrypted rdp-saved-password',
      // DPAPI values in other text: the dpapi-text detector's, one way for every such file.
      'servers.rdg': 'encrypted dpapi-blob-text',
      'App.exe.config': 'encrypted dpapi-blob-text',
      'sqldeveloper/connections.json': 'encrypted sqldeveloper-connections-encrypted',
      'dbeaver/.dbeaver/credentials-config.json': 'analysable dbeaver-credentials',
      'Policy.vpol': 'encrypted windows-vault-policy',
      '2F6A8C1B9D3E4F5061728394A5B6C7D8E9F00112.vcrd': 'encrypted windows-vault-credential',
      'Protect/S-1-5-21-1004336348-1177238915-682003330-1001/Preferred': 'analysable dpapi-preferred',
    });
  }, 60_000);
});
