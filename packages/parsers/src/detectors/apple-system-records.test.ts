import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { appleSystemRecordsDetector } from './apple-system-records.js';
import { wholeFileProbe } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/apple-system-records/', import.meta.url);

// Written from dtformats' layouts and OpenBSM's header (fixtures/apple-system-records/generate.py).
testDetector(
  appleSystemRecordsDetector,
  {
    fixtures,
    valid: [
      {
        file: 'Documents.bookmark',
        format: 'apple-bookmark-data',
        status: 'opaque',
        reasons: ['BOOKMARK_DATA_HEADER'],
      },
      { file: 'utmpx', format: 'utmpx', status: 'opaque', reasons: ['UTMPX_SIGNATURE'] },
      { file: 'audit.bsm', format: 'bsm-audit', status: 'opaque', reasons: ['BSM_RECORD_TOKENS'] },
    ],
    invalid: [
      { file: 'bad.bsm', name: "a BSM record whose trailer size is not the header's" },
      { file: 'bookshelf.txt', name: 'text that starts with "book"' },
    ],
  },
  { framework: { describe, it } },
);

describe('Apple system records through the whole engine', () => {
  it('named, and kept opaque', async () => {
    const items = await scanFixtures('apple-system-records');
    expect(items.get('Documents.bookmark')?.format?.id).toBe('apple-bookmark-data');
    expect(items.get('utmpx')?.classification.status).toBe('opaque');
    expect(items.get('audit.bsm')?.format?.id).toBe('bsm-audit');
    expect(items.get('bookshelf.txt')?.format?.id).toBe('text');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: apple-system-records', () => {
  const seeds = ['Documents.bookmark', 'utmpx', 'audit.bsm'].map((f) => fs.readFileSync(new URL(f, fixtures)));
  it('no exception on flipped, cut and grown inputs', () => {
    const formats = new Set(appleSystemRecordsDetector.meta.formats.map((f) => f.id));
    let recognised = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        (seed, flips, cut) => {
          const bytes = Buffer.from(seed.subarray(0, cut % (seed.length + 8)));
          for (const [at, v] of flips) if (bytes.length > 0) bytes[at % bytes.length] = v;
          const d = appleSystemRecordsDetector.detect(wholeFileProbe(bytes, 'x'), { limits: DEFAULT_LIMITS });
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
