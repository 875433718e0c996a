import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { systemdCredentialsDetector } from './systemd-credentials.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/systemd-credentials/', import.meta.url);
const hostCred = 'etc/credstore.encrypted/dbpass';

// Made by systemd-creds 252 (fixtures/systemd-credentials/generate.sh).
testDetector(
  systemdCredentialsDetector,
  {
    fixtures,
    valid: [
      { file: hostCred, format: 'systemd-credential', status: 'encrypted', reasons: ['SYSTEMD_CREDENTIAL'] },
      { file: 'smtp.conf', format: 'systemd-credential', status: 'encrypted', reasons: ['SYSTEMD_CREDENTIAL'] },
      { file: 'raw-host.cred', format: 'systemd-credential', status: 'encrypted', reasons: ['SYSTEMD_CREDENTIAL'] },
      // The --pretty line in a service drop-in, under [Service] and a clear setting: the credential is ciphertext.
      {
        file: 'etc/systemd/system/mail.service.d/50-smtp.conf',
        format: 'systemd-credential',
        status: 'encrypted',
        reasons: ['SYSTEMD_CREDENTIAL'],
        encryption: { scheme: 'systemd-creds-aes256-gcm-host', scope: 'partial' },
      },
      {
        file: 'null-key.cred',
        format: 'systemd-credential-null-key',
        status: 'opaque',
        reasons: ['SYSTEMD_CREDENTIAL_NULL_KEY'],
      },
    ],
    invalid: [
      { file: 'random-base64.txt', name: 'base64 of random bytes' },
      {
        file: 'etc/systemd/system/mail.service.d/40-clear.conf',
        name: 'a credential passed in clear (SetCredential=)',
      },
      { file: 'credentials-howto.md', name: 'a document quoting a drop-in with a credential after prose' },
    ],
  },
  { framework: { describe, it } },
);

describe('systemd credentials through the whole engine', () => {
  it('calls host-key credentials encrypted with the host key to look for, in every encoding', async () => {
    const items = await scanFixtures('systemd-credentials');
    for (const name of [hostCred, 'smtp.conf', 'raw-host.cred']) {
      const item = items.get(name);
      expect(item?.classification.status, name).toBe('encrypted');
      expect(item?.encryption?.scheme, name).toBe('systemd-creds-aes256-gcm-host');
      expect(item?.encryption?.keyHint?.lookFor, name).toEqual(['**/var/lib/systemd/credential.secret']);
    }
    expect(items.get('null-key.cred')?.classification.status).toBe('opaque');
    expect(items.get('random-base64.txt')?.classification.status).not.toBe('encrypted');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: systemd-credentials', () => {
  fuzzFlipCutGrow(
    systemdCredentialsDetector,
    [hostCred, 'smtp.conf', 'raw-host.cred', 'null-key.cred'].map(
      (name) => [name, fs.readFileSync(new URL(name, fixtures))] as const,
    ),
    100,
  );
});
