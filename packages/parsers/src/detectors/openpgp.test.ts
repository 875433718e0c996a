import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { openpgpDetector } from './openpgp.js';

testDetector(
  openpgpDetector,
  {
    fixtures: new URL('../../fixtures/openpgp/', import.meta.url),
    valid: [
      {
        file: 'to-key.gpg',
        format: 'pgp-encrypted',
        status: 'encrypted',
        confidence: { min: 0.85 },
        reasons: ['PGP_PUBLIC_KEY_SESSION'],
        encryption: {
          keyHint: { kind: 'key-file', lookFor: ['**/.gnupg/private-keys-v1.d/*.key', '**/.gnupg/secring.gpg'] },
        },
      },
      {
        file: 'to-key.asc',
        format: 'pgp-encrypted',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['PGP_PUBLIC_KEY_SESSION'],
      },
      {
        file: 'symmetric.gpg',
        format: 'pgp-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SYMMETRIC_SESSION'],
        encryption: { keyHint: { kind: 'password' } },
      },
      { file: 'symmetric.asc', format: 'pgp-encrypted', status: 'encrypted', reasons: ['PGP_SYMMETRIC_SESSION'] },
      {
        file: 'secret-key-protected.gpg',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SECRET_KEY_PROTECTED'],
      },
      {
        file: 'secret-key-clear.asc',
        format: 'pgp-key',
        status: 'analysable',
        reasons: ['PGP_SECRET_KEY_UNPROTECTED'],
      },
      { file: 'public-key.asc', format: 'pgp-key', status: 'analysable', reasons: ['PGP_PUBLIC_KEY'] },
      // Binary public keys and a detached signature (gpg): each key packet ends where its fields do.
      { file: 'public-key.gpg', format: 'pgp-key', status: 'analysable', reasons: ['PGP_PUBLIC_KEY'] },
      { file: 'public-key-ed25519.gpg', format: 'pgp-key', status: 'analysable', reasons: ['PGP_PUBLIC_KEY'] },
      { file: 'detached.sig', format: 'pgp-signed', status: 'analysable', reasons: ['PGP_NOT_ENCRYPTED'] },
      { file: 'signed.gpg', format: 'pgp-message', status: 'analysable', reasons: ['PGP_NOT_ENCRYPTED'] },
      { file: 'literal.gpg', format: 'pgp-message', status: 'analysable', reasons: ['PGP_NOT_ENCRYPTED'] },
      {
        file: 'pgp2-public-key.pgp',
        name: 'a PGP 2.x (version 3) public key',
        format: 'pgp-key',
        status: 'analysable',
      },
      { file: 'clearsigned.asc', format: 'pgp-signed', status: 'analysable', reasons: ['PGP_CLEARSIGNED'] },
      { file: 'public-subkey-bare.gpg', format: 'pgp-key', status: 'analysable', reasons: ['PGP_PUBLIC_KEY'] },
      {
        file: 'pgp2-secret-key-idea.pgp',
        name: 'a PGP 2.x (version 3) secret key protected with IDEA',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SECRET_KEY_PROTECTED'],
      },
      {
        file: 'pgp2-secret-key-clear.pgp',
        name: 'a PGP 2.x (version 3) secret key in clear',
        format: 'pgp-key',
        status: 'analysable',
        reasons: ['PGP_SECRET_KEY_UNPROTECTED'],
      },
      {
        file: 'marker-then-symmetric.gpg',
        name: 'a symmetric message behind a marker packet',
        format: 'pgp-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SYMMETRIC_SESSION'],
      },
      {
        file: 'certificate-without-primary.gpg',
        format: 'pgp-key',
        status: 'analysable',
        reasons: ['PGP_USER_ID_PACKETS'],
      },
    ],
    invalid: [
      { file: 'user-id-then-text.bin', name: 'a user ID packet followed by text, not its signature' },
      { file: 'fake-armor.txt' },
      // Packet headers in front of random bytes (bench/prefix-sweep.mjs found each on ciphertext).
      { file: 'random-after-signature-header.bin', name: 'a signature header, then random fields' },
      { file: 'random-after-compressed-header.bin', name: 'a compressed-data header, then random bytes' },
      { file: 'random-after-public-key-header.bin', name: 'a version 4 public key header, then random fields' },
      { file: 'pgp2-key-epoch.pgp', name: 'a version 3 key packet dated 1970' },
      {
        file: 'lz4-block.bin',
        name: 'an LZ4 block whose first bytes read as a literal packet with NULs in its file name',
      },
    ],
  },
  { framework: { describe, it } },
);
