import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { bcryptBfeDetector } from './bcrypt-bfe.js';

// Files in bcrypt 1.1's layout with real Blowfish-ECB (no Debian package; fixtures/bcrypt-bfe/generate.py).
const bfe = { scheme: 'bcrypt-blowfish-ecb', keyHint: { kind: 'password' } } as const;
testDetector(
  bcryptBfeDetector,
  {
    fixtures: new URL('../../fixtures/bcrypt-bfe/', import.meta.url),
    valid: [
      { file: 'notes.txt.bfe', format: 'bcrypt-bfe', status: 'encrypted', reasons: ['BCRYPT_BFE'], encryption: bfe },
      {
        file: 'notes-compressed.txt.bfe',
        format: 'bcrypt-bfe',
        status: 'encrypted',
        reasons: ['BCRYPT_BFE'],
        encryption: bfe,
      },
      {
        file: 'notes-bigendian.txt.bfe',
        format: 'bcrypt-bfe',
        status: 'encrypted',
        reasons: ['BCRYPT_BFE'],
        encryption: bfe,
      },
      { file: 'zeros.img.bfe', format: 'bcrypt-bfe', status: 'encrypted', reasons: ['BCRYPT_BFE'], encryption: bfe },
    ],
    invalid: [{ file: 'readme.bfe' }, { file: 'notes.txt.bin' }, { file: 'generate.py' }],
  },
  { framework: { describe, it } },
);
