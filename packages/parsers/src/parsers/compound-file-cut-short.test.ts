import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { cutShortPresentation } from './compound-file-cut-short.js';

// Presentations written from the published layouts and cut in half (fixtures/ole2-encryption/cut-presentations/make.py).
const read = (name: string) =>
  fs.readFileSync(new URL(`../../fixtures/ole2-encryption/cut-presentations/${name}`, import.meta.url));

describe('cutShortPresentation', () => {
  it('takes an EncryptedSummary stream named in the directory as encryption', () => {
    const v = cutShortPresentation(read('rc4-summary-half.ppt'));
    expect(v?.code).toBe('PPT_CUT_SHORT_ENCRYPTED_SUMMARY');
    expect(v?.names).toEqual(['PowerPoint Document', 'EncryptedSummary', 'Current User']);
    expect(v?.figures).toMatchObject({ fileBytes: 3584, documentStreamBytes: 4462 });
  });

  it('takes a document stream whose first sector is no record and uniform as encryption', () => {
    const v = cutShortPresentation(read('rc4-plain-names-half.ppt'));
    expect(v?.code).toBe('PPT_CUT_SHORT_UNIFORM_DOCUMENT');
    expect(Number(v?.figures['chiSquareP'])).toBeGreaterThan(0.001);
  });

  it('claims nothing on a clear presentation, whole or cut, nor on one whose directory is past the cut', () => {
    expect(cutShortPresentation(read('clear-half.ppt'))).toBeUndefined();
    expect(cutShortPresentation(read('clear.ppt'))).toBeUndefined();
    expect(cutShortPresentation(read('rc4-plain-names-half.ppt').subarray(0, 1000))).toBeUndefined();
    // Random bytes where the document stream starts, with a record header that fits: still a record.
    const b = Buffer.from(read('rc4-plain-names-half.ppt'));
    b.writeUInt32LE(100, 2048 + 4);
    expect(cutShortPresentation(b)).toBeUndefined();
  });

  it('answers or declines on seeded mutations of the header and directory, never throws', () => {
    const base = read('rc4-summary-half.ppt');
    const noise = seededBytes(0x45b0, 3000);
    for (let i = 0; i < 1000; i++) {
      const b = Buffer.from(base);
      for (let k = 0; k < 3; k++)
        b[noise[(i * 3 + k) % 3000]! * 4 + ((i * 7) % 4) + (k === 0 ? 0 : 512)] = noise[(i + k * 11) % 3000]!;
      const v = cutShortPresentation(b);
      if (v) expect(v.names).toContain('PowerPoint Document');
    }
  });
});
