/**
 * 7-Zip archives by their signature header (magic, version, next-header
 * location). Whether content or headers are AES-encrypted is in the (usually
 * LZMA-compressed) header at the end, read by the sevenzip-encryption parser.
 * Reference: 7-Zip DOC/7zFormat.txt ("SignatureHeader").
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u64le } from './util.js';

export const sevenzipDetector = defineDetector({
  meta: {
    id: 'sevenzip',
    version: '1.0.0',
    title: '7-Zip archives',
    formats: [
      {
        id: '7z',
        name: '7-Zip archive',
        status: 'analysable',
        how: 'signature',
        mime: 'application/x-7z-compressed',
        extensions: ['7z', '001', 'cb7'],
      },
      {
        id: '7z-encrypted',
        name: '7-Zip archive, encrypted',
        status: 'encrypted',
        how: 'header-field',
        mime: 'application/x-7z-compressed',
        extensions: ['7z', '001', 'cb7'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '377abcaf271c' }],
  minSize: 32,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const major = h[6]!;
    const minor = h[7]!;
    if (major !== 0) return undefined;
    const nextOffset = u64le(h, 12) ?? 0;
    const nextSize = u64le(h, 20) ?? 0;
    const fits = 32 + nextOffset + nextSize <= probe.size;
    return plain('analysable', {
      id: '7z',
      name: '7-Zip archive',
      mime: 'application/x-7z-compressed',
      confidence: fits ? 0.9 : 0.85,
      code: 'SEVENZIP_SIGNATURE',
      message: `7-Zip signature header, format ${major}.${minor}, next header of ${nextSize} bytes at ${32 + nextOffset}${fits ? '' : ' (past the end of the file: a split or truncated archive)'}.`,
      figures: {
        formatVersion: `${major}.${minor}`,
        nextHeaderOffset: 32 + nextOffset,
        nextHeaderSize: nextSize,
        headerInFile: fits,
      },
    });
  },
});
