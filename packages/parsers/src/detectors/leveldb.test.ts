import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { leveldbDetector } from './leveldb.js';

testDetector(
  leveldbDetector,
  {
    fixtures: new URL('../../fixtures/leveldb/', import.meta.url),
    valid: [
      { file: '000003.log', format: 'leveldb-log', status: 'analysable', reasons: ['LEVELDB_LOG_RECORD'] },
      { file: 'MANIFEST-000001', format: 'leveldb-manifest', status: 'analysable', reasons: ['LEVELDB_LOG_RECORD'] },
      { file: '000005.ldb', format: 'leveldb-table', status: 'analysable', reasons: ['LEVELDB_TABLE_MAGIC'] },
      // A RocksDB table (ldb): its own footer magic after the format version.
      { file: 'rocksdb-table.sst', format: 'rocksdb-table', status: 'analysable', reasons: ['ROCKSDB_TABLE_MAGIC'] },
    ],
    invalid: [{ file: 'app.log' }],
  },
  { framework: { describe, it } },
);
