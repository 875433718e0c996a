/**
 * The TIFF header and first image file directory (TIFF 6.0 §2; BigTIFF; the Panasonic RW2 and Olympus ORF
 * variants of the magic), shared by the detectors that have to believe a TIFF answer: damaged-pictures,
 * file-type's TIFF check and libmagic's TIFF rule.
 */
import { startsWith, u16be, u16le, u32be, u32le } from './util.js';

export const TIFF_VARIANTS: Array<{ magic: string; le: boolean; big?: boolean; format: 'tiff' | 'rw2' | 'orf' }> = [
  { magic: 'II*\0', le: true, format: 'tiff' },
  { magic: 'MM\0*', le: false, format: 'tiff' },
  { magic: 'II+\0', le: true, big: true, format: 'tiff' },
  { magic: 'MM\0+', le: false, big: true, format: 'tiff' },
  { magic: 'IIU\0', le: true, format: 'rw2' },
  { magic: 'IIRO', le: true, format: 'orf' },
  { magic: 'IIRS', le: true, format: 'orf' },
  { magic: 'MMOR', le: false, format: 'orf' },
];

/**
 * A TIFF header (or a raw format built on it) and its first IFD inside the file; where the head holds the IFD, a
 * possible entry count and a defined field type in its first entry (`count` is undefined when it lies past the
 * head: writers often put it after the image data). Used by damaged-pictures, file-type and libmagic's TIFF rule.
 */
export function tiffIfd(
  h: Uint8Array,
  size: number,
): { variant: (typeof TIFF_VARIANTS)[number]; ifd: number; count?: number } | undefined {
  const v = TIFF_VARIANTS.find((x) => startsWith(h, x.magic));
  if (!v) return undefined;
  const u16 = v.le ? u16le : u16be;
  const u32 = v.le ? u32le : u32be;
  // BigTIFF: offset size 8 and a zero word, then a 64-bit offset (its high half zero in any real file).
  if (v.big && (u16(h, 4) !== 8 || u16(h, 6) !== 0 || u32(h, v.le ? 12 : 8) !== 0)) return undefined;
  const ifd = v.big ? (u32(h, v.le ? 8 : 12) ?? 0) : (u32(h, 4) ?? 0);
  if (ifd < 8 || ifd >= size) return undefined;
  const count = u16(h, ifd);
  const type = u16(h, ifd + (v.big ? 8 : 2) + 2);
  if (count === undefined || type === undefined) return { variant: v, ifd };
  if (count < 1 || count > 4096 || type < 1 || type > 18) return undefined;
  return { variant: v, ifd, count };
}
