import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { pdfDetector } from './pdf.js';

// The detector only sees /Encrypt ("likely"); the pdf-encryption parser decides whether a password is needed.
testDetector(
  pdfDetector,
  {
    fixtures: new URL('../../fixtures/pdf/', import.meta.url),
    valid: [
      { file: 'plain.pdf', format: 'pdf', status: 'analysable', confidence: { min: 0.9 }, reasons: ['PDF_HEADER'] },
      {
        file: 'user-password-aes256.pdf',
        format: 'pdf-encrypted',
        status: 'encrypted',
        confidence: { min: 0.7, max: 0.89 },
        reasons: ['PDF_ENCRYPT_DICTIONARY'],
      },
      {
        file: 'user-password-aes128.pdf',
        format: 'pdf-encrypted',
        status: 'encrypted',
        reasons: ['PDF_ENCRYPT_DICTIONARY'],
      },
      {
        file: 'user-password-rc4-40.pdf',
        format: 'pdf-encrypted',
        status: 'encrypted',
        reasons: ['PDF_ENCRYPT_DICTIONARY'],
      },
      {
        file: 'empty-user-password-rc4.pdf',
        format: 'pdf-encrypted',
        status: 'encrypted',
        reasons: ['PDF_ENCRYPT_DICTIONARY'],
      },
      {
        file: 'empty-passwords-aes256.pdf',
        format: 'pdf-encrypted',
        status: 'encrypted',
        reasons: ['PDF_ENCRYPT_DICTIONARY'],
      },
    ],
    invalid: [
      { file: 'notes-mentioning-pdf.txt' },
      { file: 'overwritten-after-header.pdf', name: 'the header line, then random bytes: no object, xref or trailer' },
    ],
    // PDFs cut short, with their own cases in pdf-cut-short.test.ts.
    ignore: ['cut-short/**'],
  },
  { framework: { describe, it } },
);
