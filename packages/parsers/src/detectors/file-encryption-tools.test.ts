import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fileEncryptionToolsDetector } from './file-encryption-tools.js';

testDetector(fileEncryptionToolsDetector, {
  fixtures: new URL('../../fixtures/file-encryption-tools/', import.meta.url),
  valid: [
    { file: 'vim-zip.txt', format: 'vimcrypt', status: 'encrypted', confidence: { min: 0.95 }, reasons: ['VIMCRYPT_MAGIC'], encryption: { scheme: 'vim-zip', keyHint: { kind: 'password' } } },
    { file: 'vim-blowfish2.txt', format: 'vimcrypt', status: 'encrypted', reasons: ['VIMCRYPT_MAGIC'], encryption: { scheme: 'vim-blowfish2' } },
    { file: 'note.v001.jenc', format: 'jenc', status: 'encrypted', confidence: { min: 0.9 }, reasons: ['JENC_HEADER'] },
    { file: 'note.chi', format: 'tombo-chi', status: 'encrypted', reasons: ['TOMBO_HEADER'] },
    { file: 'photo.attachment', format: 'opvault-attachment', status: 'encrypted', reasons: ['OPVAULT_ATTACHMENT_MAGIC'], encryption: { keyHint: { lookFor: ['**/*.opvault/default/profile.js'] } } },
    { file: 'report.pdf.aes', format: 'aescrypt', status: 'encrypted', confidence: { min: 0.9 }, reasons: ['AESCRYPT_HEADER'], encryption: { scheme: 'aescrypt-aes-256' } },
    { file: 'report.pdf.axx', format: 'axcrypt', status: 'encrypted', confidence: { min: 0.95 }, reasons: ['AXCRYPT_GUID'], encryption: { scheme: 'axcrypt-aes', keyHint: { kind: 'password' } } },
    { file: 'login.keychain', format: 'macos-keychain', status: 'encrypted', reasons: ['KEYCHAIN_MAGIC'], encryption: { scope: 'partial' } },
  ],
  invalid: [{ file: 'vim-unknown-method.txt' }, { file: 'bf01-notes.txt' }, { file: 'AES-notes.txt' }],
}, { framework: { describe, it } });
