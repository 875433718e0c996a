import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { leveldbDetector } from './leveldb.js';
import { fixtureBytes, wholeFileProbe } from './probe.test-helper.js';

testDetector(
  leveldbDetector,
  {
    fixtures: new URL('../../fixtures/leveldb/', import.meta.url),
    valid: [
      { file: '000003.log', format: 'leveldb-log', status: 'analysable', reasons: ['LEVELDB_LOG_RECORD'] },
      { file: 'MANIFEST-000001', format: 'leveldb-manifest', status: 'analysable', reasons: ['LEVELDB_LOG_RECORD'] },
      { file: '000005.ldb', format: 'leveldb-table', status: 'analysable', reasons: ['LEVELDB_TABLE_MAGIC'] },
      { file: 'plyvel-table.ldb', format: 'leveldb-table', status: 'analysable', reasons: ['LEVELDB_TABLE_MAGIC'] },
      // Bytes after the footer: the footer is found a few bytes before the end, its index block handle ending where
      // it starts, and the bytes after it are named.
      {
        file: 'plyvel-table-newline.ldb',
        format: 'leveldb-table',
        status: 'analysable',
        reasons: ['LEVELDB_TABLE_MAGIC', 'TRAILING_DATA'],
      },
      {
        file: 'plyvel-table-appended-log.ldb',
        format: 'leveldb-table',
        status: 'analysable',
        reasons: ['LEVELDB_TABLE_MAGIC', 'TRAILING_DATA'],
      },
      // A RocksDB table (ldb): its own footer magic after the format version.
      { file: 'rocksdb-table.sst', format: 'rocksdb-table', status: 'analysable', reasons: ['ROCKSDB_TABLE_MAGIC'] },
    ],
    invalid: [{ file: 'app.log' }],
  },
  { framework: { describe, it } },
);

describe('leveldb table with bytes after its footer', () => {
  const detect = (name: string) =>
    leveldbDetector.detect(wholeFileProbe(fixtureBytes('leveldb', name), name), { limits: DEFAULT_LIMITS }) as
      Detection | undefined;

  it('names the bytes after the footer and where the footer is', () => {
    const table = fixtureBytes('leveldb', 'plyvel-table.ldb').length;
    for (const name of ['plyvel-table-newline.ldb', 'plyvel-table-appended-log.ldb']) {
      const d = detect(name)!;
      const size = fixtureBytes('leveldb', name).length;
      expect(d.reasons[0]!.message).toContain(`at offset ${table - 8}`);
      expect(d.reasons.find((r) => r.code === 'TRAILING_DATA')?.figures).toEqual({ trailingBytes: size - table });
    }
  });

  it('does not take a footer magic whose index block handle does not end at the footer', () => {
    // The hand-made table's footer has zero handles: exact at the end it is taken, with a byte after it not.
    const bytes = fixtureBytes('leveldb', '000005.ldb');
    const probe = wholeFileProbe(new Uint8Array([...bytes, 0x0a]), 'x.ldb');
    expect(leveldbDetector.detect(probe, { limits: DEFAULT_LIMITS })).toBeUndefined();
  });
});
