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
    ],
    invalid: [{ file: 'recipe.txt' }],
  },
  { framework: { describe, it } },
);
