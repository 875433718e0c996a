/** Fixture cases for the SQLite table inventory, with @evtriage/core/testing (fixtures: ../../fixtures/sqlite-summary/, generate.sh). */
import { testParser } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { sqliteSummaryParser } from './sqlite-summary.js';

testParser(
  sqliteSummaryParser,
  {
    fixtures: new URL('../../fixtures/sqlite-summary/', import.meta.url),
    valid: [
      {
        file: 'inventory.db',
        details: {
          pageSize: 4096,
          userVersion: 7,
          walMode: false,
          tableCount: 3,
          totalRows: 5,
          tables: [
            { name: 'calls', rows: 2, columns: 3 },
            { name: 'contacts', rows: 3, columns: 3 },
            { name: 'drafts', rows: 0, columns: 2 },
          ],
        },
      },
      {
        file: 'unknown-module.db',
        name: 'a virtual table whose module is missing: listed without a count, reported as a module not loaded',
        details: {
          tableCount: 2,
          totalRows: 1,
          tables: [
            { name: 'ghost', rows: null, columns: 0 },
            { name: 'notes', rows: 1, columns: 2 },
          ],
        },
        diagnostics: ['SQLITE_VIRTUAL_TABLE_MODULE'],
      },
    ],
    invalid: [
      {
        file: 'truncated.db',
        diagnostics: ['SQLITE_OPEN_FAILED'],
        name: 'truncated: SQLite cannot open it, the engine says so',
      },
    ],
  },
  { framework: { describe, it } },
);
