import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { credentialStoresDetector } from './credential-stores.js';

// Written from each format's published layout; the eCryptfs file by ecryptfs-wrap-passphrase (fixtures/credential-stores/generate.sh).
testDetector(
  credentialStoresDetector,
  {
    fixtures: new URL('../../fixtures/credential-stores/', import.meta.url),
    valid: [
      {
        file: 'kdewallet.kwl',
        format: 'kwallet',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['KWALLET_HEADER'],
        encryption: { scheme: 'kwallet-blowfish-cbc', keyHint: { kind: 'password' } },
      },
      {
        file: 'login.keyring',
        format: 'gnome-keyring',
        status: 'encrypted',
        reasons: ['GNOME_KEYRING_HEADER'],
        encryption: { scope: 'partial' },
      },
      {
        file: 'flatpak-default.keyring',
        format: 'gnome-keyring',
        status: 'encrypted',
        reasons: ['LIBSECRET_FILE_KEYRING'],
        encryption: { scheme: 'libsecret-file-aes-256-cbc', scope: 'partial' },
      },
      { file: 'vault.psafe3', format: 'psafe3', status: 'encrypted', reasons: ['PSAFE3_HEADER'] },
      {
        file: '3e0e4a2c-8f1d-4b6a-9c55-0d2f7b1e9a44',
        format: 'dpapi-masterkey',
        status: 'encrypted',
        reasons: ['DPAPI_MASTERKEY_HEADER'],
        encryption: { scheme: 'dpapi-masterkey-3des' },
      },
      {
        file: 'DFBE70A7E5CC19A398EBF1B96859CE5D',
        format: 'dpapi-blob',
        status: 'encrypted',
        reasons: ['DPAPI_BLOB_PROVIDER'],
        encryption: {
          keyHint: { kind: 'key-file', lookFor: ['**/Protect/S-1-*/3e0e4a2c-8f1d-4b6a-9c55-0d2f7b1e9a44'] },
        },
      },
      {
        file: 'wrapped-passphrase',
        format: 'ecryptfs-wrapped-passphrase',
        status: 'encrypted',
        reasons: ['ECRYPTFS_WRAPPED_PASSPHRASE'],
        encryption: { keyHint: { kind: 'password' } },
      },
    ],
    invalid: [
      { file: 'kwallet-notes.txt' },
      { file: 'pws3-notes.txt' },
      { file: 'version-two.bin' },
      { file: 'one-iteration.keyring', name: 'a libsecret keyring header with an unstretched key' },
    ],
  },
  { framework: { describe, it } },
);
