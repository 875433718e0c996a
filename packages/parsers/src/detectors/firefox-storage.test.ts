import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { firefoxStorageDetector } from './firefox-storage.js';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { fuzzFlipCutGrow, readProbe, wholeFileProbe } from './probe.test-helper.js';

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
      { file: 'generate.sh' },
      // Under other names: an origin neither a URL nor "chrome"; the store's first 4 KiB alone, whose entries
      // do not end with the file.
      { file: 'not/origin.bin' },
      { file: 'not/rkv-first-page.bin' },
    ],
  },
  { framework: { describe, it } },
);

describe('firefox-storage under other names', () => {
  const read = (name: string) =>
    new Uint8Array(fs.readFileSync(new URL(`../../fixtures/firefox-storage/${name}`, import.meta.url)));
  const detect = (b: Uint8Array, name: string) =>
    firefoxStorageDetector.detect(readProbe(b, name), { limits: DEFAULT_LIMITS }) as Detection | undefined;

  it('takes the origin metadata by its fields and its origin, with the lower-confidence reason', () => {
    for (const file of ['metadata/site/.metadata-v2', 'metadata/chrome/.metadata-v2']) {
      const bare = detect(read(file), 'f');
      expect(bare).toMatchObject({ format: { id: 'firefox-origin-metadata' }, status: 'analysable' });
      expect(bare?.reasons[0]?.code).toBe('FIREFOX_ORIGIN_METADATA_STRUCTURE');
      expect(bare!.confidence).toBeLessThan(detect(read(file), '.metadata-v2')!.confidence);
    }
    expect(detect(read('metadata/site/.metadata-v2'), 'f.bin')?.reasons[0]?.figures).toMatchObject({
      origin: 'http://127.0.0.1:28496',
    });
    // Under its own name the origin's form is not asked.
    expect(detect(read('not/origin.bin'), '.metadata-v2')?.format.id).toBe('firefox-origin-metadata');
  });

  it('takes the rkv store when its entries chain through the bytes read (the file is 101,790 bytes)', () => {
    const bare = detect(read('rkv/data.safe.bin'), 'f');
    expect(bare).toMatchObject({ format: { id: 'rkv-safe-store' }, status: 'analysable' });
    expect(bare?.reasons[0]).toMatchObject({ code: 'RKV_SAFE_STORE_STRUCTURE', figures: { databases: 1 } });
    expect((bare?.reasons[0]?.figures as { chainedEntries: number }).chainedEntries).toBeGreaterThanOrEqual(8);
    // The whole store in view: its entries end with the file.
    const whole = firefoxStorageDetector.detect(wholeFileProbe(read('rkv/data.safe.bin'), 'f'), {
      limits: DEFAULT_LIMITS,
    }) as Detection | undefined;
    expect(whole?.reasons[0]?.figures).toMatchObject({ chainedEntries: 133 });
    // One byte more and the entries no longer end with the file.
    const grown = new Uint8Array(read('rkv/data.safe.bin').length + 1);
    grown.set(read('rkv/data.safe.bin'));
    expect(firefoxStorageDetector.detect(wholeFileProbe(grown, 'f'), { limits: DEFAULT_LIMITS })).toBeUndefined();
  });
});

// The named checks run only under their two names, which the catalogue-wide mutation tests do not give: fuzzed
// here (fixed seed) under those names. Every answer is a detection of a declared format or none, never an exception.
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
