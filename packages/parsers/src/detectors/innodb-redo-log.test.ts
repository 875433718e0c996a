import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { innodbRedoLogDetector } from './innodb-redo-log.js';
import { leavesOtherDatabaseFiles } from './database-fixtures.test-helper.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

// MariaDB 10.11's own redo logs, their first 16 KiB (fixtures/aria/generate.sh).
const fixtures = new URL('../../fixtures/innodb-redo-log/', import.meta.url);

const VALID = [
  { file: 'plain/ib_logfile0', format: 'innodb-redo-log', status: 'analysable', reasons: ['INNODB_REDO_HEADER'] },
  {
    file: 'encrypted/ib_logfile0',
    format: 'innodb-redo-log-encrypted',
    status: 'encrypted',
    reasons: ['INNODB_REDO_ENCRYPTED'],
    encryption: { scheme: 'mariadb-innodb-redo-aes', keyHint: { kind: 'key-file' } },
  },
] as const;

testDetector(
  innodbRedoLogDetector,
  {
    fixtures,
    valid: VALID,
    // One byte of the creator string changed: the header's CRC-32C no longer matches.
    invalid: [{ file: 'redo-bad-crc.bin' }],
  },
  { framework: { describe, it } },
);

describe('fuzz: innodb-redo-log', () => {
  const seeds = ['plain/ib_logfile0', 'encrypted/ib_logfile0'].map(
    (name) => [name, new Uint8Array(fs.readFileSync(new URL(name, fixtures)))] as const,
  );
  fuzzFlipCutGrow(innodbRedoLogDetector, seeds, 100, { wholeHalf: true });
  leavesOtherDatabaseFiles(innodbRedoLogDetector, 'innodb-redo-log');
});
