import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { appleKeychainDbParser } from './apple-keychain-db.js';

// sqlite3 databases with the published keychain schema and blob layout: fixtures/apple-keychain-db/generate.sh.
testParser(
  appleKeychainDbParser,
  {
    fixtures: new URL('../../fixtures/apple-keychain-db/', import.meta.url),
    valid: [
      {
        file: 'keychain-2.db',
        status: 'encrypted',
        details: { keychainItems: 6, itemsByTable: { genp: 3, inet: 2, cert: 0, keys: 1 }, blobVersion: 3 },
        encryption: { scheme: 'apple-keychain-v3', scope: 'partial', keyHint: { kind: 'hardware', present: 'no' } },
      },
      // No items: nothing is encrypted, the database stays a plain SQLite file.
      { file: 'empty-keychain.db', format: 'sqlite', status: 'analysable', details: { keychainItems: 0 } },
    ],
    invalid: [{ file: 'truncated.db', diagnostics: [], name: 'truncated copy: not called' }],
  },
  { framework: { describe, it } },
);
