import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { pkcs12PasswordParser } from './pkcs12-password.js';

// Made by openssl pkcs12 -export with -passout pass:secret and with an empty password, and by NSS's pk12util
// (BER, indefinite lengths) with a password and with an empty one.
testParser(
  pkcs12PasswordParser,
  {
    fixtures: new URL('../../fixtures/pkcs12-password/', import.meta.url),
    valid: [
      {
        file: 'protected.p12',
        status: 'encrypted',
        encryption: { scheme: 'pkcs12', keyHint: { kind: 'password' } },
        details: { encryptedBags: true },
      },
      { file: 'empty-password.p12', status: 'analysable', details: { opensWith: 'empty' } },
      {
        file: 'nss-ber-protected.p12',
        status: 'encrypted',
        encryption: { scheme: 'pkcs12', keyHint: { kind: 'password' } },
        details: { encryptedBags: true },
      },
      { file: 'nss-ber-empty-password.p12', status: 'analysable', details: { encryptedBags: true } },
    ],
    invalid: [{ file: 'truncated.p12', diagnostics: ['PKCS12_UNREADABLE'] }],
  },
  { framework: { describe, it } },
);
