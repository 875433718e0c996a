import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { keepassDetector } from './keepass.js';

testDetector(
  keepassDetector,
  {
    fixtures: new URL('../../fixtures/keepass/', import.meta.url),
    valid: [
      {
        file: 'password.kdbx',
        format: 'kdbx',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['KDBX_SIGNATURE'],
        encryption: {
          scheme: 'kdbx-3-aes-kdf-aes256',
          keyHint: { kind: 'password', lookFor: ['**/*.keyx', '**/*.key'] },
        },
      },
      { file: 'keyfile.kdbx', format: 'kdbx', status: 'encrypted', reasons: ['KDBX_SIGNATURE'] },
      {
        // KDBX 4's key derivation is in its VariantDictionary: Argon2d with its cost.
        file: 'argon2d-v4.kdbx',
        format: 'kdbx',
        status: 'encrypted',
        reasons: ['KDBX_SIGNATURE'],
        encryption: { scheme: 'kdbx-4-argon2d-aes256', keyHint: { kind: 'password' } },
      },
    ],
    // The key file itself is random bytes, not a database; and a wrong second signature is not KeePass.
    invalid: [{ file: 'db.key' }, { file: 'wrong-second-signature.bin' }],
  },
  { framework: { describe, it } },
);
