import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { pdfDetector } from '../detectors/pdf.js';
import { pdfEncryptionParser } from './pdf-encryption.js';

// Made by qpdf; `qpdf --requires-password` agrees with every status below.
testParser(
  pdfEncryptionParser,
  {
    fixtures: new URL('../../fixtures/pdf-encryption/', import.meta.url),
    detectors: [pdfDetector],
    valid: [
      // DRM handlers: named with what each needs, never taken for certificate security.
      {
        file: 'adept-ebx.pdf',
        format: 'pdf-encrypted',
        status: 'encrypted',
        encryption: {
          scheme: 'pdf-ebx_handler',
          keyHint: {
            kind: 'keystore',
            lookFor: [
              '**/.adobe-digital-editions/activation.xml',
              '**/Digital Editions/activation.dat',
              '**/Digital Editions/activation.xml',
            ],
          },
        },
        details: { filter: 'EBX_HANDLER', wrappedKeyBytes: 128 },
      },
      {
        file: 'bn-ebx.pdf',
        format: 'pdf-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pdf-ebx_handler', keyHint: { kind: 'keystore' } },
        details: { filter: 'EBX_HANDLER', wrappedKeyBytes: 48 },
      },
      {
        file: 'fileopen.pdf',
        format: 'pdf-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pdf-fopn_foweb', keyHint: { kind: 'unknown' } },
        details: { filter: 'FOPN_foweb' },
      },
      {
        file: 'user-password-aes256.pdf',
        format: 'pdf-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pdf-aes-256', keyHint: { kind: 'password' } },
        details: { r: 6, emptyPasswordOpens: false },
      },
      {
        file: 'user-password-aes128.pdf',
        format: 'pdf-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pdf-aes-128' },
        details: { r: 4 },
      },
      {
        file: 'user-password-rc4-40.pdf',
        format: 'pdf-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pdf-rc4-40' },
        details: { r: 2 },
      },
      {
        file: 'empty-user-password-rc4.pdf',
        format: 'pdf-encrypted',
        status: 'analysable',
        details: { r: 3, emptyPasswordOpens: 'user' },
      },
      {
        // qpdf's files with /Length renamed: the key is 128 bits, not the 40 the standard gives when /Length is absent.
        file: 'no-length-rc4-128.pdf',
        format: 'pdf-encrypted',
        status: 'analysable',
        details: { r: 3, keyBits: 128, scheme: 'pdf-rc4-128', emptyPasswordOpens: 'user' },
      },
      {
        file: 'no-length-aes-128.pdf',
        format: 'pdf-encrypted',
        status: 'analysable',
        details: { r: 4, keyBits: 128, scheme: 'pdf-aes-128', emptyPasswordOpens: 'user' },
      },
      {
        file: 'empty-passwords-aes256.pdf',
        format: 'pdf-encrypted',
        status: 'analysable',
        details: { r: 6, emptyPasswordOpens: 'user' },
      },
    ],
    invalid: [
      { file: 'dangling-encrypt.pdf', format: 'pdf-encrypted', diagnostics: ['PDF_ENCRYPT_DICTIONARY_UNREAD'] },
    ],
  },
  { framework: { describe, it } },
);
