import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { firefoxStorageDetector } from './firefox-storage.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Files headless firefox-esr wrote, and near misses under the same names (fixtures/firefox-storage/generate.sh).
testDetector(
  firefoxStorageDetector,
  {
    fixtures: new URL('../../fixtures/firefox-storage/', import.meta.url),
    valid: [
      {
        file: 'metadata/site/.metadata-v2',
        format: 'firefox-origin-metadata',
        status: 'analysable',
        confidence: { min: 0.85 },
        reasons: ['FIREFOX_ORIGIN_METADATA'],
        details: { group: '127.0.0.1', persisted: false, private: false },
      },
      {
        file: 'metadata/chrome/.metadata-v2',
        format: 'firefox-origin-metadata',
        status: 'analysable',
        details: { origin: 'chrome', group: 'chrome', suffix: '', persisted: true },
      },
      { file: 'rkv/data.safe.bin', format: 'rkv-safe-store', status: 'analysable', reasons: ['RKV_SAFE_STORE'] },
    ],
    invalid: [
      // A last access time of 0: the field holds no time.
      { file: 'not/time/.metadata-v2' },
      { file: 'not/text/.metadata-v2' },
      // 5,000 databases: no store has that many.
      { file: 'not/rkv/data.safe.bin' },
      // The layouts under other names: the name says which layout to check, the fields decide.
      { file: 'generate.sh' },
    ],
  },
  { framework: { describe, it } },
);

// The checks run only under their two names, which the catalogue-wide mutation tests do not give: fuzzed here
// (fixed seed) under those names. Every answer is a detection of a declared format or none, never an exception.
describe('fuzz: firefox-storage under its names', () => {
  const seeds: Array<[string, Buffer]> = [
    [
      '.metadata-v2',
      fs.readFileSync(new URL('../../fixtures/firefox-storage/metadata/site/.metadata-v2', import.meta.url)),
    ],
    [
      '.metadata-v2',
      fs.readFileSync(new URL('../../fixtures/firefox-storage/metadata/chrome/.metadata-v2', import.meta.url)),
    ],
    [
      'data.safe.bin',
      fs.readFileSync(new URL('../../fixtures/firefox-storage/rkv/data.safe.bin', import.meta.url)).subarray(0, 16384),
    ],
  ];
  it('no exception on flipped, cut and grown inputs', () => {
    const formats = new Set(firefoxStorageDetector.meta.formats.map((f) => f.id));
    let recognised = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        ([name, seed], flips, cut) => {
          const bytes = Buffer.from(seed.subarray(0, cut % (seed.length + 8)));
          for (const [at, v] of flips) if (bytes.length > 0) bytes[at % bytes.length] = v;
          const d = firefoxStorageDetector.detect(wholeFileProbe(bytes, name), { limits: DEFAULT_LIMITS });
          if (d && !Array.isArray(d)) {
            expect(formats.has((d as { format: { id: string } }).format.id)).toBe(true);
            recognised++;
          }
        },
      ),
      { numRuns: 2000, seed: 1206 },
    );
    expect(recognised).toBeGreaterThan(100);
  });
});
