import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { dbaseDetector } from './dbase.js';

// dBase III and Visual FoxPro tables written by python3-dbf and shapelib's dbfcreate; the PROTECT one from the published header
// layout (fixtures/dbase/generate.sh says how).
testDetector(
  dbaseDetector,
  {
    fixtures: new URL('../../fixtures/dbase/', import.meta.url),
    valid: [
      {
        file: 'locked.dbf',
        format: 'dbase-table-encrypted',
        status: 'encrypted',
        reasons: ['DBASE_ENCRYPTED_FLAG'],
        encryption: { scheme: 'dbase-iv-protect', keyHint: { kind: 'password' } },
      },
      { file: 'clear.dbf', format: 'dbase-table', status: 'analysable', reasons: ['DBASE_TABLE'] },
      { file: 'foxpro.dbf', format: 'dbase-table', status: 'analysable', reasons: ['DBASE_TABLE'] },
      { file: 'shapelib.dbf', format: 'dbase-table', status: 'analysable', reasons: ['DBASE_TABLE'] },
      // No fields: each 1-byte record is a deletion flag (space or asterisk), all checked.
      { file: 'no-fields.dbf', format: 'dbase-table', status: 'analysable', reasons: ['DBASE_TABLE'] },
    ],
    invalid: [{ file: 'generate.sh' }, { file: 'no-fields-bad-flags.dbf' }],
  },
  { framework: { describe, it } },
);
