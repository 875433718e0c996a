import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { encryptedEmailDetector } from './encrypted-email.js';

testDetector(
  encryptedEmailDetector,
  {
    fixtures: new URL('../../fixtures/encrypted-email/', import.meta.url),
    valid: [
      {
        file: 'smime-enveloped.eml',
        format: 'email-encrypted',
        status: 'encrypted',
        reasons: ['EMAIL_BODY_ENCRYPTED'],
        encryption: { scheme: 'smime-cms-enveloped', scope: 'partial', keyHint: { kind: 'keystore' } },
      },
      {
        file: 'smime-no-type.eml',
        format: 'email-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'smime-cms-enveloped' },
      },
      {
        file: 'pgp-mime.eml',
        format: 'email-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pgp-mime', scope: 'partial' },
      },
      {
        file: 'inline-pgp-encrypted.eml',
        format: 'email-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pgp-inline', scope: 'partial', keyHint: { kind: 'keystore' } },
      },
    ],
    invalid: [
      { file: 'smime-signed.eml', name: 'a signed message is readable' },
      { file: 'plain.eml', name: 'a plain message that names the formats' },
      { file: 'inline-pgp-signed.eml', name: 'an inline PGP message that is signed, not encrypted' },
    ],
  },
  { framework: { describe, it } },
);
