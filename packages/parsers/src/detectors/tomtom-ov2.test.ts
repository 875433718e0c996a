import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { ov2Records, tomtomOv2Detector } from './tomtom-ov2.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const dir = new URL('../../fixtures/tomtom-ov2/', import.meta.url);

testDetector(
  tomtomOv2Detector,
  {
    fixtures: dir,
    valid: [
      { file: 'home.ov2', format: 'tomtom-ov2', status: 'analysable', reasons: ['OV2_RECORDS'], details: { pois: 1 } },
      {
        file: 'places.ov2',
        format: 'tomtom-ov2',
        status: 'analysable',
        reasons: ['OV2_RECORDS'],
        details: { pois: 5 },
      },
    ],
    invalid: [{ file: 'cut.ov2' }],
  },
  { framework: { describe, it } },
);

describe('OV2 record chains', () => {
  it('accept the head of a larger file only when its records hold up to where the bytes end', () => {
    const b = new Uint8Array(fs.readFileSync(new URL('places.ov2', dir)));
    expect(ov2Records(b.subarray(0, b.length - 3), b.length)?.pois).toBe(4);
    expect(ov2Records(b.subarray(0, b.length - 3))).toBeUndefined();
  });

  it('never throw on mutated copies, and find no chain in random bytes', () => {
    const real = new Uint8Array(fs.readFileSync(new URL('places.ov2', dir)));
    let s = 11;
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
    for (let run = 0; run < 2000; run++) {
      const b = real.slice(0, run % 3 === 0 ? next() % real.length : real.length);
      for (let i = 0, n = 1 + (next() % 8); i < n && b.length > 0; i++) b[next() % b.length] = next() & 0xff;
      expect(() => ov2Records(b, b.length + (run % 2) * 100)).not.toThrow();
    }
    for (let seed = 1; seed <= 500; seed++) expect(ov2Records(seededBytes(seed, 300))).toBeUndefined();
  });
});

describe('OV2 in the pipeline', () => {
  it('is decided before the Musepack SV4 header word that a skipper record also passes', async () => {
    const items = await scanFixtures('tomtom-ov2');
    expect(items.get('home.ov2')?.format?.id).toBe('tomtom-ov2');
    expect(items.get('places.ov2')?.classification.status).toBe('analysable');
  });
});
