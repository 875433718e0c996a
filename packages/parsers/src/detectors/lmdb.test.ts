import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { lmdbDetector } from './lmdb.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Stores made by mdb_load; a near miss (generate.sh).
testDetector(
  lmdbDetector,
  {
    fixtures: new URL('../../fixtures/lmdb/', import.meta.url),
    valid: [
      {
        file: 'env/data.mdb',
        format: 'lmdb',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['LMDB_META_PAGES'],
      },
      { file: 'single.mdb', format: 'lmdb', status: 'analysable', reasons: ['LMDB_META_PAGES'] },
      // The lock files mdb_load left (libmagic: "Compiled PSI (v1) data").
      { file: 'env/lock.mdb', format: 'lmdb-lock', status: 'analysable', reasons: ['LMDB_LOCK_HEADER'] },
      { file: 'single.mdb-lock', format: 'lmdb-lock', status: 'analysable', reasons: ['LMDB_LOCK_HEADER'] },
    ],
    invalid: [{ file: 'magic-then-random.bin', name: 'the first meta page header and magic, then random bytes' }],
  },
  { framework: { describe, it } },
);

describe('LMDB through the pipeline', () => {
  it("names an environment's data file and a single-file store (libmagic has no rule: unrecognised binary)", async () => {
    const items = await scanFixtures('lmdb');
    expect(items.get('env/data.mdb')!.format).toMatchObject({ id: 'lmdb', detector: 'lmdb', extensionMismatch: false });
    expect(items.get('env/data.mdb')!.classification.reasons[0]!.figures).toMatchObject({
      pageSize: 4096,
      wordBits: 64,
    });
    expect(items.get('single.mdb')!.classification.status).toBe('analysable');
    expect(items.get('magic-then-random.bin')!.format?.id).not.toBe('lmdb');
  });
});
