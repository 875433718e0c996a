import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { appleSystemRecordsDetector } from './apple-system-records.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
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
      { file: 'store.db', format: 'apple-spotlight-store', status: 'opaque', reasons: ['SPOTLIGHT_STORE_HEADER'] },
    ],
    invalid: [
      { file: 'bad.bsm', name: "a BSM record whose trailer size is not the header's" },
      { file: 'bookshelf.txt', name: 'text that starts with "book"' },
      { file: 'store-random.db', name: '"8tsd" before random bytes' },
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
    // libmagic takes the store's zero-filled header for a FoxPro memo file; the header's own fields decide.
    expect(items.get('store.db')?.classification.status).toBe('opaque');
    expect(items.get('store.db')?.format?.id).toBe('apple-spotlight-store');
    expect(items.get('store-random.db')?.format?.id).not.toBe('apple-spotlight-store');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: apple-system-records', () => {
  fuzzFlipCutGrow(
    appleSystemRecordsDetector,
    ['Documents.bookmark', 'utmpx', 'audit.bsm', 'store.db'].map(
      (f) => ['x', fs.readFileSync(new URL(f, fixtures))] as const,
    ),
    100,
  );
});
