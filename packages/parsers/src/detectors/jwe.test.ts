import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { jweDetector } from './jwe.js';

testDetector(
  jweDetector,
  {
    fixtures: new URL('../../fixtures/jwe/', import.meta.url),
    valid: [
      {
        file: 'note.jwe',
        name: 'JSON form, shared key (jose)',
        format: 'jwe',
        status: 'encrypted',
        reasons: ['JWE_JSON'],
        encryption: { scheme: 'jwe-a256gcm', keyHint: { kind: 'key-file' } },
      },
      { file: 'note-compact.jwe', format: 'jwe', status: 'encrypted', reasons: ['JWE_COMPACT'] },
      {
        file: 'large-compact.jwe',
        name: 'larger than the probe head: the tag after the last dot is in the tail',
        format: 'jwe',
        status: 'encrypted',
        reasons: ['JWE_COMPACT'],
      },
      { file: 'token-rsa.jwe', format: 'jwe', status: 'encrypted', encryption: { keyHint: { kind: 'key-file' } } },
      {
        file: 'password.jwe',
        format: 'jwe',
        status: 'encrypted',
        encryption: { scheme: 'jwe-a128cbc-hs256', keyHint: { kind: 'password' } },
      },
    ],
    invalid: [
      { file: 'signed.jws', name: 'a JWS: signed, three parts, no "enc"' },
      { file: 'large-signed.jws', name: 'a JWS larger than the probe head' },
      { file: 'ciphertext-field.json', name: 'a "ciphertext" field without a JWE header' },
    ],
  },
  { framework: { describe, it } },
);
