import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { ole2EncryptionParser } from './ole2-encryption.js';

testParser(
  ole2EncryptionParser,
  {
    fixtures: new URL('../../fixtures/ole2-encryption/', import.meta.url),
    format: 'ole2',
    valid: [
      {
        file: 'agile-encrypted.docx',
        status: 'encrypted',
        encryption: { scheme: 'ooxml-agile-aes256', keyHint: { kind: 'password' } },
      },
      { file: 'word-encrypted.doc', status: 'encrypted', encryption: { scheme: 'office-rc4-cryptoapi' } },
      { file: 'word-clear.doc', status: 'analysable' },
      { file: 'excel-filepass.xls', status: 'encrypted', encryption: { scheme: 'office-rc4-cryptoapi' } },
      { file: 'excel-clear.xls', status: 'analysable' },
      { file: 'powerpoint-encrypted.ppt', status: 'encrypted', encryption: { scheme: 'office-rc4-cryptoapi' } },
      { file: 'powerpoint-clear.ppt', status: 'analysable' },
      { file: 'other-streams.cfb', status: 'analysable' },
    ],
    invalid: [{ file: 'truncated.doc', diagnostics: ['CFB_UNREADABLE'] }],
  },
  { framework: { describe, it } },
);
