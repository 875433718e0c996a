import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { pkcs12PasswordParser } from './pkcs12-password.js';

// Made by openssl pkcs12 -export with -passout pass:secret and with an empty password (also with -legacy), and by
// NSS's pk12util (BER, indefinite lengths) with a password and with an empty one; a legacy store with 10,000,000
// MAC iterations (fixtures/pkcs12-password/generate.sh).
testParser(
  pkcs12PasswordParser,
  {
    fixtures: new URL('../../fixtures/pkcs12-password/', import.meta.url),
    valid: [
      // PBES2 content (OpenSSL 3's and NSS's default): the empty password is tried on it.
      {
        file: 'protected.p12',
        status: 'encrypted',
        encryption: { scheme: 'pkcs12', keyHint: { kind: 'password' } },
        details: { encryptedBags: true, checkedBy: 'pbes2', cipher: 'aes-256-cbc' },
      },
      { file: 'empty-password.p12', status: 'analysable', details: { opensWith: 'empty', checkedBy: 'pbes2' } },
      {
        file: 'nss-ber-protected.p12',
        status: 'encrypted',
        encryption: { scheme: 'pkcs12', keyHint: { kind: 'password' } },
        details: { encryptedBags: true, checkedBy: 'pbes2', iterations: 600000 },
      },
      {
        file: 'nss-ber-empty-password.p12',
        status: 'analysable',
        details: { encryptedBags: true, checkedBy: 'pbes2' },
      },
      // The legacy PKCS#12 PBE algorithms (openssl -legacy: RC2-40 and 3DES): the MAC is recomputed.
      {
        file: 'legacy-protected.p12',
        status: 'encrypted',
        encryption: { scheme: 'pkcs12', keyHint: { kind: 'password' } },
        details: { encryptedBags: true, macHash: 'sha1' },
      },
      { file: 'legacy-empty-password.p12', status: 'analysable', details: { opensWith: 'empty', macHash: 'sha1' } },
      // Its first 200 bytes (cut short, the MAC lost): the PBES2 blocks in sight do not open with the empty password.
      {
        file: 'truncated.p12',
        status: 'encrypted',
        encryption: { scheme: 'pkcs12', keyHint: { kind: 'password' } },
        details: { cutShort: true, encryptedBags: true },
      },
      // 10,000,000 MAC iterations (openssl -iter): not recomputed (20 s of hashing), and it says so.
      {
        file: 'legacy-mac-10m-iterations.p12',
        status: 'encrypted',
        details: { encryptedBags: true, mac: 'not-checked', iterations: 10_000_000, checkedUpTo: 1_000_000 },
      },
    ],
    invalid: [{ file: 'truncated-in-oid.p12', diagnostics: ['PKCS12_UNREADABLE'] }],
  },
  { framework: { describe, it } },
);
