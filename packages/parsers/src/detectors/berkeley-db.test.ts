import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { berkeleyDbDetector, berkeleyDbRegionDetector } from './berkeley-db.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Databases made by db5.3_load, plain and with -P (AES); logs of environments opened with a password
// (libberkeleydb-perl, db5.3_recover -P); near misses (generate.sh).
testDetector(
  berkeleyDbDetector,
  {
    fixtures: new URL('../../fixtures/berkeley-db/', import.meta.url),
    valid: [
      { file: 'btree.db', format: 'berkeley-db', status: 'analysable', reasons: ['BERKELEY_DB_METADATA'] },
      { file: 'hash.db', format: 'berkeley-db', status: 'analysable', reasons: ['BERKELEY_DB_METADATA'] },
      { file: 'recno.db', format: 'berkeley-db', status: 'analysable', reasons: ['BERKELEY_DB_METADATA'] },
      {
        file: 'btree-aes.db',
        format: 'berkeley-db-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['BERKELEY_DB_ENCRYPT_ALG'],
      },
      {
        file: 'hash-aes.db',
        format: 'berkeley-db-encrypted',
        status: 'encrypted',
        reasons: ['BERKELEY_DB_ENCRYPT_ALG'],
      },
      {
        file: 'queue-aes.db',
        format: 'berkeley-db-encrypted',
        status: 'encrypted',
        reasons: ['BERKELEY_DB_ENCRYPT_ALG'],
      },
      {
        file: 'env-aes/log.0000000001',
        format: 'berkeley-db-log-encrypted',
        status: 'encrypted',
        confidence: 0.9,
        reasons: ['BERKELEY_DB_LOG_ENCRYPTED'],
        encryption: { scheme: 'berkeley-db-aes', keyHint: { kind: 'password' } },
      },
      {
        file: 'fresh-aes/log.0000000001',
        format: 'berkeley-db-log-encrypted',
        status: 'encrypted',
        reasons: ['BERKELEY_DB_LOG_ENCRYPTED'],
      },
    ],
    invalid: [
      { file: 'magic-then-random.bin', name: 'the btree magic and version, then random bytes' },
      { file: 'log-header-renamed.bin', name: "an encrypted log's first record alone, not named as a log" },
    ],
  },
  { framework: { describe, it } },
);

// An encrypted environment's region files (generate.sh); random bytes under a region file's name.
testDetector(
  berkeleyDbRegionDetector,
  {
    fixtures: new URL('../../fixtures/berkeley-db-region/', import.meta.url),
    valid: [
      {
        file: '__db.001',
        format: 'berkeley-db-region',
        status: 'opaque',
        confidence: 0.9,
        reasons: ['BERKELEY_DB_REGION_HEADER'],
      },
      { file: '__db.002', format: 'berkeley-db-region', status: 'opaque', reasons: ['BERKELEY_DB_REGION_NAME'] },
    ],
    invalid: [{ file: 'random/__db.004', name: "random bytes under a region file's name" }],
  },
  { framework: { describe, it } },
);

describe('Berkeley DB through the pipeline', () => {
  it('calls an AES-encrypted database encrypted (libmagic names it a Berkeley DB like any other)', async () => {
    const items = await scanFixtures('berkeley-db');
    for (const file of ['btree-aes.db', 'hash-aes.db', 'queue-aes.db']) {
      const item = items.get(file)!;
      expect(item.classification.status).toBe('encrypted');
      expect(item.encryption).toMatchObject({ scheme: 'berkeley-db-aes', keyHint: { kind: 'password' } });
    }
    for (const file of ['btree.db', 'hash.db', 'recno.db'])
      expect(items.get(file)!.format).toMatchObject({ id: 'berkeley-db', detector: 'berkeley-db' });
    expect(items.get('btree.db')!.classification.reasons[0]!.figures).toMatchObject({ method: 'btree', pageSize: 512 });
  });

  it("calls an encrypted environment's log encrypted (it was unrecognised structured binary, opaque)", async () => {
    const items = await scanFixtures('berkeley-db');
    const log = items.get('env-aes/log.0000000001')!;
    expect(log.classification.status).toBe('encrypted');
    expect(log.format).toMatchObject({ id: 'berkeley-db-log-encrypted', detector: 'berkeley-db' });
    expect(log.classification.reasons[0]!.figures).toMatchObject({ records: 5 });
    expect(items.get('fresh-aes/log.0000000001')!.classification.status).toBe('encrypted');
  });

  it("names an environment's region files opaque (libmagic called __db.002 an a.out executable)", async () => {
    const items = await scanFixtures('berkeley-db-region');
    for (const file of ['__db.001', '__db.002']) {
      expect(items.get(file)!.classification.status).toBe('opaque');
      expect(items.get(file)!.format).toMatchObject({ id: 'berkeley-db-region' });
    }
    expect(items.get('random/__db.004')!.format?.id).not.toBe('berkeley-db-region');
  });
});
