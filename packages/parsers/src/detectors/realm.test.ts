import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { realmDetector } from './realm.js';

// Written from realm-core's file layout (fixtures/realm/generate.sh).
testDetector(
  realmDetector,
  {
    fixtures: new URL('../../fixtures/realm/', import.meta.url),
    valid: [
      { file: 'clear.realm', format: 'realm', status: 'analysable', reasons: ['REALM_TDB_HEADER'] },
      {
        file: 'encrypted.realm',
        format: 'realm-encrypted',
        status: 'encrypted',
        confidence: { min: 0.8 },
        reasons: ['REALM_IV_TABLE'],
        encryption: { keyHint: { kind: 'keystore' } },
      },
    ],
    invalid: [{ file: 'table-like.bin' }],
    ignore: ['cut-short/**'],
  },
  { framework: { describe, it } },
);
