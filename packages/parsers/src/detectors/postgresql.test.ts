import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { postgresqlDetector } from './postgresql.js';
import { leavesOtherDatabaseFiles } from './database-fixtures.test-helper.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

// PostgreSQL 15's own files (fixtures/postgresql/generate.sh); the WAL segment is its first page, cut.
const fixtures = new URL('../../fixtures/postgresql/', import.meta.url);
const relation = (file: string) =>
  ({ file, format: 'postgresql-relation', status: 'analysable', reasons: ['POSTGRESQL_PAGE_HEADER'] }) as const;

testDetector(
  postgresqlDetector,
  {
    fixtures,
    valid: [
      relation('people'),
      relation('people_pkey'),
      relation('people_fsm'),
      {
        file: 'pg_control',
        format: 'postgresql-pg-control',
        status: 'analysable',
        reasons: ['POSTGRESQL_CONTROL_FILE'],
      },
      {
        file: 'wal-segment',
        format: 'postgresql-wal-segment',
        status: 'analysable',
        reasons: ['POSTGRESQL_WAL_LONG_HEADER'],
      },
    ],
    // The heap's first page with pd_lower above pd_upper.
    invalid: [{ file: 'look-alike.bin' }],
  },
  { framework: { describe, it } },
);

describe('fuzz: postgresql', () => {
  const seeds = ['people', 'people_pkey', 'pg_control', 'wal-segment'].map(
    (name) => [name, new Uint8Array(fs.readFileSync(new URL(name, fixtures)))] as const,
  );
  fuzzFlipCutGrow(postgresqlDetector, seeds, 100, { wholeHalf: true });
  leavesOtherDatabaseFiles(postgresqlDetector, 'postgresql');
});
