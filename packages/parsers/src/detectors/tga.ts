/**
 * Truevision TGA images: an 18-byte header and no magic number. TGA 2.0 files
 * end in a 26-byte footer whose signature ("TRUEVISION-XFILE.\0") names the
 * format; TGA 1.0 files have none. Accepted: a header whose fields are ones
 * the format defines (colour-map type and image type that agree, sizes set, a
 * pixel depth and descriptor bits it allows), and either the footer or, for an
 * uncompressed image, a file exactly as long as the header says. Without this,
 * a TGA was opaque: libmagic's Targa rule is one random bytes hit, so its
 * answer is not taken. A run-length encoded TGA 1.0 (no footer) is known by
 * its packets: decoded from the header's end they give exactly width × height
 * pixels and end with the file, or the file ends inside the last of them (a
 * copy cut short by less than one packet, as Pillow's cross_scan_line_truncated
 * test image is).
 * Reference: Truevision TGA File Format Specification 2.0 (1989), "Image
 * File Format" (header fields 1-5, image types 1-3 and 9-11) and "Developer
 * Area / File Footer".
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, probeBytes, u16le } from './util.js';

const HEADER = 18;
const FOOTER = 'TRUEVISION-XFILE.\0';
const TYPES: Record<number, string> = {
  1: 'colour-mapped',
  2: 'true-colour',
  3: 'greyscale',
  9: 'run-length encoded colour-mapped',
  10: 'run-length encoded true-colour',
  11: 'run-length encoded greyscale',
};

/**
 * Where the run-length packets of an image of `pixels` pixels of `bytesPerPixel` end, from `at`, within the bytes
 * `b` holds (undefined when `b` ends first). Each packet's header byte: bit 7 set is a run (one pixel value for
 * (n & 0x7f) + 1 pixels), clear a raw packet of (n & 0x7f) + 1 pixel values.
 */
function rlePacketsEnd(
  b: Uint8Array,
  at: number,
  pixels: number,
  bytesPerPixel: number,
): { end: number; last: number } | undefined {
  let done = 0;
  let last = at;
  while (done < pixels) {
    if (at >= b.length) return undefined;
    const n = b[at]!;
    const count = (n & 0x7f) + 1;
    last = at;
    at += 1 + (n & 0x80 ? bytesPerPixel : count * bytesPerPixel);
    done += count;
  }
  return { end: at, last };
}

export const tgaDetector = defineDetector({
  meta: {
    id: 'tga',
    version: '1.1.0',
    title: 'Truevision TGA images (header fields, then the TGA 2.0 footer or an exact size)',
    formats: [
      {
        id: 'tga',
        name: 'Truevision TGA image',
        status: 'analysable',
        how: 'header-field',
        mime: 'image/x-tga',
        extensions: ['tga', 'tpic', 'icb', 'vda', 'vst'],
      },
    ],
  },
  minSize: HEADER + 1,
  priority: 45,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h.length < HEADER) return undefined;
    const [idLength, mapType, type] = [h[0]!, h[1]!, h[2]!];
    const what = TYPES[type];
    // A colour map goes with the colour-mapped types, and only with them.
    if (!what || mapType > 1 || (mapType === 1) !== (type === 1 || type === 9)) return undefined;
    const mapLength = u16le(h, 5)!;
    const mapEntryBits = h[7]!;
    if (
      mapType === 0
        ? mapLength !== 0 || mapEntryBits !== 0
        : mapLength === 0 || ![15, 16, 24, 32].includes(mapEntryBits)
    )
      return undefined;
    const [width, height, depth, descriptor] = [u16le(h, 12)!, u16le(h, 14)!, h[16]!, h[17]!];
    // Bits 6-7 of the descriptor are zero since TGA 2.0; bits 0-3 count attribute (alpha) bits.
    if (
      width === 0 ||
      height === 0 ||
      ![8, 15, 16, 24, 32].includes(depth) ||
      descriptor & 0xc0 ||
      (descriptor & 0x0f) > 8
    )
      return undefined;
    const end = probe.size >= HEADER + 26 ? probeBytes(probe, probe.size - FOOTER.length, FOOTER.length) : undefined;
    const footer = end !== undefined && ascii(end) === FOOTER;
    const expected =
      HEADER + idLength + mapLength * Math.ceil(mapEntryBits / 8) + width * height * Math.ceil(depth / 8);
    const exact = type < 9 && probe.size === expected;
    // Run-length packets, decoded where the whole file is in the head (a TGA without a footer is rarely large).
    const data = HEADER + idLength + mapLength * Math.ceil(mapEntryBits / 8);
    const rle =
      !footer && type >= 9 && probe.complete ? rlePacketsEnd(h, data, width * height, Math.ceil(depth / 8)) : undefined;
    const rleExact = rle !== undefined && rle.end === probe.size;
    // The file cut inside its last packet: every packet header before it in place, the pixels complete.
    const rleCut = rle !== undefined && rle.last < probe.size && rle.end > probe.size;
    if (!footer && !exact && !rleExact && !rleCut) return undefined;
    const figures = { width, height, bitsPerPixel: depth, imageType: type };
    const header = `TGA header: ${what}, ${width}×${height}, ${depth} bits per pixel`;
    if (!footer && !exact)
      return plain('analysable', {
        id: 'tga',
        name: 'Truevision TGA image',
        mime: 'image/x-tga',
        confidence: rleExact ? 0.85 : 0.75,
        code: 'TGA_RLE_PACKETS',
        message: rleExact
          ? `${header}; its run-length packets decode to exactly ${width * height} pixels and end with the file (TGA 1.0, no footer).`
          : `${header}; its run-length packets decode to all ${width * height} pixels, but the file ends ${rle!.end - probe.size} bytes before the last packet does: a TGA cut short.`,
        figures: { ...figures, packetsEnd: rle!.end },
      });
    return plain('analysable', {
      id: 'tga',
      name: 'Truevision TGA image',
      mime: 'image/x-tga',
      confidence: footer ? 0.95 : 0.85,
      code: footer ? 'TGA_FOOTER' : 'TGA_HEADER_SIZE',
      message: `${header}; ${footer ? 'the TGA 2.0 footer signature "TRUEVISION-XFILE." ends the file' : `the file is exactly the ${expected} bytes the header describes (TGA 1.0, no footer)`}.`,
      figures,
    });
  },
});
