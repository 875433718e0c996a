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
      {
        file: 'cut.jks',
        name: 'cut in the middle of its entries: every entry before the cut a certificate, readable',
        status: 'analysable',
        details: { entries: 24, privateKeys: 0, walkedAll: false, cutShort: true },
      },
      // fixtures/java-keystore-entries/cut-pad/make.sh: the stores above followed by zeros to a 512-byte sector.
      {
        file: 'cut-pad/big-truststore-padded.jks',
        status: 'analysable',
        details: { entries: 24, trustedCertificates: 24, walkedAll: true, digestAtEnd: true, zeroPaddingBytes: 437 },
      },
      {
        file: 'cut-pad/cut-padded.jks',
        name: 'cut, then padded: the zeros where the next entry should start end the walk as a cut',
        status: 'analysable',
        details: { privateKeys: 0, walkedAll: false, cutShort: true },
      },
    ],
    invalid: [
      {
        file: 'cut-pad/bad-tag.jks',
        name: 'an entry tag no store writes: not a cut, the walk is left unread',
        diagnostics: ['KEYSTORE_ENTRIES_UNREAD'],
      },
    ],
  },
  { framework: { describe, it } },
);

describe('java keystores in a scan: the detector sees the head, the parser every entry', () => {
  it('calls a large truststore readable, whole, cut short or padded, and keeps a store with a key encrypted', async () => {
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
    // Cut short with only certificates before the cut: readable, and the reason says it is cut short.
    const cut = items.get('cut.jks')!;
    expect(cut.classification.status).toBe('analysable');
    expect(cut.format?.id).toBe('jks-truststore');
    const reason = cut.classification.reasons.find((r) => r.code === 'KEYSTORE_CUT_SHORT_CERTIFICATES');
    expect(reason?.figures).toMatchObject({ entries: 24, fileBytes: 9765 });
    const padded = items.get('cut-pad/big-truststore-padded.jks')!;
    expect(padded.classification.reasons.map((r) => r.code)).toContain('TRAILING_ZERO_PADDING');
    expect(padded.classification.status).toBe('analysable');
  });
});
