/**
 * iWork archives (.iwa): the files in the Index/ folder of Pages, Numbers and
 * Keynote documents since iWork '13, on macOS and iOS extractions both as
 * package members and loose files. A file is a chain of chunks, each a zero
 * byte, a 24-bit little-endian length and a Snappy block (no CRC, unlike
 * Snappy's framing format); the decompressed stream is protobuf messages,
 * each behind a varint-length ArchiveInfo whose first field is the object
 * identifier. Apple's message schemas are not in the file: libetonyek
 * (LibreOffice) and keynote-parser carry reverse-engineered ones, so it is
 * app-proprietary binary, opaque like raw protobuf, but named, and never
 * ciphertext. libmagic has no rule for it: most were "binary-unknown", some
 * chance matches (mcrypt, G3 fax).
 * The check: the chunks chain inside the file (exactly to its end when the
 * whole file was read), the first Snappy block decodes element by element
 * within its declared length, and its first bytes are an ArchiveInfo header.
 * References: Sean Patrick O'Brien, "iWork '13 File Format" (IWA section);
 * google/snappy format_description.txt.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u32le, varint } from './util.js';

/** iWork writes chunks of at most 64 KiB decompressed; a longer preamble is not an iWork chunk. */
const MAX_CHUNK_OUTPUT = 1 << 16;

interface SnappyCheck {
  /** Decompressed length the block declares. */
  declared: number;
  /** Whether every element of the block was inside the bytes read (so the length was checked too). */
  whole: boolean;
  /** The first literal, the start of the decompressed stream. */
  first: Uint8Array;
}

/** Walks a Snappy block's elements without producing output: lengths and copy offsets must stay in bounds. */
function checkSnappyBlock(b: Uint8Array, start: number, end: number): SnappyCheck | undefined {
  const pre = varint(b, start);
  if (!pre || pre[0] < 1 || pre[0] > MAX_CHUNK_OUTPUT) return undefined;
  const declared = pre[0];
  const stop = Math.min(end, b.length);
  let at = pre[1];
  let produced = 0;
  let first: Uint8Array | undefined;
  while (at < stop) {
    const tag = b[at]!;
    let length: number;
    if ((tag & 3) === 0) {
      const small = tag >> 2;
      let extra = 0;
      if (small < 60) length = small + 1;
      else {
        extra = small - 59;
        if (at + 1 + extra > stop) break;
        length = 1;
        for (let i = 0; i < extra; i++) length += b[at + 1 + i]! * 2 ** (8 * i);
      }
      if (first === undefined) first = b.subarray(at + 1 + extra, Math.min(stop, at + 1 + extra + length));
      at += 1 + extra + length;
    } else {
      if (produced === 0) return undefined; // a copy needs earlier output
      const kind = tag & 3;
      const width = kind === 1 ? 1 : kind === 2 ? 2 : 4;
      if (at + 1 + width > stop) break;
      let offset: number;
      if (kind === 1) {
        length = 4 + ((tag >> 2) & 7);
        offset = ((tag >> 5) << 8) | b[at + 1]!;
      } else {
        length = (tag >> 2) + 1;
        offset = kind === 2 ? b[at + 1]! | (b[at + 2]! << 8) : (u32le(b, at + 1) ?? 0);
      }
      if (offset < 1 || offset > produced) return undefined;
      at += 1 + width;
    }
    produced += length;
    if (produced > declared) return undefined;
  }
  if (!first) return undefined;
  const whole = at === end && end <= b.length;
  if (at > end || (whole && produced !== declared)) return undefined;
  return { declared, whole, first };
}

export const iworkArchiveDetector = defineDetector({
  meta: {
    id: 'iwork-archive',
    version: '1.0.0',
    title: 'iWork archives (.iwa): Snappy-compressed protobuf objects of Pages, Numbers and Keynote',
    formats: [
      {
        id: 'iwork-archive',
        name: 'iWork archive (IWA: Snappy chunks of protobuf objects)',
        status: 'opaque',
        how: 'structure',
        extensions: ['iwa'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '00' }],
  minSize: 8,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h[0] !== 0) return undefined;
    // The chunk chain: each header a zero byte and a length, inside the file.
    let at = 0;
    let chunks = 0;
    let firstEnd = 0;
    while (at + 4 <= h.length) {
      if (h[at] !== 0) return undefined;
      const length = h[at + 1]! | (h[at + 2]! << 8) | (h[at + 3]! << 16);
      if (length < 2 || at + 4 + length > probe.size) return undefined;
      if (chunks === 0) firstEnd = at + 4 + length;
      chunks++;
      at += 4 + length;
    }
    if (probe.complete && at !== probe.size) return undefined;
    const block = checkSnappyBlock(h, 4, firstEnd);
    if (!block) return undefined;
    // The stream starts with an ArchiveInfo: its varint length, then field 1 (identifier) as a varint.
    const info = varint(block.first, 0);
    if (!info || info[0] < 2 || info[0] > block.declared || block.first[info[1]] !== 0x08) return undefined;
    return plain('opaque', {
      id: 'iwork-archive',
      name: 'iWork archive (IWA: Snappy chunks of protobuf objects)',
      confidence: 0.9,
      code: 'IWA_CHUNKS',
      message: `${chunks} chunk header${chunks === 1 ? '' : 's'} (zero byte, 24-bit length) chaining ${probe.complete ? 'to the end of the file' : 'through the bytes read'}; the first Snappy block decodes${block.whole ? ` to its declared ${block.declared} bytes` : ' as far as read'} and starts with a protobuf ArchiveInfo (${info[0]} bytes, field 1 first): an iWork (Pages, Numbers, Keynote) object archive, compressed protobuf whose schemas are Apple's (read by libetonyek and keynote-parser); not encrypted.`,
      figures: { chunks, firstChunkOutput: block.declared, archiveInfoBytes: info[0] },
    });
  },
});
