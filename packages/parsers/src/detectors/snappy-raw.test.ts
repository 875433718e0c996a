import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { snappyRawDetector, walkSnappy } from './snappy-raw.js';

testDetector(
  snappyRawDetector,
  {
    fixtures: new URL('../../fixtures/snappy-raw/', import.meta.url),
    valid: [
      { file: 'prose.txt.rawsnappy', format: 'snappy-raw', status: 'opaque', reasons: ['SNAPPY_RAW_DECODED'] },
      { file: 'records.bin.rawsnappy', format: 'snappy-raw', status: 'opaque', reasons: ['SNAPPY_RAW_DECODED'] },
      // Longer than the probe's head: decoded as far as the head goes.
      { file: 'big.rawsnappy', format: 'snappy-raw', status: 'opaque', reasons: ['SNAPPY_RAW_DECODED'] },
    ],
    invalid: [{ file: 'cut.rawsnappy' }, { file: 'two-blocks.bin' }],
  },
  { framework: { describe, it } },
);

describe('the Snappy element walk', () => {
  it('tracks lengths without producing the output, whatever the preamble declares', () => {
    // A literal "abcd" then a copy of 8 bytes at offset 4: 12 bytes out of a declared 4 GiB.
    const block = Uint8Array.from([3 << 2, 0x61, 0x62, 0x63, 0x64, 1 | ((8 - 4) << 2), 4]);
    expect(walkSnappy(block, 0, 2 ** 32 - 1)).toEqual({ produced: 12, copies: 1, consumed: 7, cut: false });
  });

  it('rejects a copy that reaches before the start, or of offset 0, or past the declared length', () => {
    expect(walkSnappy(Uint8Array.from([0, 0x61, 1, 5]), 0, 100)).toBeUndefined();
    expect(walkSnappy(Uint8Array.from([0, 0x61, 1, 0]), 0, 100)).toBeUndefined();
    expect(walkSnappy(Uint8Array.from([0, 0x61, 1, 1]), 0, 3)).toBeUndefined();
  });

  it('stops at a literal whose length runs past the bytes held (a head that ends mid-block)', () => {
    // A literal with a 4-byte length of 2^32 - 1 bytes: nothing is allocated, the walk reports the cut.
    expect(walkSnappy(Uint8Array.from([63 << 2, 0xfe, 0xff, 0xff, 0xff, 0x61]), 0, 2 ** 32)).toEqual({
      produced: 0,
      copies: 0,
      consumed: 0,
      cut: true,
    });
  });
});

describe('random bytes', () => {
  it('are never a raw Snappy block, whole or cut by the head, even with a plausible length preamble', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const size = 16 + ((seed * 97) % 3000);
      const head = seededBytes(seed, size);
      // Half of them start with a one-byte length, as a real block of a few dozen bytes would.
      if (seed & 1) head[0] = 16 + (seed % 100);
      for (const whole of [true, false]) {
        const probe = {
          path: 'x',
          logicalPath: 'x',
          name: 'x',
          extension: '',
          size: whole ? size : size * 4,
          head,
          tail: new Uint8Array(),
          samples: [],
          complete: whole,
        };
        expect(
          snappyRawDetector.detect(probe, { limits: { probeHeadBytes: 16384, probeTailBytes: 8192 } }),
        ).toBeUndefined();
      }
    }
  });
});
