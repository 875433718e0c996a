import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { innodbRedoLogDetector } from './innodb-redo-log.js';
import { MARIADB_FIXTURES, otherMariadbFiles } from './mariadb-fixtures.test-helper.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

// MariaDB 10.11's own redo logs, their first 16 KiB (fixtures/mariadb-server/generate.sh).
const fixtures = MARIADB_FIXTURES;

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
// Every other file of the folder is an invalid case; among them, the look-alike: One byte of the creator string changed: the header's CRC-32C no longer matches.

testDetector(
  innodbRedoLogDetector,
  {
    fixtures,
    valid: VALID,
    invalid: otherMariadbFiles(VALID),
  },
  { framework: { describe, it } },
);

describe('fuzz: innodb-redo-log', () => {
  const seeds = ['plain/ib_logfile0', 'encrypted/ib_logfile0'].map(
    (name) => [name, new Uint8Array(fs.readFileSync(new URL(name, fixtures)))] as const,
  );
  fuzzFlipCutGrow(innodbRedoLogDetector, seeds, 100, { wholeHalf: true });
});
