import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { pdfBodyDetector } from './pdf-body.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// A qpdf-written PDF carved from its 17th byte on, qpdf's own headerless fuzzing file, and near misses:
// fixtures/pdf-body/generate.sh.
testDetector(
  pdfBodyDetector,
  {
    fixtures: new URL('../../fixtures/pdf-body/', import.meta.url),
    valid: [
      { file: 'carved.pdf', format: 'pdf', status: 'analysable', reasons: ['PDF_OBJECTS_WITHOUT_HEADER'] },
      { file: 'fuzz-16214.pdf', format: 'pdf', status: 'analysable', reasons: ['PDF_OBJECTS_WITHOUT_HEADER'] },
    ],
    invalid: [
      { file: 'carved-encrypted.pdf', name: 'an /Encrypt that cannot be checked without the header' },
      { file: 'one-object.bin', name: 'one object among random bytes' },
    ],
  },
  { framework: { describe, it } },
);

describe('pdf-body through the whole engine', () => {
  it('a headerless PDF is a PDF, not unknown binary; a PDF with its header stays the pdf detector’s', async () => {
    const items = await scanFixtures('pdf-body');
    for (const file of ['carved.pdf', 'fuzz-16214.pdf']) {
      expect(items.get(file)?.format?.id, file).toBe('pdf');
      expect(items.get(file)?.format?.detector, file).toBe('pdf-body');
      expect(items.get(file)?.classification.status, file).toBe('analysable');
    }
    expect(items.get('generate.sh')?.format?.detector).not.toBe('pdf-body');
  });
});
