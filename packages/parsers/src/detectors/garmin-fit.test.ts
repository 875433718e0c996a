import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fitCrc, garminFitDetector } from './garmin-fit.js';

testDetector(
  garminFitDetector,
  {
    fixtures: new URL('../../fixtures/garmin-fit/', import.meta.url),
    valid: [
      {
        file: 'activity.fit',
        format: 'fit',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['FIT_HEADER'],
        details: { fileType: 'activity', dataSize: 179 },
      },
    ],
    invalid: [{ file: 'bad-header-crc.fit' }, { file: 'bad-file-crc.fit' }],
  },
  { framework: { describe, it } },
);

describe('fitCrc', () => {
  it('is CRC-16/ARC (check value of "123456789" is 0xBB3D)', () => {
    expect(fitCrc(new TextEncoder().encode('123456789'), 0, 9)).toBe(0xbb3d);
  });
});

describe('FIT on damaged bytes', () => {
  it('never throws on mutated and cut copies, and names only files whose CRCs hold', () => {
    const real = new Uint8Array(fs.readFileSync(new URL('../../fixtures/garmin-fit/activity.fit', import.meta.url)));
    let s = 3;
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
    for (let run = 0; run < 3000; run++) {
      const b = real.slice(0, run % 3 === 0 ? next() % real.length : real.length);
      for (let i = 0, n = 1 + (next() % 4); i < n && b.length > 14; i++)
        b[14 + (next() % (b.length - 14))] = next() & 0xff;
      const probe = {
        path: 'a.fit',
        logicalPath: 'a.fit',
        name: 'a.fit',
        extension: 'fit',
        size: b.length,
        head: b,
        tail: new Uint8Array(0),
        samples: [],
        complete: true,
      };
      const d = garminFitDetector.detect(probe, {} as never);
      // Whole files are checked end to end: a changed byte after the header is caught by the file CRC.
      if (d && b.length === real.length) expect(fitCrc(b, 0, b.length)).toBe(0);
    }
  });
});
