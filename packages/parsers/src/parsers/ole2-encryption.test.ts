import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { ole2EncryptionParser } from './ole2-encryption.js';

testParser(ole2EncryptionParser, {
  fixtures: new URL('../../fixtures/ole2-encryption/', import.meta.url),
  format: 'ole2',
  valid: [
    { file: 'agile-encrypted.docx', status: 'encrypted', encryption: { scheme: 'ooxml-agile-aes256', keyHint: { kind: 'password' } } },
    { file: 'word-encrypted.doc', status: 'encrypted', encryption: { scheme: 'office-rc4-cryptoapi' } },
    { file: 'word-clear.doc', status: 'analysable' },
    { file: 'excel-filepass.xls', status: 'encrypted', encryption: { scheme: 'office-rc4-cryptoapi' } },
    { file: 'excel-clear.xls', status: 'analysable' },
    { file: 'powerpoint-encrypted.ppt', status: 'encrypted', encryption: { scheme: 'office-rc4-cryptoapi' } },
    { file: 'powerpoint-clear.ppt', status: 'analysable' },
    { file: 'other-streams.cfb', status: 'analysable' },
    // Excel's built-in default password opens these: analysable, with the verifier named (made by Excel, and from the layout).
    { file: 'excel-made-velvet.xls', status: 'analysable', details: { opensWith: 'VelvetSweatshop', verifier: 'rc4-md5' } },
    { file: 'excel-made-velvet.xlsx', status: 'analysable', details: { opensWith: 'VelvetSweatshop', verifier: 'agile-sha1-aes128' } },
    { file: 'velvet-rc4.xls', status: 'analysable', details: { verifier: 'rc4-md5' } },
    { file: 'velvet-rc4-cryptoapi.xls', status: 'analysable', details: { verifier: 'rc4-cryptoapi-128' } },
    { file: 'velvet-standard.xlsx', status: 'analysable', details: { verifier: 'standard-aes128' } },
    { file: 'velvet-agile.xlsx', status: 'analysable', details: { verifier: 'agile-sha512-aes256' } },
    { file: 'secret-rc4.xls', status: 'encrypted', details: { defaultPasswordCheck: 'fails' } },
    { file: 'secret-rc4-cryptoapi.xls', status: 'encrypted', details: { defaultPasswordCheck: 'fails' } },
    { file: 'secret-standard.xlsx', status: 'encrypted', details: { defaultPasswordCheck: 'fails' } },
    { file: 'secret-agile.xlsb', status: 'encrypted', details: { defaultPasswordCheck: 'fails' } },
  ],
  invalid: [{ file: 'truncated.doc', diagnostics: ['CFB_UNREADABLE'] }],
  ignore: ['make-default-password.mjs'],
}, { framework: { describe, it } });
