import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { binhexDetector } from './binhex.js';

// Real BinHex files of StuffIt archives (ssokolow/stuffit-test-files) and a document encoded from the definition.
testDetector(
  binhexDetector,
  {
    fixtures: new URL('../../fixtures/binhex/', import.meta.url),
    valid: [
      { file: 'readme.hqx', format: 'binhex', status: 'analysable', reasons: ['BINHEX_HEADER'] },
      { file: 'stuffit45.sit.hqx', format: 'binhex', status: 'analysable', reasons: ['BINHEX_HEADER'] },
      { file: 'stuffit651.sit.hqx', format: 'binhex', status: 'analysable', reasons: ['BINHEX_HEADER'] },
      {
        file: 'stuffit45-password.sit.hqx',
        format: 'binhex-encrypted-payload',
        status: 'encrypted',
        reasons: ['BINHEX_PAYLOAD_ENCRYPTED', 'STUFFIT_ENTRIES_ENCRYPTED'],
        encryption: { scheme: 'stuffit-des', keyHint: { kind: 'password' } },
      },
      {
        file: 'stuffit651-password.sit.hqx',
        format: 'binhex-encrypted-payload',
        status: 'encrypted',
        reasons: ['BINHEX_PAYLOAD_ENCRYPTED', 'STUFFIT5_ENCRYPTED_FLAG'],
        encryption: { scheme: 'stuffit5-password' },
      },
    ],
    // A header whose CRC fails, and the banner quoted in a sentence.
    invalid: [{ file: 'damaged-header.hqx' }, { file: 'mentions-binhex.txt' }],
  },
  { framework: { describe, it } },
);
