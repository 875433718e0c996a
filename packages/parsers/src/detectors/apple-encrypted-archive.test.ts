import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { appleEncryptedArchiveDetector } from './apple-encrypted-archive.js';

testDetector(
  appleEncryptedArchiveDetector,
  {
    fixtures: new URL('../../fixtures/apple-encrypted-archive/', import.meta.url),
    valid: [
      { file: 'signed.shortcut', format: 'aea', status: 'analysable', reasons: ['AEA_SIGNED_ONLY'] },
      {
        file: 'symmetric.aea',
        format: 'aea-encrypted',
        status: 'encrypted',
        reasons: ['AEA_ENCRYPTED'],
        encryption: { scheme: 'aea-profile-1', keyHint: { kind: 'key-file' } },
      },
      {
        file: 'password.aea',
        format: 'aea-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'aea-profile-5', keyHint: { kind: 'password' } },
      },
    ],
    invalid: [{ file: 'unknown-profile.aea', name: 'a profile id no AEA version defines' }],
  },
  { framework: { describe, it } },
);
