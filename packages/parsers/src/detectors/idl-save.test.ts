import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { idlSaveDetector } from './idl-save.js';

testDetector(
  idlSaveDetector,
  {
    fixtures: new URL('../../fixtures/idl-save/', import.meta.url),
    valid: [
      {
        file: 'scalar_int16.sav',
        format: 'idl-save',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['IDL_SAVE_RECORDS'],
        details: { records: 5, compressed: false, ended: true },
      },
      { file: 'struct_pointers.sav', format: 'idl-save', status: 'analysable', reasons: ['IDL_SAVE_RECORDS'] },
      {
        file: 'various_compressed.sav',
        format: 'idl-save',
        status: 'analysable',
        reasons: ['IDL_SAVE_RECORDS'],
        details: { compressed: true, ended: true },
      },
      { file: 'cut-short.sav', format: 'idl-save', status: 'analysable', details: { ended: false, cut: true } },
    ],
    // A record type IDL never writes, a compressed body that does not inflate, text after "SR".
    invalid: [{ file: 'bad-record-type.sav' }, { file: 'bad-zlib.sav' }, { file: 'sr-text.sav' }],
  },
  { framework: { describe, it } },
);
