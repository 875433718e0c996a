import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { cmsDetector } from './cms.js';

testDetector(
  cmsDetector,
  {
    fixtures: new URL('../../fixtures/cms/', import.meta.url),
    valid: [
      {
        file: 'enveloped.p7m',
        format: 'cms-encrypted',
        status: 'encrypted',
        reasons: ['CMS_ENCRYPTED_CONTENT'],
        encryption: { scheme: 'cms-aes256-cbc', keyHint: { kind: 'keystore' } },
      },
      { file: 'enveloped.pem', format: 'cms-encrypted', status: 'encrypted', encryption: { scheme: 'cms-aes256-cbc' } },
      {
        file: 'auth-enveloped.p7m',
        format: 'cms-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'cms-aes256-gcm' },
      },
      {
        file: 'password.p7m',
        format: 'cms-encrypted',
        status: 'encrypted',
        encryption: { keyHint: { kind: 'password' } },
      },
      {
        file: 'encrypted-data.der',
        format: 'cms-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'cms-aes128-cbc', keyHint: { kind: 'unknown' } },
      },
      // gpgsm's armor (GnuPG's test data): "ENCRYPTED MESSAGE" over a BER EnvelopedData.
      {
        file: 'gpgsm-plain-3.cms.asc',
        format: 'cms-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'cms-aes128-cbc', keyHint: { kind: 'keystore' } },
      },
    ],
    invalid: [
      { file: 'encrypted-message-not-cms.asc', name: "gpgsm's armor over base64 that is no ContentInfo" },
      { file: 'signed.p7m', name: 'signed data: the content is in clear' },
      { file: 'certs.p7b', name: 'a certificate bundle: public material' },
    ],
    ignore: ['cut-short/**', 'cut-pad/**'],
  },
  { framework: { describe, it } },
);
