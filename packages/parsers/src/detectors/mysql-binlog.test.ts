import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { mysqlBinlogDetector } from './mysql-binlog.js';
import { leavesOtherDatabaseFiles } from './database-fixtures.test-helper.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

// MariaDB 10.11's own binary logs, plain and with encrypt_binlog; MySQL 8.0's encrypted header written from its
// published layout (fixtures/aria/generate.sh).
const fixtures = new URL('../../fixtures/mysql-binlog/', import.meta.url);

const VALID = [
  {
    file: 'plain/binlog.000002',
    format: 'mysql-binlog',
    status: 'analysable',
    reasons: ['BINLOG_FORMAT_DESCRIPTION'],
  },
  {
    file: 'encrypted/binlog.000002',
    format: 'mysql-binlog-encrypted',
    status: 'encrypted',
    reasons: ['MARIADB_BINLOG_START_ENCRYPTION'],
    encryption: { scheme: 'mariadb-binlog-aes', keyHint: { kind: 'key-file' } },
  },
  {
    file: 'mysql-8-encrypted.binlog',
    format: 'mysql-binlog-encrypted',
    status: 'encrypted',
    reasons: ['MYSQL_BINLOG_ENCRYPTION_HEADER'],
    encryption: { scheme: 'mysql-binlog-aes', keyHint: { kind: 'keystore' } },
  },
] as const;

testDetector(
  mysqlBinlogDetector,
  {
    fixtures,
    valid: VALID,
    // The magic FE "bin" before random bytes: no format description event.
    invalid: [{ file: 'binlog-look-alike.bin' }],
  },
  { framework: { describe, it } },
);

describe('fuzz: mysql-binlog', () => {
  const seeds = ['plain/binlog.000002', 'encrypted/binlog.000002', 'mysql-8-encrypted.binlog'].map(
    (name) => [name, new Uint8Array(fs.readFileSync(new URL(name, fixtures)))] as const,
  );
  fuzzFlipCutGrow(mysqlBinlogDetector, seeds, 100, { wholeHalf: true });
  leavesOtherDatabaseFiles(mysqlBinlogDetector, 'mysql-binlog');
});
