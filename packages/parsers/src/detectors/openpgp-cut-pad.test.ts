import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { openpgpDetector } from './openpgp.js';

// The real gpg files of fixtures/openpgp/, cut short and padded with zeros to 4 KiB
// (fixtures/openpgp/cut-pad/make.sh).
testDetector(
  openpgpDetector,
  {
    fixtures: new URL('../../fixtures/openpgp/cut-pad/', import.meta.url),
    valid: [
      {
        file: 'secret-key-protected-700.gpg',
        name: 'the primary secret key packet cut after its S2K header (254, AES-128, iterated and salted)',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        confidence: 0.85,
        reasons: ['PGP_SECRET_KEY_PROTECTED_CUT_SHORT'],
        encryption: { scheme: 'openpgp-s2k-aes-128', keyHint: { kind: 'password' } },
      },
      {
        file: 'secret-key-protected-half.gpg',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        reasonsInclude: ['PGP_SECRET_KEY_PROTECTED'],
      },
      { file: 'public-key-half.gpg', format: 'pgp-key', status: 'analysable' },
      {
        file: 'symmetric-padded.gpg',
        format: 'pgp-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SYMMETRIC_SESSION'],
      },
      { file: 'to-key-padded.gpg', format: 'pgp-encrypted', status: 'encrypted', reasons: ['PGP_PUBLIC_KEY_SESSION'] },
      {
        file: 'secret-key-protected-padded.gpg',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        reasonsInclude: ['PGP_SECRET_KEY_PROTECTED'],
      },
      { file: 'public-key-padded.gpg', format: 'pgp-key', status: 'analysable' },
      { file: 'signed-padded.gpg', format: 'pgp-message', status: 'analysable' },
    ],
    invalid: [
      {
        file: 'secret-key-protected-300.gpg',
        name: 'cut inside the public numbers, before the S2K usage octet: nothing says protected',
      },
    ],
  },
  { framework: { describe, it } },
);
