import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { baculaDetector } from './bacula.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// File volumes written by Bacula 9.6.7's storage daemon, two with PKI data encryption (generate.sh); near misses.
const fixtures = new URL('../../fixtures/bacula/', import.meta.url);
const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 8192 }, signal: new AbortController().signal };
const enc = (file: string) => ({
  file,
  format: 'bacula-volume-encrypted',
  status: 'encrypted' as const,
  reasons: ['BACULA_ENCRYPTED_STREAMS'],
  encryption: { scheme: 'bacula-pki-aes-128-cbc', scope: 'full' as const, keyHint: { kind: 'key-file' as const } },
});
const clear = (file: string) => ({
  file,
  format: 'bacula-volume',
  status: 'analysable' as const,
  reasons: ['BACULA_VOLUME'],
});

testDetector(
  baculaDetector,
  {
    fixtures,
    valid: [clear('Plain-0001'), clear('Plain-0002'), enc('Enc-0003'), enc('Enc-0004')],
    invalid: [
      { file: 'near-cut-label', name: 'a volume cut inside its label record' },
      { file: 'near-text.txt', name: 'text with the block magic at offset 12' },
    ],
  },
  { framework: { describe, it } },
);

describe('Bacula volumes', () => {
  it('reads the label and the streams: encrypted data (20, 23) behind a wrapped session key (22)', async () => {
    const items = await scanFixtures('bacula');
    expect(items.get('Enc-0003')!.classification.reasons[0]!.figures).toMatchObject({
      label: 'Bacula 1.0 immortal',
      streams: '1,3,19,20,22',
      cipher: 'aes-128-cbc',
    });
    expect(items.get('Enc-0004')!.classification.reasons[0]!.figures).toMatchObject({ streams: '1,3,19,22,23' });
    // libmagic names every one a "Bareos volume"; the clear ones stay analysable.
    expect(items.get('Plain-0002')!.classification.reasons[0]!.figures).toMatchObject({ streams: '1,3,4' });
  });

  it('refuses a first block whose first record is not a volume label', () => {
    const bytes = new Uint8Array(fs.readFileSync(new URL('Plain-0001', fixtures)));
    const relabelled = Uint8Array.from(bytes);
    relabelled.set([0, 0, 0, 5], 24); // file index 5: a data record, not the label
    expect(baculaDetector.detect(wholeFileProbe(bytes, 'v'), ctx)).toMatchObject({ format: { id: 'bacula-volume' } });
    expect(baculaDetector.detect(wholeFileProbe(relabelled, 'v'), ctx)).toBeUndefined();
  });
});
