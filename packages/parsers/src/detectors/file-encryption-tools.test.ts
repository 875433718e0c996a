import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fileEncryptionToolsDetector } from './file-encryption-tools.js';

testDetector(
  fileEncryptionToolsDetector,
  {
    fixtures: new URL('../../fixtures/file-encryption-tools/', import.meta.url),
    valid: [
      {
        file: 'vim-zip.txt',
        format: 'vimcrypt',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['VIMCRYPT_MAGIC'],
        encryption: { scheme: 'vim-zip', keyHint: { kind: 'password' } },
      },
      {
        file: 'vim-blowfish2.txt',
        format: 'vimcrypt',
        status: 'encrypted',
        reasons: ['VIMCRYPT_MAGIC'],
        encryption: { scheme: 'vim-blowfish2' },
      },
      {
        file: 'note.v001.jenc',
        format: 'jenc',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['JENC_HEADER'],
      },
      { file: 'note.chi', format: 'tombo-chi', status: 'encrypted', reasons: ['TOMBO_HEADER'] },
      {
        file: 'photo.attachment',
        format: 'opvault-attachment',
        status: 'encrypted',
        reasons: ['OPVAULT_ATTACHMENT_MAGIC'],
        encryption: { keyHint: { lookFor: ['**/*.opvault/default/profile.js'] } },
      },
      {
        file: 'report.pdf.aes',
        format: 'aescrypt',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['AESCRYPT_HEADER'],
        encryption: { scheme: 'aescrypt-aes-256' },
      },
      {
        file: 'report.pdf.axx',
        format: 'axcrypt',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['AXCRYPT_GUID'],
        encryption: { scheme: 'axcrypt-aes', keyHint: { kind: 'password' } },
      },
      {
        file: '92BFEB4BB567514BC89E861191E2D',
        format: 'cryfs-block',
        status: 'encrypted',
        reasons: ['CRYFS_BLOCK_HEADER'],
        encryption: { keyHint: { lookFor: ['**/cryfs.config'] } },
      },
      { file: 'cryfs.config', format: 'cryfs-config', status: 'encrypted', reasons: ['CRYFS_CONFIG_HEADER'] },
      {
        file: '0a1b2c3d4e5f60718293a4b5c6d7e8f9.md',
        format: 'joplin-encrypted',
        status: 'encrypted',
        reasons: ['JOPLIN_JED01'],
      },
      {
        file: 'note.txt.nc',
        format: 'mcrypt',
        status: 'encrypted',
        reasons: ['MCRYPT_HEADER'],
        encryption: { scheme: 'mcrypt-rijndael-128-cbc' },
      },
      { file: 'note.txt.scrypt', format: 'scrypt-enc', status: 'encrypted', reasons: ['SCRYPT_ENC_HEADER'] },
      {
        file: 'login.keychain',
        format: 'macos-keychain',
        status: 'encrypted',
        reasons: ['KEYCHAIN_MAGIC'],
        encryption: { scope: 'partial' },
      },
    ],
    invalid: [
      { file: 'jed01-notes.md' },
      { file: 'vim-unknown-method.txt' },
      { file: 'bf01-notes.txt' },
      { file: 'AES-notes.txt' },
    ],
  },
  { framework: { describe, it } },
);
