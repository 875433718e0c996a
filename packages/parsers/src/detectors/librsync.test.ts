import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { librsyncDetector } from './librsync.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Signatures and deltas made by rdiff 2.3 and duplicity 0.8.22 (generate.sh); near misses.
const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 8192 }, signal: new AbortController().signal };
const sig = (file: string) => ({
  file,
  format: 'librsync-signature',
  status: 'analysable' as const,
  reasons: ['LIBRSYNC_SIGNATURE'],
});
const delta = (file: string) => ({
  file,
  format: 'librsync-delta',
  status: 'analysable' as const,
  reasons: ['LIBRSYNC_DELTA'],
});

testDetector(
  librsyncDetector,
  {
    fixtures: new URL('../../fixtures/librsync/', import.meta.url),
    valid: [
      sig('blake2-rabinkarp.sig'),
      sig('md4-rollsum.sig'),
      sig('short-sum.sig'),
      sig('empty-basis.sig'),
      sig('duplicity-report.csv.sig'),
      delta('edit.delta'),
      delta('literal-only.delta'),
    ],
    invalid: [
      { file: 'near-cut.sig', name: 'a signature one byte short (entries not whole)' },
      { file: 'near-text.txt', name: 'text starting with the delta magic' },
    ],
  },
  { framework: { describe, it } },
);

describe('librsync signatures and deltas', () => {
  it('reads the hash, block length and entry count, and walks a delta to its END', async () => {
    const items = await scanFixtures('librsync');
    expect(items.get('md4-rollsum.sig')!.classification.reasons[0]!.figures).toMatchObject({
      hash: 'MD4',
      blockLength: 256,
      strongLength: 16,
      blocks: 37,
    });
    // The signature duplicity keeps per file, opaque before (its sums read as random after the header).
    expect(items.get('duplicity-report.csv.sig')!.classification).toMatchObject({ status: 'analysable' });
    expect(items.get('edit.delta')!.classification.reasons[0]!.figures).toMatchObject({ complete: true });
    expect(items.get('near-cut.sig')!.format?.id).not.toBe('librsync-signature');
  });

  it('refuses reserved opcodes, zero-length copies and an END before the last byte', () => {
    const d = (...b: number[]) => wholeFileProbe(Uint8Array.from([0x72, 0x73, 0x02, 0x36, ...b]), 'x.delta');
    expect(librsyncDetector.detect(d(0x41, 2, 0x61, 0x62, 0x00), ctx)).toMatchObject({
      format: { id: 'librsync-delta' },
    });
    expect(librsyncDetector.detect(d(0x41, 2, 0x61, 0x62, 0x60, 0x00), ctx)).toBeUndefined();
    expect(librsyncDetector.detect(d(0x45, 0, 0, 0x00), ctx)).toBeUndefined();
    expect(librsyncDetector.detect(d(0x41, 1, 0x61, 0x00, 0x00), ctx)).toBeUndefined();
  });
});
