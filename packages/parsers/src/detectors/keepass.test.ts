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
        encryption: { scheme: 'kdbx-3', keyHint: { kind: 'password', lookFor: ['**/*.keyx', '**/*.key'] } },
      },
      { file: 'keyfile.kdbx', format: 'kdbx', status: 'encrypted', reasons: ['KDBX_SIGNATURE'] },
    ],
    // The key file itself is random bytes, not a database; and a wrong second signature is not KeePass.
    invalid: [{ file: 'db.key' }, { file: 'wrong-second-signature.bin' }],
  },
  { framework: { describe, it } },
);
