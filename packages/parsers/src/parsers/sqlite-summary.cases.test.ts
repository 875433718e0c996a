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
      // One header field each, found by scripts/document-mutants.mjs: the rows still count, quick_check says the rest.
      ...['freeblock', 'freelist-count', 'reserved-bytes'].map((field) => ({
        file: `damaged-${field}.db`,
        name: `${field} altered: counted, and SQLITE_DAMAGED from SQLite's quick_check`,
        details: { tableCount: 1 },
        diagnostics: ['SQLITE_DAMAGED'],
      })),
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
