import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { realmDetector } from './realm.js';

// The Realm fixtures of fixtures/realm/ cut short (fixtures/realm/cut-short/make.sh).
testDetector(
  realmDetector,
  {
    fixtures: new URL('../../fixtures/realm/cut-short/', import.meta.url),
    valid: [
      {
        file: 'encrypted-3-pages.realm',
        name: 'whole pages, but the IV table has entries for pages past the end',
        format: 'realm-encrypted',
        status: 'encrypted',
        confidence: 0.85,
        reasons: ['REALM_IV_TABLE_CUT_SHORT'],
        encryption: { scheme: 'realm-aes-256-cbc-hmac-sha224', keyHint: { kind: 'keystore' } },
      },
      {
        file: 'encrypted-cut.realm',
        name: 'not a whole number of pages',
        format: 'realm-encrypted',
        status: 'encrypted',
        reasons: ['REALM_IV_TABLE_CUT_SHORT'],
      },
    ],
    invalid: [{ file: 'table-like-cut.bin', name: 'a table-like first page over a page of text, cut' }],
  },
  { framework: { describe, it } },
);
