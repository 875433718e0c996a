import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { duckdbDetector } from './duckdb.js';

testDetector(
  duckdbDetector,
  {
    fixtures: new URL('../../fixtures/duckdb/', import.meta.url),
    valid: [
      { file: 'plain.duckdb', format: 'duckdb', status: 'analysable', reasons: ['DUCKDB_MAIN_HEADER'] },
      {
        file: 'passphrase-gcm.duckdb',
        format: 'duckdb-encrypted',
        status: 'encrypted',
        reasons: ['DUCKDB_ENCRYPTED'],
        encryption: { scheme: 'duckdb-aes-gcm' },
      },
      {
        file: 'passphrase-ctr.duckdb',
        format: 'duckdb-encrypted',
        status: 'encrypted',
        reasons: ['DUCKDB_ENCRYPTED'],
        encryption: { scheme: 'duckdb-aes-ctr' },
      },
    ],
    // The magic alone, in random bytes: the version and flag words do not hold.
    invalid: [{ file: 'look-alike.bin' }],
  },
  { framework: { describe, it } },
);
