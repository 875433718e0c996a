import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { sevenzipEncryptionParser } from './sevenzip-encryption.js';

// Made by 7z: -mhe=off keeps names readable (LZMA-coded header naming 7zAES folders), -mhe=on encrypts the header.
testParser(
  sevenzipEncryptionParser,
  {
    fixtures: new URL('../../fixtures/sevenzip-encryption/', import.meta.url),
    valid: [
      {
        file: 'content-encrypted.7z',
        status: 'encrypted',
        encryption: { scheme: '7z-aes-256', scope: 'full', keyHint: { kind: 'password' } },
        details: { headerEncrypted: false, encryptedFolders: 1 },
      },
      {
        file: 'header-encrypted.7z',
        status: 'encrypted',
        encryption: { scheme: '7z-aes-256' },
        details: { headerEncrypted: true },
      },
      { file: 'plain.7z', status: 'analysable', details: { headerEncrypted: false, encryptedFolders: 0 } },
    ],
    invalid: [
      { file: 'truncated.7z', diagnostics: ['SEVENZIP_HEADER_OUTSIDE', 'SEVENZIP_CUT_SHORT_PACKED'] },
      // An LZMA2 encoded header of 24 MiB of zeros (make-lzma2-header-bomb.py): refused from its chunk sizes, not decoded.
      { file: 'lzma2-header-bomb.7z', diagnostics: ['SEVENZIP_HEADER_BOMB'] },
    ],
    // The raw LZMA2 stream the bomb is made from (sevenzip-lzma2.test.ts reads it).
    ignore: ['zeros-24MiB.lzma2', 'cut-short/**'],
  },
  { framework: { describe, it } },
);
