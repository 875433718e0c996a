/**
 * Picture formats neither file-type nor libmagic names: Apple QuickDraw PICT
 * (version 1 and 2, with or without the 512-byte application header), Zeiss
 * CZI microscopy images and Android's MediaStore thumbnail caches
 * (`.thumbnails/.thumbdata3-*`, `.thumbdata4-*`). All are readable, so
 * analysable. libmagic reads a PICT's first bytes as an "ispell hash file",
 * says nothing of CZI, and sees a thumbnail cache (its first slot unused, so
 * zeros) as nothing or, when a thumbnail fills slot 0, a Commodore BASIC
 * program; that would leave them opaque or misnamed.
 * References: Apple "Inside Macintosh: Imaging With QuickDraw", appendix A
 * (picSize, picFrame, the version opcodes 0x1101 and 0x0011 0x02FF followed by
 * the header opcode 0x0C00); Zeiss "ZISRAW (CZI) File Format" (segment header:
 * 16-byte id "ZISRAWFILE", allocated and used size, then the file header with
 * its major version 1); Android's `MiniThumbFile` (android.media, 2.x to 9):
 * one fixed slot per media id at id × 10000 bytes (MediaTek builds: 16 KiB),
 * each [status 1][magic u64 BE][length u32 BE][JPEG], unwritten slots zero,
 * erased ones with magic 0 (MiniThumbFile reads that as "no thumbnail").
 * iTunes cover-art caches (`Album Artwork/Cache/…/*.itc`, `.itc2`): an
 * "itch" block, then an "item" block whose header length leads to the PNG or
 * JPEG it holds (exiftool's ITC module; waldoland.com "ITC File Format").
 * libmagic names them, but the picture sits behind 0x1ec bytes of header, which
 * the obfuscated-media fallback would take for a garbled picture.
 * Kodak Photo CD image packs (`.pcd`): "PCD_IPI" at 0x800, the image pack
 * information after the 2 KiB lead-in (netpbm's pcdtoppm and ImageMagick read
 * them); wasmagic answers "SIMH tape data" for the lead-in's 0xFF bytes.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, plain, u16be, u32be, u32le, u64le } from './util.js';

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

/** An iTunes cover-art cache: its item's picture format and where the picture starts, if the blocks chain to it. */
function itcAt(h: Uint8Array, size: number): { picture: 'PNG' | 'JPEG'; offset: number } | undefined {
  if (ascii(h, 4, 8) !== 'itch') return undefined;
  const header = u32be(h, 0) ?? 0;
  if (header < 16 || header + 16 > size) return undefined;
  const itemSize = u32be(h, header) ?? 0;
  if (ascii(h, header + 4, header + 8) !== 'item' || itemSize < 16 || header + itemSize > size) return undefined;
  // The item's header length (from the item's start) leads to the picture.
  const offset = header + (u32be(h, header + 8) ?? 0);
  const sig = h.subarray(offset, offset + 4);
  const picture =
    sig[0] === 0x89 && ascii(sig, 1, 4) === 'PNG'
      ? 'PNG'
      : sig[0] === 0xff && sig[1] === 0xd8 && sig[2] === 0xff
        ? 'JPEG'
        : undefined;
  if (!picture || offset >= header + itemSize) return undefined;
  return { picture, offset };
}

/** MiniThumbFile's slot sizes: AOSP's, and MediaTek's enlarged one. */
const THUMB_SLOTS = [10000, 16384];
const THUMB_HEADER = 13;

/** The JPEG length of the thumbnail record at `o` of `b`, if the slot holds one. */
function thumbRecordAt(b: Uint8Array, o: number, slot: number): number | undefined {
  if (b[o] !== 1 || b[o + 13] !== 0xff || b[o + 14] !== 0xd8 || b[o + 15] !== 0xff) return undefined;
  const length = u32be(b, o + 9) ?? 0;
  if (length < 4 || length > slot - THUMB_HEADER) return undefined;
  // The JPEG's end-of-image marker closes the record, where the bytes read reach it.
  const end = o + THUMB_HEADER + length;
  if (end <= b.length && (b[end - 2] !== 0xff || b[end - 1] !== 0xd9)) return undefined;
  return length;
}

/** Thumbnail records at slot boundaries in the head, samples and tail; undefined if any boundary seen holds something else. */
function thumbCache(probe: Probe): { slot: number; records: number } | undefined {
  const h = probe.head;
  // Slot 0 starts the file: a record's status byte 1, or an unused or erased slot's 0. Any other first byte
  // fails slot 0 for both slot sizes, so most files stop here (this detector runs on every file).
  if (h.length < THUMB_HEADER + 3 || h[0]! > 1) return undefined;
  for (const slot of THUMB_SLOTS) {
    let records = 0;
    let foreign = false;
    const seen = new Set<number>();
    const views = [{ at: 0, bytes: h }, ...probe.samples.map((x) => ({ at: x.offset, bytes: x.bytes }))];
    if (probe.tail.length > 0) views.push({ at: probe.size - probe.tail.length, bytes: probe.tail });
    for (const { at, bytes } of views) {
      for (let k = Math.ceil(at / slot); k * slot - at + THUMB_HEADER + 3 <= bytes.length; k++) {
        const o = k * slot - at;
        // The tail may overlap the head on files under head + tail bytes: count each slot once.
        if (seen.has(k)) continue;
        seen.add(k);
        if (thumbRecordAt(bytes, o, slot) !== undefined) records++;
        // An unwritten slot (the file's holes) reads as zeros; an erased one keeps status 0 or 1 and magic 0.
        else if (!(bytes[o]! <= 1 && bytes.subarray(o + 1, o + 9).every((x) => x === 0))) foreign = true;
      }
    }
    if (records > 0 && !foreign) return { slot, records };
  }
  return undefined;
}

export const pictureFormatsDetector = defineDetector({
  meta: {
    id: 'picture-formats',
    version: '1.2.0',
    title:
      'Pictures the magic libraries miss or misplace: QuickDraw PICT, Zeiss CZI, Android thumbnail caches, iTunes cover art',
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
      { id: 'android-thumbdata', name: 'Android MediaStore thumbnail cache', status: 'analysable', how: 'structure' },
      {
        id: 'photo-cd',
        name: 'Kodak Photo CD image pack',
        status: 'analysable',
        how: 'signature',
        extensions: ['pcd'],
      },
      {
        id: 'itc',
        name: 'iTunes cover art cache (ITC)',
        status: 'analysable',
        how: 'structure',
        extensions: ['itc', 'itc2'],
      },
    ],
  },
  minSize: 16,
  priority: 45,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (ascii(h, 2048, 2055) === 'PCD_IPI')
      return plain('analysable', {
        id: 'photo-cd',
        name: 'Kodak Photo CD image pack',
        confidence: 0.9,
        code: 'PHOTO_CD_IPI',
        message:
          '"PCD_IPI" at offset 2048, the image pack information after the lead-in: a Kodak Photo CD picture (read by netpbm and ImageMagick).',
      });
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
    const itc = itcAt(h, probe.size);
    if (itc) {
      return plain('analysable', {
        id: 'itc',
        name: 'iTunes cover art cache (ITC)',
        confidence: 0.92,
        code: 'ITC_BLOCKS',
        message: `iTunes cover art: an "itch" header block, then an "item" block whose header leads to a ${itc.picture} picture at offset ${itc.offset}: readable artwork (exiftool reads it; the picture can be cut out as it is).`,
        figures: { picture: itc.picture, pictureOffset: itc.offset },
      });
    }
    const thumbs = thumbCache(probe);
    if (thumbs) {
      return plain('analysable', {
        id: 'android-thumbdata',
        name: 'Android MediaStore thumbnail cache',
        confidence: 0.9,
        code: 'THUMBDATA_RECORDS',
        message: `Android MediaStore thumbnail cache: ${thumbs.records} JPEG thumbnail record(s) at ${thumbs.slot}-byte slot boundaries, every other slot seen empty: readable pictures.`,
        figures: { slot: thumbs.slot, records: thumbs.records },
      });
    }
    return undefined;
  },
});
