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
      {
        file: 'smime-entity.eml',
        format: 'email-encrypted',
        status: 'encrypted',
        reasons: ['EMAIL_BODY_ENCRYPTED'],
        encryption: { scheme: 'smime-cms-enveloped', scope: 'partial' },
      },
      {
        file: 'cms-authenveloped.eml',
        format: 'email-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'smime-cms-enveloped' },
      },
      {
        file: 'mixed-pgp-mime.eml',
        format: 'email-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pgp-mime', scope: 'partial' },
      },
      {
        file: 'notmuch-wrapped-protected-header.eml',
        format: 'email-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pgp-mime' },
      },
      {
        file: 'smime-enveloped.emlx',
        format: 'email-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'smime-cms-enveloped', scope: 'partial' },
      },
      {
        file: 'mixed-inline-pgp-encrypted.eml',
        format: 'email-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pgp-inline' },
      },
      {
        file: 'all-encrypted.mbox',
        format: 'email-encrypted',
        status: 'encrypted',
        reasons: ['EMAIL_BODY_ENCRYPTED'],
        encryption: { scheme: 'pgp-mime' },
      },
      {
        file: 'inline-pgp-base64-encrypted.eml',
        format: 'email-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pgp-inline' },
      },
      {
        file: 'signed-of-enveloped.eml',
        format: 'email-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'smime-cms-enveloped' },
      },
    ],
    invalid: [
      { file: 'inline-pgp-base64-signed.eml', name: 'a base64 text body holding a signed inline PGP message' },
      { file: 'one-clear.mbox', name: 'an mbox whose second message is clear' },
      { file: 'plain.emlx', name: 'an Apple Mail message in clear' },
      { file: 'mixed-inline-pgp-signed.eml', name: 'a signed inline PGP first part with an attachment' },
      { file: 'smime-signed-entity.eml', name: 'a bare signed S/MIME entity is readable' },
      { file: 'mixed-attachment.eml', name: 'a readable body with an S/MIME envelope attached second' },
      { file: 'smime-signed.eml', name: 'a signed message is readable' },
      { file: 'plain.eml', name: 'a plain message that names the formats' },
      { file: 'inline-pgp-signed.eml', name: 'an inline PGP message that is signed, not encrypted' },
    ],
  },
  { framework: { describe, it } },
);
