import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { stuffitDetector } from './stuffit.js';

// Archives made by StuffIt Deluxe 4.5 and 6.5.1 (ssokolow/stuffit-test-files), with and without a password.
testDetector(
  stuffitDetector,
  {
    fixtures: new URL('../../fixtures/stuffit/', import.meta.url),
    valid: [
      {
        file: 'stuffit45.sit',
        format: 'stuffit',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['STUFFIT_NOT_ENCRYPTED'],
      },
      {
        file: 'stuffit45-password.sit',
        format: 'stuffit-encrypted',
        status: 'encrypted',
        reasons: ['STUFFIT_ENTRIES_ENCRYPTED'],
        encryption: { scheme: 'stuffit-des', keyHint: { kind: 'password' } },
      },
      { file: 'stuffit651.sit', format: 'stuffit', status: 'analysable', reasons: ['STUFFIT5_HEADER'] },
      {
        file: 'stuffit651-password.sit',
        format: 'stuffit-encrypted',
        status: 'encrypted',
        reasons: ['STUFFIT5_ENCRYPTED_FLAG'],
        encryption: { scheme: 'stuffit5-password', keyHint: { kind: 'password' } },
      },
      // The same archive behind a MacBinary II header.
      { file: 'password.sit.bin', format: 'stuffit-encrypted', status: 'encrypted' },
      // A classic one as the data fork of an AppleSingle file.
      {
        file: 'password.sit.as',
        format: 'stuffit-encrypted',
        status: 'encrypted',
        reasons: ['STUFFIT_ENTRIES_ENCRYPTED'],
      },
      // An entry header whose CRC fails: still StuffIt, said to be damaged, with less confidence.
      {
        file: 'damaged-crc.sit',
        format: 'stuffit',
        status: 'analysable',
        confidence: { max: 0.85 },
        reasons: ['STUFFIT_NOT_ENCRYPTED'],
      },
    ],
    invalid: [{ file: 'version4.sit' }, { file: 'sit-text.txt' }],
    ignore: ['*.py'],
  },
  { framework: { describe, it } },
);
