import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { officeDefaultPasswordParser } from './office-default-password.js';

// Two workbooks made by Excel (from oletools), the others written from [MS-OFFCRYPTO] (fixtures/office-default-password/generate.sh).
testParser(
  officeDefaultPasswordParser,
  {
    fixtures: new URL('../../fixtures/office-default-password/', import.meta.url),
    format: 'ole2',
    valid: [
      {
        file: 'excel-made-velvet.xls',
        status: 'analysable',
        details: { defaultPasswordCheck: 'opens', opensWith: 'VelvetSweatshop', verifier: 'rc4-md5' },
      },
      {
        file: 'excel-made-velvet.xlsx',
        status: 'analysable',
        details: { defaultPasswordCheck: 'opens', verifier: 'agile-sha1-aes128' },
      },
      // The same workbook under a PowerPoint name: the verifier decides, whatever the file is called.
      {
        file: 'excel-made-velvet-named.pptx',
        status: 'analysable',
        details: { defaultPasswordCheck: 'opens', verifier: 'agile-sha1-aes128' },
      },
      { file: 'velvet-rc4.xls', status: 'analysable', details: { verifier: 'rc4-md5' } },
      { file: 'velvet-rc4-cryptoapi.xls', status: 'analysable', details: { verifier: 'rc4-cryptoapi-128' } },
      { file: 'velvet-standard.xlsx', status: 'analysable', details: { verifier: 'standard-aes128' } },
      { file: 'velvet-agile.xlsx', status: 'analysable', details: { verifier: 'agile-sha512-aes256' } },
      // Cut in half: the FILEPASS record, found by its signature, still holds the verifier.
      {
        file: 'cut-excel-made-velvet.xls',
        status: 'analysable',
        details: { defaultPasswordCheck: 'opens', verifier: 'rc4-md5' },
      },
      { file: 'secret-rc4.xls', details: { defaultPasswordCheck: 'fails' } },
      { file: 'secret-rc4-cryptoapi.xls', details: { defaultPasswordCheck: 'fails' } },
      { file: 'secret-standard.xlsx', details: { defaultPasswordCheck: 'fails' } },
      { file: 'secret-agile.xlsb', details: { defaultPasswordCheck: 'fails' } },
    ],
    invalid: [
      { file: 'huge-spin-count.xlsx', diagnostics: ['DEFAULT_PASSWORD_UNCHECKED'] },
      // Cut in half: the start of the XML descriptor is found, its verifier is not; said, never guessed.
      { file: 'cut-excel-made-velvet.xlsx', diagnostics: ['DEFAULT_PASSWORD_UNCHECKED'] },
    ],
    ignore: ['make-default-password.mjs'],
  },
  { framework: { describe, it } },
);
