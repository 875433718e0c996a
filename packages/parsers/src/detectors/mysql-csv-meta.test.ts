import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { mysqlCsvMetaDetector } from './mysql-csv-meta.js';
import { leavesOtherDatabaseFiles } from './database-fixtures.test-helper.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

// MariaDB 10.11's own meta file of a CSV table of two rows (fixtures/aria/generate.sh).
const fixtures = new URL('../../fixtures/mysql-csv-meta/', import.meta.url);

testDetector(
  mysqlCsvMetaDetector,
  {
    fixtures,
    valid: [{ file: 'people.CSM', format: 'mysql-csv-meta', status: 'analysable', reasons: ['CSV_ENGINE_META'] }],
    // The 2-byte magic before random bytes: counters and crashed flag out of range.
    invalid: [{ file: 'look-alike.CSM' }],
  },
  { framework: { describe, it } },
);

describe('fuzz: mysql-csv-meta', () => {
  const seeds = [['people.CSM', new Uint8Array(fs.readFileSync(new URL('people.CSM', fixtures)))] as const];
  fuzzFlipCutGrow(mysqlCsvMetaDetector, seeds, 100, { wholeHalf: true });
  leavesOtherDatabaseFiles(mysqlCsvMetaDetector, 'mysql-csv-meta');
});
