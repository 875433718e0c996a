import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { berkeleyDbDetector, berkeleyDbRegionDetector } from './berkeley-db.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Databases made by db5.3_load, plain and with -P (AES); logs of environments opened with a password
// (libberkeleydb-perl, db5.3_recover -P); near misses (generate.sh).
testDetector(
  berkeleyDbDetector,
  {
    fixtures: new URL('../../fixtures/berkeley-db/', import.meta.url),
    valid: [
      // Bytes after the structure's end (appended/make.sh): set aside and named.
      {
        file: 'appended/log-header-renamed-lf.bin',
        format: 'berkeley-db-log-encrypted',
        status: 'encrypted',
        reasons: ['BERKELEY_DB_LOG_ENCRYPTED_STRUCTURE', 'TRAILING_DATA'],
      },
      {
        file: 'appended/log-header-renamed-text2k.bin',
        format: 'berkeley-db-log-encrypted',
        status: 'encrypted',
        reasons: ['BERKELEY_DB_LOG_ENCRYPTED_STRUCTURE', 'TRAILING_DATA'],
      },
      {
        file: 'appended/log-lf.0000000001',
        format: 'berkeley-db-log-encrypted',
        status: 'encrypted',
        reasons: ['BERKELEY_DB_LOG_ENCRYPTED'],
      },
      {
        file: 'appended/log-nul.0000000001',
        format: 'berkeley-db-log-encrypted',
        status: 'encrypted',
        reasons: ['BERKELEY_DB_LOG_ENCRYPTED'],
      },
      {
        file: 'appended/log-text2k.0000000001',
        format: 'berkeley-db-log-encrypted',
        status: 'encrypted',
        reasons: ['BERKELEY_DB_LOG_ENCRYPTED', 'TRAILING_DATA'],
      },
      {
        file: 'appended/log-zpad4k.0000000001',
        format: 'berkeley-db-log-encrypted',
        status: 'encrypted',
        reasons: ['BERKELEY_DB_LOG_ENCRYPTED'],
      },
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
      {
        // The fresh log under another name: its one record, then nothing but zeros (the log file's unwritten rest).
        file: 'log-header-renamed.bin',
        format: 'berkeley-db-log-encrypted',
        status: 'encrypted',
        confidence: 0.7,
        reasons: ['BERKELEY_DB_LOG_ENCRYPTED_STRUCTURE'],
        encryption: { scheme: 'berkeley-db-aes', keyHint: { kind: 'password' } },
      },
    ],
    invalid: [
      // appended/make.sh: the look-alike that must stay refused.
      { file: 'appended/log-header-cut.bin' },
      { file: 'magic-then-random.bin', name: 'the btree magic and version, then random bytes' },
      {
        file: 'log-header-then-text.bin',
        name: "an encrypted log's first record, then text instead of zeros, not named as a log",
      },
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
    invalid: [
      { file: 'random/__db.004', name: "random bytes under a region file's name" },
      { file: 'generate.sh', name: 'a script: no region magic, no region name' },
    ],
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

  it("reads the log's one record and the zeros after it under any name; text after it is not a log", () => {
    const read = (name: string) =>
      new Uint8Array(fs.readFileSync(new URL(`../../fixtures/berkeley-db/${name}`, import.meta.url)));
    const detect = (b: Uint8Array, name: string) =>
      berkeleyDbDetector.detect(wholeFileProbe(b, name), { limits: DEFAULT_LIMITS }) as Detection | undefined;
    const bare = detect(read('fresh-aes/log.0000000001'), 'f');
    expect(bare?.reasons[0]).toMatchObject({
      code: 'BERKELEY_DB_LOG_ENCRYPTED_STRUCTURE',
      figures: { records: 1, zeroBytesAfter: 8192 - 64 },
    });
    expect(bare?.reasons[0]?.message).toContain("not Berkeley DB's log name");
    // Fewer than 1 KiB of zeros after the record: the rest of a log file is not in view.
    expect(detect(read('fresh-aes/log.0000000001').subarray(0, 64 + 1000), 'f')).toBeUndefined();
    expect(detect(read('fresh-aes/log.0000000001').subarray(0, 64 + 1000), 'log.0000000001')?.format.id).toBe(
      'berkeley-db-log-encrypted',
    );
    // The log with its records chaining keeps the named reason under any name.
    expect(detect(read('env-aes/log.0000000001'), 'f')?.reasons[0]?.code).toBe('BERKELEY_DB_LOG_ENCRYPTED');
  });

  it('reads the region header under any name, with the lower-confidence reason; the headerless regions need the name', () => {
    const read = (name: string) =>
      new Uint8Array(fs.readFileSync(new URL(`../../fixtures/berkeley-db-region/${name}`, import.meta.url)));
    const detect = (b: Uint8Array, name: string) =>
      berkeleyDbRegionDetector.detect(wholeFileProbe(b, name), { limits: DEFAULT_LIMITS }) as Detection | undefined;
    expect(detect(read('__db.001'), 'f.bin')).toMatchObject({
      format: { id: 'berkeley-db-region' },
      status: 'opaque',
      confidence: 0.8,
      reasons: [{ code: 'BERKELEY_DB_REGION_MAGIC', figures: { major: 5, minor: 3, patch: 28 } }],
    });
    const panicked = read('__db.001');
    panicked[4] = 7;
    expect(detect(panicked, 'f.bin')).toBeUndefined();
    expect(detect(read('__db.002'), 'f.bin')).toBeUndefined();
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
