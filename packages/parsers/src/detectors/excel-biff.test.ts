import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { excelBiffDetector } from './excel-biff.js';

testDetector(
  excelBiffDetector,
  {
    fixtures: new URL('../../fixtures/excel-biff/', import.meta.url),
    valid: [
      { file: 'excel2-sheet.xls', format: 'excel-biff', status: 'analysable', reasons: ['EXCEL_BIFF_RECORDS'] },
      { file: 'excel3-sheet.xls', format: 'excel-biff', status: 'analysable', reasons: ['EXCEL_BIFF_RECORDS'] },
      {
        file: 'excel3-locked.xls',
        format: 'excel-biff-encrypted',
        status: 'encrypted',
        reasons: ['EXCEL_BIFF_FILEPASS'],
        encryption: { scheme: 'office-xor-obfuscation', keyHint: { kind: 'password' } },
      },
    ],
    invalid: [
      { file: 'unknown-sheet-type.xls', name: 'a BOF with a sheet type no version defines' },
      { file: 'no-eof-record.xls', name: 'a whole file whose records never reach an EOF record' },
    ],
  },
  { framework: { describe, it } },
);
