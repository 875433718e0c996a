import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { dovecotMailCryptDetector } from './dovecot-mail-crypt.js';

// Delivered by dovecot-lda with the mail_crypt plugin (fixtures/dovecot-mail-crypt/generate.sh).
testDetector(
  dovecotMailCryptDetector,
  {
    fixtures: new URL('../../fixtures/dovecot-mail-crypt/', import.meta.url),
    valid: [
      {
        file: 'encrypted-v2',
        format: 'dovecot-mail-crypt',
        status: 'encrypted',
        reasons: ['DOVECOT_MAIL_CRYPT'],
        encryption: { scheme: 'dovecot-dcrypt-v2', keyHint: { kind: 'keystore' } },
      },
      {
        file: 'sdbox-u.1',
        format: 'dovecot-mail-crypt',
        status: 'encrypted',
        reasons: ['DOVECOT_MAIL_CRYPT'],
        encryption: { scheme: 'dovecot-dcrypt-v2', scope: 'partial' },
      },
    ],
    invalid: [
      { file: 'sdbox-plain-u.1', name: 'an sdbox file without mail_crypt' },
      { file: 'plain', name: 'the same delivery with mail_crypt_save_version = 0' },
      { file: 'dovecot.index.log', name: "Dovecot's transaction log beside the mails" },
    ],
  },
  { framework: { describe, it } },
);
