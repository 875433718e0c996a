/**
 * Compressed streams without a container that the file-type library does
 * not cover: zlib (RFC 1950 header, confirmed by inflating the head),
 * LZMA-alone (.lzma: properties, dictionary size, and the range coder's
 * first byte, always 0), Mozilla mozLz4 (jsonlz4, baklz4), Snappy framed
 * streams, legacy LZ4 and pre-1.0 zstd (v0.2-v0.7 magics); lzma86 (a filter byte, then LZMA-alone); zstd and
 * LZ4 streams that open with skippable frames (magic 0x184D2A50-5F, a size,
 * then opaque user data), which hide the frame magic from offset 0. LZMA
 * headers are weak magic (a binary config can pass every header check), so
 * the first KiB must also decode. Compressed data is random-looking but not
 * encrypted: these are analysable (a decompressor reads them without a secret).
 * References: RFC 1950 §2.2; LZMA SDK lzma-file-format.txt §1.1; Mozilla
 * toolkit/components/lz4 (mozLz40\0); google/snappy framing_format.txt;
 * RFC 8878 §3.1.2 (zstd skippable frames); zstd's lib/legacy (ZSTDv02-07 magics); lz4_Frame_format.md (skippable frames).
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, startsWith, u32le } from './util.js';
import { trialLzma } from './trial-decode.js';

function zlibOk(h: Uint8Array): { inflated: number } | undefined {
  const cmf = h[0]!;
  const flg = h[1]!;
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || flg & 0x20) return undefined;
  try {
    const out = zlib.inflateSync(h.subarray(0, 16 * 1024), {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
      maxOutputLength: 1024 * 1024,
    });
    return out.length > 0 ? { inflated: out.length } : undefined;
  } catch (err) {
    // Output larger than the cap means the stream inflated fine for a while.
    return (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? { inflated: 1024 * 1024 } : undefined;
  }
}

const SKIPPABLE_MAX = 64;
type StreamFormat = { id: string; name: string; mime?: string };
const ZSTD_STREAM: StreamFormat = { id: 'zstd', name: 'zstd stream', mime: 'application/zstd' };
const LZ4_STREAM: StreamFormat = { id: 'lz4', name: 'LZ4 stream', mime: 'application/x-lz4' };
const LZ4_LEGACY: StreamFormat = { id: 'lz4-legacy', name: 'LZ4 legacy frame' };
/** The frame magics a run of skippable frames may lead to: [magic, what the stream is, the frame's name]. */
const AFTER_SKIPPABLE: readonly [string, StreamFormat, string][] = [
  ['\x28\xb5\x2f\xfd', ZSTD_STREAM, 'zstd frame'],
  ['\x04\x22\x4d\x18', LZ4_STREAM, 'LZ4 frame'],
  ['\x02\x21\x4c\x18', LZ4_LEGACY, 'LZ4 legacy frame'],
];

const bytesOf = (s: string) => Buffer.from(s, 'latin1');
const ZSTD_MAGIC = bytesOf(AFTER_SKIPPABLE[0]![0]);
const LZ4_MAGIC = bytesOf(AFTER_SKIPPABLE[1]![0]);
const XZ_MAGIC = bytesOf('\xfd7zXZ\x00');
const BZIP2_MAGIC = bytesOf('BZh');
const BZIP2_BLOCK = bytesOf('1AY&SY');

/**
 * A compressed frame that starts at `at`, known by a magic number of 4 bytes or more (random
 * bytes show one by chance about once in 4 billion positions) and a valid first header byte:
 * zstd (frame header descriptor's reserved bit clear), LZ4 (version 01), xz (stream flags'
 * first byte 0) or bzip2 (block size 1-9, then the block magic). For finding a stream behind
 * an app's header (statistics.ts).
 */
export function compressedFrameAt(h: Uint8Array, at: number): string | undefined {
  if (at + 10 > h.length) return undefined;
  const next = h[at + 4]!;
  if (startsWith(h, ZSTD_MAGIC, at) && (next & 0x08) === 0) return 'zstd frame';
  if (startsWith(h, LZ4_MAGIC, at) && next >> 6 === 1) return 'LZ4 frame';
  if (startsWith(h, XZ_MAGIC, at) && h[at + 6] === 0) return 'xz stream';
  if (startsWith(h, BZIP2_MAGIC, at) && h[at + 3]! >= 0x31 && h[at + 3]! <= 0x39 && startsWith(h, BZIP2_BLOCK, at + 4))
    return 'bzip2 stream';
  return undefined;
}

/**
 * Walks the skippable frames at the start (each: magic 0x184D2A5n, u32 size, data) and
 * names what follows: a zstd or LZ4 frame magic, or the end of the file. A chain that runs
 * past the head with nothing seen is not claimed.
 */
function skippableFrames(
  h: Uint8Array,
  size: number,
): { frames: number; next: string; format: StreamFormat; at: number } | undefined {
  let at = 0;
  let frames = 0;
  while (frames < SKIPPABLE_MAX && at + 8 <= h.length && (u32le(h, at)! & 0xfffffff0) >>> 0 === 0x184d2a50) {
    at += 8 + u32le(h, at + 4)!;
    frames++;
  }
  if (frames === 0 || at > size) return undefined;
  if (at === size) return { frames, next: 'the end of the file', format: LZ4_STREAM, at };
  for (const [magic, format, frame] of AFTER_SKIPPABLE)
    if (at + 4 <= h.length && startsWith(h.subarray(at), magic)) return { frames, next: `a ${frame}`, format, at };
  return undefined;
}

/** An LZMA-alone header's fields when they are plausible (lzma-file-format.txt §1.1): properties, dictionary, size. */
export function lzmaAlone(h: Uint8Array, size: number): { dictionary: number; declaredSize: number } | undefined {
  if (h.length < 14 || h[0]! >= 225) return undefined;
  const dictionary = u32le(h, 1)!;
  // Dictionary sizes are 2^n or 2^n + 2^(n-1), from 4 KiB to 1.5 GiB.
  const pow = Math.log2(dictionary);
  const pow2 = Math.log2(dictionary / 3) + 1;
  if (dictionary < 4096 || dictionary > 1.5 * 2 ** 30 || (!Number.isInteger(pow) && !Number.isInteger(pow2)))
    return undefined;
  const lo = u32le(h, 5)!;
  const hi = u32le(h, 9)!;
  const unknown = lo === 0xffffffff && hi === 0xffffffff;
  if (!unknown && hi > 0xff) return undefined;
  if (h[13] !== 0) return undefined;
  const declaredSize = unknown ? -1 : hi * 2 ** 32 + lo;
  if (!unknown && declaredSize < size / 1024) return undefined;
  return { dictionary, declaredSize };
}

/** The same stream with its 8-byte size field set to "unknown" (all ones, lzma-file-format.txt §1.1.3). */
function withUnknownSize(body: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(body);
  copy.fill(0xff, 5, 13);
  return copy;
}

export const compressedStreamsDetector = defineDetector({
  meta: {
    id: 'compressed-streams',
    version: '1.2.0',
    title: 'Bare compressed streams (zlib, LZMA-alone, mozLz4, Snappy, LZ4 legacy, skippable frames)',
    formats: [
      {
        id: 'zlib',
        name: 'zlib stream',
        status: 'analysable',
        how: 'header-field',
        mime: 'application/zlib',
        extensions: ['zlib', 'zz', 'z', 'deflate', 'bin', 'dat'],
      },
      {
        id: 'lzma',
        name: 'LZMA-alone stream',
        status: 'analysable',
        how: 'header-field',
        mime: 'application/x-lzma',
        extensions: ['lzma', 'tlz'],
      },
      {
        id: 'lzma86',
        name: 'lzma86 stream (x86 filter flag, then LZMA-alone)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['lzma86', 'lz86', 'bin', 'dat'],
      },
      {
        id: 'mozlz4',
        name: 'Mozilla mozLz4',
        status: 'analysable',
        how: 'signature',
        extensions: ['jsonlz4', 'mozlz4', 'baklz4', 'lz4'],
      },
      {
        id: 'snappy-framed',
        name: 'Snappy framed stream',
        status: 'analysable',
        how: 'signature',
        extensions: ['sz', 'snappy'],
      },
      { id: 'lz4-legacy', name: 'LZ4 legacy frame', status: 'analysable', how: 'signature', extensions: ['lz4'] },
      {
        id: 'zstd',
        name: 'zstd stream opening with skippable frames',
        status: 'analysable',
        how: 'structure',
        mime: 'application/zstd',
        extensions: ['zst', 'tzst'],
      },
      {
        id: 'lz4',
        name: 'LZ4 stream opening with skippable frames (or made of them)',
        status: 'analysable',
        how: 'structure',
        mime: 'application/x-lz4',
        extensions: ['lz4'],
      },
    ],
  },
  minSize: 6,
  priority: 35,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (startsWith(h, 'mozLz40\0')) {
      return plain('analysable', {
        id: 'mozlz4',
        name: 'Mozilla mozLz4',
        confidence: 0.97,
        code: 'MOZLZ4_MAGIC',
        message: `"mozLz40" magic: an LZ4 block of ${u32le(h, 8) ?? 0} bytes when decompressed (Firefox session/bookmark backup).`,
        figures: { decompressedSize: u32le(h, 8) ?? 0 },
      });
    }
    if (startsWith(h, '\xff\x06\x00\x00sNaPpY')) {
      return plain('analysable', {
        id: 'snappy-framed',
        name: 'Snappy framed stream',
        confidence: 0.97,
        code: 'SNAPPY_STREAM_IDENTIFIER',
        message: 'Snappy framing-format stream identifier chunk ("sNaPpY").',
      });
    }
    if (startsWith(h, '\x02\x21\x4c\x18')) {
      return plain('analysable', {
        id: 'lz4-legacy',
        name: 'LZ4 legacy frame',
        confidence: 0.85,
        code: 'LZ4_LEGACY_MAGIC',
        message: 'LZ4 legacy frame magic 0x184C2102.',
      });
    }
    // zstd before its 1.0 format (v0.2-v0.7, 2015-2016): magic 0xFD2FB522-27, the low byte the version.
    if (h[0]! >= 0x22 && h[0]! <= 0x27 && h[1] === 0xb5 && h[2] === 0x2f && h[3] === 0xfd) {
      return plain('analysable', {
        ...ZSTD_STREAM,
        confidence: 0.85,
        code: 'ZSTD_LEGACY_MAGIC',
        message: `zstd frame magic 0xFD2FB5${h[0]!.toString(16)} of the pre-1.0 format v0.${h[0]! - 0x20}: compressed, not encrypted.`,
        figures: { version: `0.${h[0]! - 0x20}` },
      });
    }
    const skip = skippableFrames(h, probe.size);
    if (skip) {
      return plain('analysable', {
        ...skip.format,
        confidence: 0.9,
        code: 'SKIPPABLE_FRAMES',
        message: `${skip.frames} skippable frame(s) (magic 0x184D2A5n, zstd/LZ4 user data) over ${skip.at} bytes, then ${skip.next}: compressed, not encrypted.`,
        figures: { skippableFrames: skip.frames, dataOffset: skip.at },
      });
    }
    if (h[0] !== undefined && (h[0] & 0x0f) === 8) {
      const z = zlibOk(h);
      if (z) {
        return plain('analysable', {
          id: 'zlib',
          name: 'zlib stream',
          mime: 'application/zlib',
          confidence: 0.9,
          code: 'ZLIB_STREAM',
          message: `zlib header 0x${h[0].toString(16)}${h[1]!.toString(16).padStart(2, '0')} (deflate, valid check bits) and the head inflates (${z.inflated} bytes out): compressed, not encrypted.`,
          figures: { inflatedBytes: z.inflated },
        });
      }
    }
    for (const [skip, id] of [
      [0, 'lzma'],
      [1, 'lzma86'],
    ] as const) {
      // lzma86 puts a filter byte (0 = none, 1 = x86 BCJ) before the LZMA-alone header.
      if (skip === 1 && h[0]! > 1) continue;
      const body = h.subarray(skip);
      const l = lzmaAlone(body, probe.size);
      if (!l) continue;
      let t = trialLzma(body, probe.complete);
      // A stream whose header states the wrong size (xz's bad-too_big_size-with_eopm.lzma)
      // fails the whole-file decode only on that field: with the size unknown it decodes.
      const sizeDisagrees = !t.ok && l.declaredSize >= 0;
      if (sizeDisagrees) t = trialLzma(withUnknownSize(body), false);
      if (!t.ok) continue;
      const decoded = sizeDisagrees
        ? `the stream disagrees with that size, yet with the size taken as unknown ${t.ended ? 'it decodes to its end marker' : `its ${t.input} bytes decode without a data error`} (a damaged stream, still compressed)`
        : t.ended
          ? `the whole stream decodes (${t.output} bytes)`
          : `the first ${t.input} bytes decode without error`;
      const header = `properties 0x${body[0]!.toString(16)}, ${l.dictionary}-byte dictionary, ${l.declaredSize < 0 ? 'size unknown (end marker)' : `${l.declaredSize} bytes uncompressed`}, range coder starts with 0`;
      if (id === 'lzma86') {
        return plain('analysable', {
          id,
          name: 'lzma86 stream (x86 filter flag, then LZMA-alone)',
          confidence: 0.8,
          code: 'LZMA86_HEADER',
          message: `lzma86: filter byte ${h[0]} (${h[0] === 1 ? 'x86 BCJ' : 'none'}), then an LZMA-alone header (${header}); ${decoded}: compressed, not encrypted.`,
          figures: {
            filter: h[0]!,
            properties: body[0]!,
            dictionary: l.dictionary,
            declaredSize: l.declaredSize,
            trialInputBytes: t.input,
          },
        });
      }
      return plain('analysable', {
        id,
        name: 'LZMA-alone stream',
        mime: 'application/x-lzma',
        confidence: (probe.extension === 'lzma' ? 0.92 : 0.8) - (sizeDisagrees ? 0.15 : 0),
        code: 'LZMA_ALONE_HEADER',
        message: `LZMA-alone header: ${header}; ${decoded}.`,
        figures: {
          properties: body[0]!,
          dictionary: l.dictionary,
          declaredSize: l.declaredSize,
          trialInputBytes: t.input,
        },
      });
    }
    return undefined;
  },
});
