import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { firefoxStorageDetector } from './firefox-storage.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

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
  fuzzFlipCutGrow(firefoxStorageDetector, seeds, 100);
});
