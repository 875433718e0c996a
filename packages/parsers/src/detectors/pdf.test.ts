import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { pdfDetector } from './pdf.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

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
      {
        file: 'behind-a-prefix/junk-then-plain.pdf',
        name: 'a line of text before the header: still a PDF, below any signature at offset 0',
        format: 'pdf',
        status: 'analysable',
        confidence: { max: 0.75 },
        reasons: ['PDF_HEADER'],
      },
      {
        file: 'behind-a-prefix/plain.a',
        name: 'an ar member: the header at offset 68',
        format: 'pdf',
        status: 'analysable',
        confidence: { max: 0.75 },
      },
    ],
    invalid: [
      { file: 'notes-mentioning-pdf.txt' },
      { file: 'overwritten-after-header.pdf', name: 'the header line, then random bytes: no object, xref or trailer' },
    ],
    // PDFs cut short, with their own cases in pdf-cut-short.test.ts.
    ignore: ['cut-short/**', 'behind-a-prefix/*.lz4'],
  },
  { framework: { describe, it } },
);

describe('a PDF header past offset 0 in a scan', () => {
  it('gives way to the format whose signature is at offset 0: the ar archive, the LZ4 frame', async () => {
    const items = await scanFixtures('pdf');
    expect(items.get('behind-a-prefix/plain.a')?.format?.id).toBe('ar');
    expect(items.get('behind-a-prefix/user-password-aes128.pdf.lz4')?.format?.id).toBe('lz4');
    expect(items.get('behind-a-prefix/junk-then-plain.pdf')?.format?.id).toBe('pdf');
  });
});
