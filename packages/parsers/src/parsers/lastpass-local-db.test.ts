import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { sqliteDetector } from '../detectors/sqlite.js';
import { lastpassLocalDbParser } from './lastpass-local-db.js';

// sqlite3 databases with the published LastPassData schema: fixtures/lastpass-local-db/generate.sh.
testParser(
  lastpassLocalDbParser,
  {
    fixtures: new URL('../../fixtures/lastpass-local-db/', import.meta.url),
    detectors: [sqliteDetector],
    valid: [
      {
        file: 'lastpass.sqlite3',
        format: 'lastpass-local-db',
        status: 'encrypted',
        details: { lastpassRows: { key: 1, rsakey: 1, accts: 1, icons: 1 }, users: 1 },
        encryption: { scheme: 'lastpass-aes-256', scope: 'partial', keyHint: { kind: 'password' } },
      },
      // Icons only: nothing encrypted, the database stays a plain SQLite file.
      { file: 'icons-only.sqlite3', format: 'sqlite', status: 'analysable', details: { lastpassRows: { icons: 1 } } },
      { file: 'empty.sqlite3', format: 'sqlite', status: 'analysable', details: { lastpassRows: {} } },
    ],
    invalid: [{ file: 'truncated.sqlite3', diagnostics: [], name: 'truncated copy: not called' }],
  },
  { framework: { describe, it } },
);
