import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { opensslSaltedDetector } from './openssl-salted.js';

testDetector(
  opensslSaltedDetector,
  {
    fixtures: new URL('../../fixtures/openssl-salted/', import.meta.url),
    valid: [
      {
        file: 'secret.bin',
        format: 'openssl-salted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['OPENSSL_SALTED_MAGIC'],
        encryption: { scheme: 'openssl-enc', keyHint: { kind: 'password', present: 'unknown' } },
      },
      { file: 'secret.txt', format: 'openssl-salted-base64', status: 'encrypted', reasons: ['OPENSSL_SALTED_BASE64'] },
      // Perl Crypt::CBC with -header => 'randomiv' (generate-crypt-cbc.sh).
      {
        file: 'randomiv-blowfish.bin',
        format: 'crypt-cbc-randomiv',
        status: 'encrypted',
        reasons: ['CRYPT_CBC_RANDOMIV'],
        encryption: { scheme: 'crypt-cbc-randomiv', keyHint: { kind: 'password' } },
      },
      { file: 'randomiv-des.bin', format: 'crypt-cbc-randomiv', status: 'encrypted', reasons: ['CRYPT_CBC_RANDOMIV'] },
    ],
    invalid: [{ file: 'recipe.txt' }, { file: 'randomiv-notes.txt' }],
  },
  { framework: { describe, it } },
);
