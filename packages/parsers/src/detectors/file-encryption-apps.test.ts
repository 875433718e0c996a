import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fileEncryptionAppsDetector } from './file-encryption-apps.js';

testDetector(
  fileEncryptionAppsDetector,
  {
    fixtures: new URL('../../fixtures/file-encryption-apps/', import.meta.url),
    valid: [
      {
        file: 'ledger.xlsx.pcv',
        format: 'picocrypt',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['PICOCRYPT_HEADER'],
        encryption: { scheme: 'picocrypt-xchacha20', keyHint: { kind: 'password' } },
      },
      {
        file: 'photos.zip.pcv',
        format: 'picocrypt',
        status: 'encrypted',
        reasons: ['PICOCRYPT_HEADER'],
        encryption: { scheme: 'picocrypt-paranoid-xchacha20-serpent', keyHint: { kind: 'key-file' } },
      },
      {
        file: 'notes.txt.pcv',
        format: 'picocrypt',
        status: 'encrypted',
        reasons: ['PICOCRYPT_PCV3'],
        encryption: { scheme: 'picocrypt-pcv3' },
      },
      {
        file: 'ledger.txt.enc',
        format: 'hat-sh',
        status: 'encrypted',
        reasons: ['HATSH_SIGNATURE'],
        encryption: { scheme: 'hat-sh-v2-password-xchacha20poly1305', keyHint: { kind: 'password' } },
      },
      {
        file: 'ledger-pk.txt.enc',
        format: 'hat-sh',
        status: 'encrypted',
        reasons: ['HATSH_SIGNATURE'],
        encryption: { scheme: 'hat-sh-v2-public-key-xchacha20poly1305', keyHint: { kind: 'key-file' } },
      },
      {
        file: 'message.saltpack',
        format: 'saltpack-encrypted',
        status: 'encrypted',
        reasons: ['SALTPACK_ENCRYPTED'],
        encryption: { scheme: 'saltpack-encryption', keyHint: { kind: 'key-file' } },
      },
      {
        file: 'signcrypted.saltpack',
        format: 'saltpack-encrypted',
        status: 'encrypted',
        reasons: ['SALTPACK_ENCRYPTED'],
        encryption: { scheme: 'saltpack-signcryption' },
      },
      {
        file: 'message-armored.saltpack.txt',
        format: 'saltpack-encrypted',
        status: 'encrypted',
        reasons: ['SALTPACK_ENCRYPTED'],
        encryption: { scheme: 'saltpack-encryption' },
      },
      {
        file: 'contract.pdf.bc',
        format: 'boxcryptor',
        status: 'encrypted',
        reasons: ['BOXCRYPTOR_HEADER'],
        encryption: { scheme: 'boxcryptor-aes-256-cbc', keyHint: { lookFor: ['**/*.bckey', '**/Boxcryptor/**'] } },
      },
      {
        file: 'minutes.docx.kryptor',
        format: 'kryptor',
        status: 'encrypted',
        reasons: ['KRYPTOR_HEADER'],
        encryption: { scheme: 'kryptor-xchacha20-blake2b', keyHint: { kind: 'password' } },
      },
      {
        file: 'encryption.private',
        format: 'kryptor-private-key',
        status: 'encrypted',
        reasons: ['KRYPTOR_PRIVATE_KEY'],
        encryption: { scheme: 'kryptor-private-key-argon2id' },
      },
      {
        file: 'minutes.docx.signature',
        format: 'kryptor-signature',
        status: 'analysable',
        reasons: ['KRYPTOR_SIGNATURE'],
      },
      {
        file: 'keybase-message.saltpack.txt',
        format: 'saltpack-encrypted',
        status: 'encrypted',
        reasons: ['SALTPACK_ENCRYPTED'],
        encryption: { scheme: 'saltpack-encryption', keyHint: { kind: 'key-file' } },
      },
      { file: 'signed.saltpack', format: 'saltpack-signed', status: 'analysable', reasons: ['SALTPACK_SIGNED'] },
      {
        file: 'signed-armored.saltpack.txt',
        format: 'saltpack-signed',
        status: 'analysable',
        reasons: ['SALTPACK_SIGNED'],
      },
    ],
    invalid: [{ file: 'v1-release-notes.txt' }, { file: 'pcv-prefix.bin' }],
  },
  { framework: { describe, it } },
);
