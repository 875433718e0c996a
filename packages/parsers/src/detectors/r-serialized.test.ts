import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { rSerializedDetector, serialHeader } from './r-serialized.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/r-serialized/', import.meta.url);
const DBS = ['zlib.rdb', 'stored.rdb', 'bzip2.rdb', 'xz.rdb'];
const PLAIN = ['people.rds', 'case.RData'];

// Written by R 4.2.2's makeLazyLoadDB, saveRDS and save (fixtures/r-serialized/generate.sh).
testDetector(
  rSerializedDetector,
  {
    fixtures,
    valid: [
      ...DBS.map((file) => ({
        file,
        format: 'r-lazyload-db',
        status: 'analysable' as const,
        reasons: ['R_LAZYLOAD_ENTRY'],
      })),
      ...PLAIN.map((file) => ({
        file,
        format: 'r-serialized',
        status: 'analysable' as const,
        reasons: ['R_SERIALIZED'],
      })),
    ],
    invalid: [{ file: 'zlib-broken.rdb', name: 'a length and a zlib header before a stream that does not inflate' }],
  },
  { framework: { describe, it } },
);

describe('R serialized objects', () => {
  const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

  it('reads the serialization header inside a zlib entry: format and the writing R version', () => {
    const d = rSerializedDetector.detect(
      wholeFileProbe(fs.readFileSync(new URL('zlib.rdb', fixtures)), 'zlib.rdb'),
      ctx,
    ) as { reasons: Array<{ figures?: Record<string, unknown> }> };
    expect(d.reasons[0]?.figures).toMatchObject({ format: 3, writtenBy: '4.2.2' });
    // A reader version R never writes is refused.
    const b = Buffer.from(fs.readFileSync(new URL('people.rds', fixtures)));
    b.writeUInt32BE(0x00030400, 10);
    expect(serialHeader(b, 0)).toBeUndefined();
  });

  it('calls none of 4,000 seeded random buffers behind a length and a zlib header an R entry', () => {
    let seed = 4;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    let hits = 0;
    for (let n = 0; n < 4000; n++) {
      const b = new Uint8Array(512);
      for (let i = 0; i < b.length; i++) b[i] = next();
      b.set([0, 2, n & 0xff, 0x43, 0x78, 0x9c], 0);
      if (rSerializedDetector.detect(wholeFileProbe(b, 'x.bin'), ctx)) hits++;
    }
    expect(hits).toBe(0);
  });

  it('through the whole engine: named and analysable', async () => {
    const items = await scanFixtures('r-serialized');
    for (const file of DBS) expect(items.get(file)?.format?.id, file).toBe('r-lazyload-db');
    for (const file of PLAIN) expect(items.get(file)?.format?.id, file).toBe('r-serialized');
    expect(items.get('zlib-broken.rdb')?.format?.detector).not.toBe('r-serialized');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: r-serialized', () => {
  fuzzFlipCutGrow(
    rSerializedDetector,
    [...DBS, ...PLAIN].map((f) => ['x', fs.readFileSync(new URL(f, fixtures))] as const),
    100,
  );
});
