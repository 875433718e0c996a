/**
 * A compressed stream behind a header nothing recognised: an XZ, bzip2 or
 * zstd stream that starts within the first 4 KiB, after some other format's
 * header. Apple's pbzx payloads (software updates: chunks of XZ), game asset
 * bundles, save files and app archives keep their data this way; behind the
 * header the bytes are compressed, and the statistics would call them
 * ciphertext. Each stream is confirmed by what random bytes cannot fake:
 *
 * - XZ: the 6-byte magic, stream flags with their reserved bits clear and
 *   the CRC-32 of those flags (xz-file-format §2.1.1);
 * - bzip2: "BZh" and a level digit, then the 48-bit block magic (π) or the
 *   end-of-stream magic (√π) (bzip2's format, as bzip2recover reads it);
 * - zstd: the 4-byte magic, a frame header descriptor with its reserved bit
 *   clear, a window of at most 2 GiB and a first block of a defined type no
 *   larger than 128 KiB (RFC 8878 §3.1.1).
 *
 * A stream at offset 0 is the archives detector's; this runs only when no
 * signature matched. A format whose header carries streams inside it (CPython
 * byte code keeps a bzip2 literal raw) is named by a mapped libmagic rule,
 * which ranks above this verdict.
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, startsWith, u32le } from './util.js';

/** How far into the file a stream may start. */
const SEARCH_BYTES = 4096;

const XZ_MAGIC = Uint8Array.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const BZIP2_BLOCK = Uint8Array.from([0x31, 0x41, 0x59, 0x26, 0x53, 0x59]);
const BZIP2_END = Uint8Array.from([0x17, 0x72, 0x45, 0x38, 0x50, 0x90]);
const ZSTD_MAGIC = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd]);

type Kind = 'XZ' | 'bzip2' | 'zstd';

function xzAt(h: Uint8Array, at: number): boolean {
  if (!startsWith(h, XZ_MAGIC, at) || at + 12 > h.length) return false;
  const flags = h.subarray(at + 6, at + 8);
  // Flags: a zero byte, then the check type in the low nibble (0, 1, 4 or 10 defined; the rest reserved).
  if (flags[0] !== 0 || (flags[1]! & 0xf0) !== 0) return false;
  return zlib.crc32(flags) === u32le(h, at + 8);
}

function bzip2At(h: Uint8Array, at: number): boolean {
  const level = h[at + 3];
  if (ascii(h, at, at + 3) !== 'BZh' || level === undefined || level < 0x31 || level > 0x39) return false;
  return startsWith(h, BZIP2_BLOCK, at + 4) || startsWith(h, BZIP2_END, at + 4);
}

function zstdAt(h: Uint8Array, at: number): boolean {
  if (!startsWith(h, ZSTD_MAGIC, at)) return false;
  const fhd = h[at + 4];
  if (fhd === undefined || fhd & 0x08) return false; // reserved bit
  const single = (fhd >> 5) & 1;
  let p = at + 5;
  if (!single) {
    const wd = h[p++];
    if (wd === undefined || 10 + (wd >> 3) > 31) return false; // window log beyond 2 GiB
  }
  p += [0, 1, 2, 4][fhd & 3]!; // dictionary id
  p += [single ? 1 : 0, 2, 4, 8][fhd >> 6]!; // frame content size
  if (p + 3 > h.length) return false;
  const block = h[p]! | (h[p + 1]! << 8) | (h[p + 2]! << 16);
  return ((block >> 1) & 3) !== 3 && block >>> 3 <= 128 * 1024;
}

const CHECKS: ReadonlyArray<[Kind, Uint8Array, (h: Uint8Array, at: number) => boolean, string]> = [
  ['XZ', XZ_MAGIC, xzAt, 'its stream flags and their CRC-32 hold'],
  ['bzip2', Uint8Array.from([0x42, 0x5a, 0x68]), bzip2At, 'a level digit and the block magic follow'],
  ['zstd', ZSTD_MAGIC, zstdAt, 'its frame header and first block header are valid'],
];

/** The confirmed XZ, bzip2 or zstd stream that starts at `at`, if one does. */
export function compressedStreamAt(h: Uint8Array, at: number): { kind: Kind; why: string } | undefined {
  for (const [kind, , check, why] of CHECKS) if (check(h, at)) return { kind, why };
  return undefined;
}

/** The first confirmed stream that starts after offset 0 within the search window. */
function firstStream(h: Uint8Array): { kind: Kind; at: number; why: string } | undefined {
  let found: { kind: Kind; at: number; why: string } | undefined;
  const end = Math.min(h.length, SEARCH_BYTES);
  for (const [kind, magic, check, why] of CHECKS) {
    for (let at = h.indexOf(magic[0]!, 1); at >= 0 && at < end; at = h.indexOf(magic[0]!, at + 1)) {
      if (found && at >= found.at) break;
      if (check(h, at)) {
        found = { kind, at, why };
        break;
      }
    }
  }
  return found;
}

export const embeddedStreamsDetector = defineDetector({
  meta: {
    id: 'embedded-streams',
    version: '1.0.0',
    title: 'XZ, bzip2 and zstd streams behind an unrecognised header (pbzx payloads, asset bundles, app archives)',
    formats: [
      { id: 'pbzx', name: 'Apple pbzx payload (chunks of XZ)', status: 'analysable', how: 'structure' },
      {
        id: 'compressed-behind-header',
        name: 'Compressed stream behind an unrecognised header',
        status: 'opaque',
        how: 'structure',
      },
    ],
  },
  fallback: true,
  minSize: 32,
  priority: 75,
  detect(probe): Detection | undefined {
    const stream = firstStream(probe.head);
    if (!stream) return undefined;
    const figures = { stream: stream.kind, offset: stream.at };
    if (stream.kind === 'XZ' && ascii(probe.head, 0, 4) === 'pbzx')
      return plain('analysable', {
        id: 'pbzx',
        name: 'Apple pbzx payload (chunks of XZ)',
        confidence: 0.8,
        code: 'PBZX_XZ_CHUNKS',
        message: `"pbzx" header, then an XZ stream at offset ${stream.at} (${stream.why}): an Apple software-update payload, its chunks XZ-compressed.`,
        figures,
      });
    return plain('opaque', {
      id: 'compressed-behind-header',
      name: 'Compressed stream behind an unrecognised header',
      confidence: 0.7,
      code: 'COMPRESSED_STREAM_AT_OFFSET',
      message:
        `${stream.kind === 'XZ' ? 'An' : 'A'} ${stream.kind} stream starts at offset ${stream.at} (${stream.why}), behind ${stream.at} bytes of a header ` +
        'no detector knows: compressed data, not ciphertext.',
      figures,
    });
  },
});
