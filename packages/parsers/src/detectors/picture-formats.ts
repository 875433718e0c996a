/**
 * Picture formats neither file-type nor libmagic names: Apple QuickDraw PICT
 * (version 1 and 2, with or without the 512-byte application header) and
 * Zeiss CZI microscopy images. Both are readable formats, so analysable.
 * libmagic reads a PICT's first bytes as an "ispell hash file" and says
 * nothing of CZI, which would leave them opaque binary.
 * References: Apple "Inside Macintosh: Imaging With QuickDraw", appendix A
 * (picSize, picFrame, the version opcodes 0x1101 and 0x0011 0x02FF followed by
 * the header opcode 0x0C00); Zeiss "ZISRAW (CZI) File Format" (segment header:
 * 16-byte id "ZISRAWFILE", allocated and used size, then the file header with
 * its major version 1).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u16be, u32le, u64le } from './util.js';

/** The QuickDraw picture at `at` (0, or 512 behind a Mac application header), if its frame and version opcode hold. */
function pictAt(h: Uint8Array, at: number): { version: 1 | 2; width: number; height: number } | undefined {
  if (h.length < at + 16) return undefined;
  const s16 = (o: number) => ((u16be(h, at + o) ?? 0) << 16) >> 16;
  const [top, left, bottom, right] = [s16(2), s16(4), s16(6), s16(8)];
  if (bottom <= top || right <= left) return undefined;
  const op = Buffer.from(h.subarray(at + 10, at + 16)).toString('hex');
  // Version 2 (extended or not) starts with its version opcode and the header opcode.
  if (op === '001102ff0c00') return { version: 2, width: right - left, height: bottom - top };
  // Version 1: the one-byte version opcode, then (as every QuickDraw writer does) a clip region of 10 bytes.
  if (op.startsWith('1101') && (op.slice(4) === '0100' || op.slice(4) === 'a000')) {
    return { version: 1, width: right - left, height: bottom - top };
  }
  return undefined;
}

export const pictureFormatsDetector = defineDetector({
  meta: {
    id: 'picture-formats',
    version: '1.0.0',
    title: 'Pictures the magic libraries miss: QuickDraw PICT and Zeiss CZI',
    formats: [
      {
        id: 'pict',
        name: 'Apple QuickDraw picture (PICT)',
        status: 'analysable',
        how: 'header-field',
        mime: 'image/x-pict',
        extensions: ['pict', 'pct', 'pic'],
      },
      { id: 'czi', name: 'Zeiss CZI microscopy image', status: 'analysable', how: 'header-field', extensions: ['czi'] },
    ],
  },
  minSize: 16,
  priority: 45,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (ascii(h, 0, 16) === 'ZISRAWFILE\0\0\0\0\0\0') {
      const allocated = u64le(h, 16) ?? 0;
      const used = u64le(h, 24) ?? 0;
      const major = u32le(h, 32) ?? 0;
      if (major !== 1 || used > allocated || used < 80) return undefined;
      return plain('analysable', {
        id: 'czi',
        name: 'Zeiss CZI microscopy image',
        confidence: 0.95,
        code: 'CZI_FILE_HEADER',
        message: `Zeiss CZI file header segment ("ZISRAWFILE", ${used} of ${allocated} bytes used, format ${major}.${u32le(h, 36) ?? 0}): a microscopy image in a documented segment format.`,
        figures: { major, minor: u32le(h, 36) ?? 0, allocated, used },
      });
    }
    for (const at of [0, 512]) {
      const pict = pictAt(h, at);
      if (!pict) continue;
      return plain('analysable', {
        id: 'pict',
        name: 'Apple QuickDraw picture (PICT)',
        mime: 'image/x-pict',
        confidence: pict.version === 2 ? 0.92 : 0.85,
        code: 'PICT_HEADER',
        message: `QuickDraw PICT version ${pict.version} ${pict.width}x${pict.height} (frame and version opcode at offset ${at + 2}${at ? ', behind the 512-byte application header' : ''}): a readable picture.`,
        figures: { version: pict.version, width: pict.width, height: pict.height, offset: at },
      });
    }
    return undefined;
  },
});
