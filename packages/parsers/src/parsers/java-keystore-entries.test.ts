import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { testParser } from '@evtriage/core/testing';
import { builtinContainers, builtinPlugins } from '../index.js';
import { javaKeystoreEntriesParser } from './java-keystore-entries.js';

// Made by keytool (fixtures/java-keystore-entries/generate.sh): stores larger than the detector's probe head.
const fixtures = new URL('../../fixtures/java-keystore-entries/', import.meta.url);

testParser(
  javaKeystoreEntriesParser,
  {
    fixtures,
    format: 'jks',
    valid: [
      {
        file: 'big-truststore.jks',
        status: 'analysable',
        details: { entries: 24, trustedCertificates: 24, privateKeys: 0, walkedAll: true, digestAtEnd: true },
      },
      {
        file: 'big-with-key.jks',
        details: { entries: 25, trustedCertificates: 24, privateKeys: 1, walkedAll: true, digestAtEnd: true },
      },
    ],
    invalid: [{ file: 'cut.jks', diagnostics: ['KEYSTORE_ENTRIES_UNREAD'] }],
  },
  { framework: { describe, it } },
);

describe('java keystores in a scan: the detector sees the head, the parser every entry', () => {
  it('calls a large truststore readable and keeps a store with a key, or cut short, encrypted', async () => {
    const items = new Map<string, EvidenceItem>();
    const source = new FolderSource(fileURLToPath(fixtures));
    for await (const item of scan(source, { plugins: builtinPlugins, containers: builtinContainers }))
      items.set(item.path, item);
    const trust = items.get('big-truststore.jks')!;
    expect(trust.classification.status).toBe('analysable');
    expect(trust.format?.id).toBe('jks-truststore');
    expect(trust.encryption).toBeUndefined();
    expect(trust.classification.reasons.map((r) => r.code)).toContain('KEYSTORE_CERTIFICATES_ONLY');
    const withKey = items.get('big-with-key.jks')!;
    expect(withKey.classification.status).toBe('encrypted');
    expect(withKey.encryption?.scheme).toBe('jks-sha1-xor');
    const cut = items.get('cut.jks')!;
    expect(cut.classification.status).toBe('encrypted');
    expect(cut.errors.map((e) => e.code)).toContain('KEYSTORE_ENTRIES_UNREAD');
  });
});
