/**
 * The statistical fallback, for files no signature or header matched.
 * Entropy alone cannot tell ciphertext from compressed data; a chi-square
 * test of the byte histogram can on large samples: ciphertext is uniform
 * (p between 0.001 and 0.999, or 0.999999 from 4 KiB: chiSquareUniform),
 * while DEFLATE, LZ-family and media payloads sit far from uniform (p ~ 0). Deflate compressibility backs it up.
 * Statistics never reach "certain", and their figures go with the decision.
 *
 * Structure first, even here: a trial inflate finds headerless DEFLATE and
 * a trial decode Brotli (opaque compressed data, not ciphertext) before any
 * statistic is believed.
 * The block profile cuts the probe into 512-byte blocks, sets clear ones
 * (a header page, a trailer, padding) and the blocks touching them aside, and
 * tests the rest together, so ciphertext behind a clear header still reads as
 * ciphertext; a zlib or DEFLATE stream starting where the header ends does not.
 *
 * Context then refines what random bytes are: key-sized random data, or a
 * file named like a key, is key material (opaque); a continuation volume of
 * a split archive is compressed data (opaque); a database name makes SQLCipher
 * likely; sector-aligned data whose first 512 bytes are random and the rest
 * not is a TrueCrypt/VeraCrypt-like volume header (suspected only). A random
 * body after a short clear prefix (an IV or a tool's header) counts as random.
 * References: NIST SP 800-22 §2.1-2.2 (frequency tests); VeraCrypt
 * documentation "VeraCrypt Volume Format Specification" (512-byte header:
 * 64-byte salt, then encrypted); SQLCipher design (whole-page encryption).
 */
import {
  defineDetector,
  type DeclinedSignature,
  type Detection,
  type DetectorContext,
  type EntropyFigures,
  type KeyHint,
  type Probe,
} from '@evtriage/core/contract';
import zlib from 'node:zlib';
import { byteHistogram, randomnessFigures, shannonEntropy } from '@evtriage/core/helpers';
import { isSplitVolumeName, notingZeroPadding, u16be, u16le, u32be, u32le, varint } from './util.js';
import { appCatalogue } from '../apps/catalogue.js';
import {
  EMBEDDED_STREAM_SEARCH_BYTES,
  TRIAL_INPUT_BYTES,
  isBrotli,
  isRawDeflate,
  BROTLI_START,
  decodedBeforeCut,
  trialBrotli,
  trialInflate,
  trialLzma,
  trialRawLzma,
  type RawLzmaTrial,
  zlibDecoded,
  type TrialResult,
} from './trial-decode.js';
import { randomSector } from './random-sector.js';
import { lzhStaticHuffmanStart, type LzhStart } from './lzh-start.js';
import { DAMAGED_FILE } from './random-body.js';
import { compressedFrameAt, compressedStreamsDetector, lzmaAlone } from './compressed-streams.js';
import { lengthChains, periodicColumns, type Framing } from './record-framing.js';
import {
  MIN_BYTES,
  distinctValues,
  expectedDistinct,
  isRandom,
  probeBlocks,
  probeFigures,
  smallSampleTest,
  spreadLikeRandom,
  uniformByChiSquare,
} from './statistics-figures.js';

/** At most this many bytes is the size of a key, not of a message. */
const KEY_SIZED_BYTES = 64;
/**
 * The largest random file a key-like name makes key material: generated key files are 32 bytes to a few KiB
 * (KeePass 32/64, VeraCrypt 64, LUKS key files 512 B-8 KiB by custom); a larger random file so named is
 * ciphertext under a misleading name (a 978 KB SQLCipher database called `.key`).
 */
const KEY_FILE_MAX_BYTES = 64 * 1024;
/** A leading clear prefix up to this size (IV, magic, length fields) may precede a random body. */
const MAX_PREFIX = 64;
/** Smallest file treated as a possible encrypted volume. */
const MIN_VOLUME_BYTES = 16 * 1024;
/** Zero bytes above this share of what was read are zero runs (sparse or wiped space), not compressed data. */
const VOLUME_ZERO_SHARE = 0.04;

/** The share of zero bytes in the bytes the probe read (head, samples, tail). */
function zeroShare(probe: Probe): number {
  let zeros = 0;
  let total = 0;
  for (const b of [probe.head, ...probe.samples.map((s) => s.bytes), probe.tail]) {
    total += b.length;
    for (let i = 0; i < b.length; i++) if (b[i] === 0) zeros++;
  }
  return total === 0 ? 0 : zeros / total;
}

// enpassdb: Enpass's vault (SQLCipher).
const DB_EXTENSIONS = new Set([
  'db',
  'sqlite',
  'sqlite3',
  'sqlitedb',
  'db3',
  'database',
  'sqlcipher',
  'enc.db',
  'enpassdb',
]);
const KEY_NAME =
  /(^|[._\- ])(key|keys|keyfile|keyfile\d*|secret|masterkey)(\d*)($|[._\- ])|\.(key|keyx|bek|keyfile)$|^keyfile/i;

/**
 * Extensions that name a document, a picture, a recording or an archive: random bytes under such a name are
 * a file that was encrypted in place (a locker app, ransomware), whatever word its name holds ("secret_notes.txt").
 */
const CONTENT_EXTENSIONS = new Set(
  (
    'txt md rtf doc docx odt pdf xls xlsx ods ppt pptx odp csv tsv json xml html htm log eml msg vcf ics ' +
    'jpg jpeg png gif bmp tif tiff heic heif webp mp3 m4a aac wav ogg opus amr mp4 mov m4v 3gp mkv avi ' +
    'zip 7z rar tar gz tgz'
  ).split(' '),
);

/** Names that say the bytes are random on purpose (test inputs for compressors, filler, entropy dumps). */
const RANDOM_NAME = /(^|[._\- ])(random|rand|rnd|urandom|noise|incompressible)\d*($|[._\- ])/i;

/** Encryption tools whose files have no clear header, known by their extension: [format id, name, what unlocks it]. */
const TOOL_EXTENSIONS: Record<string, [string, string, string]> = {
  cpt: ['ccrypt', 'a ccrypt file', 'The ccrypt passphrase.'],
  hc: ['truecrypt-veracrypt', 'a VeraCrypt volume', 'A VeraCrypt/TrueCrypt password (and keyfiles or PIM, if used).'],
  tc: ['truecrypt-veracrypt', 'a TrueCrypt volume', 'A VeraCrypt/TrueCrypt password (and keyfiles or PIM, if used).'],
};

type Figures = Record<string, number | string>;

function figuresOf(e: EntropyFigures): Figures {
  return {
    shannon: e.shannon,
    chiSquare: e.chiSquare,
    chiSquareP: e.chiSquareP,
    compressionRatio: e.compressionRatio ?? 0,
    sampledBytes: e.sampledBytes,
  };
}

function nibbleNote(n: { bytes: number; p: number; after: number }): string {
  return `on the ${n.bytes} bytes${n.after ? ` after the first ${n.after}` : ''} a chi-square over 256 values expects under 5 per value, and the one over the bytes' 16 high nibbles (p=${n.p}) rejects uniform bytes`;
}

/** Window of the clear-header search: a random window of 64 bytes shows about 57 distinct values, text 20-35. */
const HEADER_WINDOW = 64;
const CLEAR_WINDOW_DISTINCT = 40;
/** The longest clear header the search looks for; longer ones fill whole blocks, which the block profile sets aside. */
const MAX_CLEAR_HEADER = 1024;

/**
 * Where a clear header longer than the short prefixes ends (a text or binary header of 65 bytes to 1 KiB before
 * a random body, too short to fill a block of the block profile): the end of the last window of the head's first
 * KiB with few distinct values. Undefined when there is none past the short prefixes.
 */
function clearHeaderEnd(head: Uint8Array): number | undefined {
  let end = 0;
  for (let at = 0; at + HEADER_WINDOW <= Math.min(head.length, MAX_CLEAR_HEADER); at += HEADER_WINDOW)
    if (distinctValues(head.subarray(at, at + HEADER_WINDOW)) < CLEAR_WINDOW_DISTINCT) end = at + HEADER_WINDOW;
  return end > MAX_PREFIX ? end : undefined;
}

/**
 * Below this entropy over the whole probe no framing search is run: ciphertext records behind lengths and tags
 * that are a few percent of the bytes keep the file above 7.5 bits from 1 KiB up, and above 7 from about 300 bytes.
 */
const FRAMED_MIN_SHANNON = 7;

/**
 * Fewest bytes left once framing is set aside for a uniformity verdict. Below 1,280 (5 expected per value of 256)
 * the 16-bin test on high nibbles must agree, as for a small file's bytes (smallSampleTest).
 */
const FRAMED_MIN_PAYLOAD = 256;

/** Block size of the block profile: small enough to set a clear header, trailer or padding aside. */
const BLOCK = 512;

interface Block {
  offset: number;
  bytes: Uint8Array;
}

/** The probe cut into blocks with their file offsets: the head from its start, the tail back from the end. */
function blocksOf(probe: Probe): Block[] {
  const out: Block[] = [];
  const cut = (bytes: Uint8Array, offset: number, fromEnd: boolean) => {
    const first = fromEnd ? bytes.length % BLOCK : 0;
    if (first > 0) out.push({ offset, bytes: bytes.subarray(0, first) });
    for (let at = first; at < bytes.length; at += BLOCK)
      out.push({ offset: offset + at, bytes: bytes.subarray(at, at + BLOCK) });
  };
  cut(probe.head, 0, false);
  for (const s of probe.samples) cut(s.bytes, s.offset, false);
  if (probe.tail.length > 0) cut(probe.tail, probe.size - probe.tail.length, true);
  return out;
}

/** Clear bytes (a header page, a trailer, padding): few distinct values or low entropy. Random blocks are never this. */
function isClear(b: Uint8Array): boolean {
  const { counts, total } = byteHistogram([b]);
  let seen = 0;
  for (const c of counts) if (c > 0) seen++;
  return seen < 0.6 * expectedDistinct(b.length) || shannonEntropy(counts, total) < 6;
}

/** Byte ranges of clear blocks, merged, for the reason ("0-4096, 20480-21811"). */
function ranges(blocks: readonly Block[]): string {
  const merged: Array<[number, number]> = [];
  for (const b of [...blocks].sort((x, y) => x.offset - y.offset)) {
    const last = merged[merged.length - 1];
    if (last && b.offset <= last[1]) last[1] = Math.max(last[1], b.offset + b.bytes.length);
    else merged.push([b.offset, b.offset + b.bytes.length]);
  }
  return merged.map(([a, z]) => `${a}-${z}`).join(', ');
}

/**
 * The first zlib or raw DEFLATE stream that starts in [from, to) of the head:
 * zlib wherever its two-byte header checks, raw DEFLATE at the offsets given
 * ('all': every offset). Decided by a bounded trial inflate.
 */
function findStream(
  probe: Probe,
  from: number,
  to: number,
  rawStarts: ReadonlySet<number> | 'all',
  where: string,
): { offset: number; describe: string } | undefined {
  const h = probe.head;
  for (let at = from; at < Math.min(to, h.length - 64); at++) {
    const frame = compressedFrameAt(h, at);
    if (frame)
      return { offset: at, describe: `a ${frame} starts at byte ${at}, ${where} (its magic number and header)` };
    // LZMA-alone: a plausible 13-byte header (properties, a dictionary size of 2^n or 3 * 2^(n-1)) that decodes.
    if (lzmaAlone(h.subarray(at), probe.size - at) && trialLzma(h.subarray(at), probe.complete).ok)
      return {
        offset: at,
        describe: `an LZMA-alone stream starts at byte ${at}, ${where} (its header, and a trial decode)`,
      };
    const zlibHeader = (h[at]! & 0x0f) === 8 && h[at]! >> 4 <= 7 && ((h[at]! << 8) | h[at + 1]!) % 31 === 0;
    if (!zlibHeader && rawStarts !== 'all' && !rawStarts.has(at)) continue;
    const kind = zlibHeader ? 'zlib' : 'raw';
    const t = trialInflate(h.subarray(at), kind, probe.complete);
    if (kind === 'zlib' ? zlibDecoded(t) : isRawDeflate(t)) {
      return {
        offset: at,
        describe: `a ${kind === 'zlib' ? 'zlib' : 'raw DEFLATE'} stream starts at byte ${at}, ${where} (its first ${t.ended && t.consumed !== undefined ? t.consumed : t.input} bytes inflate to ${t.output}${t.capped ? '+' : ''})`,
      };
    }
  }
  return undefined;
}

/**
 * A compressed stream that starts where a clear header of the head ends
 * (searched from 64 bytes before to 512 after the last clear block): zlib
 * (a valid header that inflates) or raw DEFLATE (tried at a few likely starts). Its bytes are as uniform as
 * ciphertext on a few KiB, so only a trial inflate tells them apart.
 */
function streamAfterHeader(
  probe: Probe,
  blocks: readonly Block[],
  clear: ReadonlySet<Block>,
): { offset: number; describe: string } | undefined {
  let end = 0;
  for (const b of blocks) {
    if (b.offset !== end || b.offset >= probe.head.length) break;
    if (!clear.has(b)) break;
    end = b.offset + b.bytes.length;
  }
  if (end === 0) return undefined;
  const h = probe.head;
  const last = Math.min(end + BLOCK, h.length - 64);
  // zlib: wherever its two-byte header checks (cheap). Raw DEFLATE has no header: tried only where
  // a stream would start, at the end of the clear blocks and right after a run of zero padding.
  const starts = new Set<number>([end]);
  for (let at = Math.max(4, end - 64); at < last && starts.size < 8; at++) {
    if (h[at] !== 0 && h[at - 1] === 0 && h[at - 2] === 0 && h[at - 3] === 0 && h[at - 4] === 0) starts.add(at);
  }
  return findStream(probe, Math.max(0, end - 64), last, starts, 'after a clear header');
}

/**
 * The block profile: set clear blocks aside and test the rest together (the
 * chi-square needs the bytes of many blocks to reject compressed data).
 * Random when the dense blocks are uniform and there are enough of them.
 */
function blockProfile(
  probe: Probe,
): { random: boolean; figures: Record<string, number | string>; describe: string; clearHead?: boolean } | undefined {
  const blocks = blocksOf(probe).filter((b) => b.bytes.length >= 64);
  const clear = new Set(blocks.filter((b) => isClear(b.bytes)));
  if (clear.size === 0) return undefined;
  // A block that touches a clear one may hold the end of a header or the start of a trailer: leave it out too.
  const touches = (a: Block, b: Block) =>
    a.offset + a.bytes.length === b.offset || b.offset + b.bytes.length === a.offset;
  const edge = new Set(blocks.filter((b) => !clear.has(b) && [...clear].some((c) => touches(b, c))));
  const dense = blocks.filter((b) => !clear.has(b) && !edge.has(b));
  // Ciphertext is one run: a clear header before it, a trailer or padding after it. Clear blocks between
  // dense ones (random stretches separated by zeros) are mixed binary data, not a ciphertext body.
  const first = Math.min(...dense.map((b) => b.offset));
  const last = Math.max(...dense.map((b) => b.offset));
  if ([...clear].some((c) => c.offset > first && c.offset < last)) return undefined;
  const denseBytes = dense.reduce((n, b) => n + b.bytes.length, 0);
  if (denseBytes < 4 * BLOCK) return undefined;
  // Clear bytes on both sides of a random run that they outweigh: one random member among clear ones (an
  // archive of text files and one encrypted or random file, then its index), not ciphertext with a header and
  // a trailer, which is the bulk of its file. Clear bytes on one side only may be a header, a trailer, or the
  // clear rest of a file whose first part alone is encrypted.
  const clearBytes = [...clear].reduce((n, b) => n + b.bytes.length, 0);
  const bothSides = [...clear].some((c) => c.offset < first) && [...clear].some((c) => c.offset > last);
  if (bothSides && clearBytes > denseBytes) return undefined;
  const denseParts = dense.map((b) => b.bytes);
  if (!uniformByChiSquare(denseParts)) return undefined;
  const body = randomnessFigures(denseParts);
  if (!isRandom(body)) return undefined;
  // A uniform body may still be a compressed stream behind the header: only a trial inflate tells.
  const stream = streamAfterHeader(probe, blocks, clear);
  if (stream) return { random: false, figures: { streamOffset: stream.offset }, describe: stream.describe };
  const figures = {
    uniformBlocks: dense.length,
    clearBlocks: clear.size,
    edgeBlocks: edge.size,
    blockBytes: BLOCK,
    clearRanges: ranges([...clear]),
    bodyShannon: body.shannon,
    bodyChiSquareP: body.chiSquareP,
    bodyCompressionRatio: body.compressionRatio ?? 0,
  };
  const describe = `${dense.length} of ${blocks.length} blocks of ${BLOCK} bytes are uniform (entropy ${body.shannon}, chi-square p=${body.chiSquareP}, deflate ratio ${body.compressionRatio}) once ${clear.size} clear block(s) at bytes ${figures.clearRanges} and the ${edge.size} block(s) touching them are set aside`;
  return { random: isRandom(body), figures, describe, clearHead: [...clear].some((c) => c.offset === 0) };
}

/** Of the first records' or blocks' values, how many must decode as a compressed stream to call them compressed. */
const COMPRESSED_STARTS = 2;

/** Whether a record's value starts a compressed stream: a zstd/LZ4/xz/bzip2 frame, or zlib, raw DEFLATE or Brotli that decodes. */
function startsCompressed(value: Uint8Array, whole: boolean): string | undefined {
  const frame = compressedFrameAt(value, 0);
  if (frame) return frame;
  if (value.length < 16) return undefined;
  const zlibHeader = (value[0]! & 0x0f) === 8 && value[0]! >> 4 <= 7 && ((value[0]! << 8) | value[1]!) % 31 === 0;
  if (zlibHeader) {
    const t = trialInflate(value, 'zlib', whole);
    if (zlibDecoded(t)) return 'zlib';
  }
  if (isRawDeflate(trialInflate(value, 'raw', whole))) return 'raw DEFLATE';
  if (isBrotli(trialBrotli(value, whole))) return 'Brotli';
  return undefined;
}

/** Fewest distinct byte values, and most share of one, in what a Brotli stream found after a header decodes to. */
const DECODED_MIN_DISTINCT = 16;
const DECODED_MAX_TOP_SHARE = 0.5;

/**
 * What the bytes decode to as Brotli looks like data: 16 or more byte values, none half of them. Random bytes that
 * decode at all (about 1 offset in 100,000 decodes to 1.2 bytes a byte: 4 in about 400,000 in the generated files) do
 * so through prefix codes of one to a few symbols, whose output holds 3 to 8 values, or one value for 60 %.
 */
function decodesToData(bytes: Uint8Array, complete: boolean): boolean {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, TRIAL_INPUT_BYTES));
  let out: Buffer;
  try {
    out = zlib.brotliDecompressSync(
      input,
      complete && input.length === bytes.length ? { maxOutputLength: 256 * 1024 } : BROTLI_START,
    );
  } catch {
    // A stream cut short by other bytes (the next block's): what its start decodes to.
    const cut = decodedBeforeCut(input, (b) => zlib.brotliDecompressSync(b, BROTLI_START));
    if (!cut || cut.output === 'capped') return false;
    out = cut.output;
  }
  const counts = new Uint32Array(256);
  for (const b of out) counts[b]!++;
  const distinct = counts.reduce((n, c) => n + (c > 0 ? 1 : 0), 0);
  return distinct >= DECODED_MIN_DISTINCT && Math.max(...counts) <= DECODED_MAX_TOP_SHARE * out.length;
}

/**
 * A cheap test of where a Brotli stream may start (its stream header and first meta-block header), so the trial
 * decode, about 15 µs even when it fails at once, runs at few of the offsets searched.
 */
function brotliStartPlausible(b: Uint8Array): boolean {
  let bit = 0;
  const read = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++, bit++) v += ((b[bit >> 3]! >> (bit & 7)) & 1) * 2 ** i;
    return v;
  };
  // WBITS (RFC 7932 9.1): 1, 4 or 7 bits; 0b0010001 is invalid.
  if (read(1) === 1 && read(3) === 0 && read(3) === 1) return false;
  // The first meta-block header (9.2): an empty last block, a metadata block or stored bytes are not what an
  // encoder writes first for data that compresses, and none of them expands.
  const isLast = read(1) === 1;
  if (isLast && read(1) === 1) return false;
  const nibbles = read(2);
  if (nibbles === 3) return false;
  const mlen = read((nibbles + 4) * 4);
  if (nibbles > 0 && Math.floor(mlen / 16 ** (nibbles + 3)) === 0) return false;
  return isLast || read(1) === 0;
}

/** Most bytes of a binary header whose fields (salt, IV, KDF parameters, lengths) the prefix search reaches. */
const MAX_FIELD_HEADER = 128;

/**
 * Where the last two runs of two or more zero bytes in the first 128 bytes end (past byte 16): the end of a
 * header's integer field (a size, a count, a version), after which a body may start. Random bytes hold such a run
 * at a given place with chance 1/65,536, so ciphertext or compressed data seldom offers one.
 */
function zeroFieldEnds(h: Uint8Array): number[] {
  const ends: number[] = [];
  for (let at = 17; at < Math.min(h.length, MAX_FIELD_HEADER); at++)
    if (h[at - 1] === 0 && h[at - 2] === 0 && h[at] !== 0) ends.push(at);
  return ends.slice(-2);
}

/** Most bytes after a declared body (a MAC, a signature and its header): as after the last of many records. */
const MAX_BODY_TRAILER = 128;
/** Most tag or flag bytes between a length field and the body it declares. */
const MAX_LENGTH_GAP = 8;

/**
 * Where a body starts that a length field of the header declares: a 2- or 4-byte field (either byte order) whose
 * body runs from the field, or from up to 8 tag or flag bytes after it, to the file's end, or from the field to a
 * trailer of up to 128 bytes; or a varint of 1-3 bytes (protobuf's length-delimited fields, whose detector leaves a
 * message around a random payload to the statistics) whose body runs from it exactly to the end. The body is at
 * least as long as the header. Such a field makes the header a header whatever its length, as a text header is.
 * The last four fixed fields and the last two varints found: the body's own length is the last field before it.
 */
function declaredBodyStarts(h: Uint8Array, size: number): number[] {
  const fixed: number[] = [];
  const varints: number[] = [];
  for (let q = 2; q <= Math.min(MAX_FIELD_HEADER, h.length); q++) {
    for (const w of [4, 2]) {
      if (q < w) continue;
      const be = w === 4 ? u32be(h, q - 4) : u16be(h, q - 2);
      const le = w === 4 ? u32le(h, q - 4) : u16le(h, q - 2);
      for (const v of be === le ? [be] : [be, le]) {
        if (v === undefined || v < MIN_BYTES || v < q) continue;
        const toEnd = size - v;
        const trailer = size - q - v;
        const at =
          toEnd >= q && toEnd <= q + MAX_LENGTH_GAP ? toEnd : trailer >= 0 && trailer <= MAX_BODY_TRAILER ? q : -1;
        if (at >= 0 && !fixed.includes(at)) fixed.push(at);
      }
    }
    const v = varint(h, q - 1);
    if (v && v[1] - (q - 1) <= 3 && v[0] >= MIN_BYTES && v[0] >= v[1] && v[1] + v[0] === size) varints.push(v[1]);
  }
  return [...new Set([...fixed.slice(-4), ...varints.slice(-2)])];
}

/** Where a body may start after a field's zero bytes: right there, or behind a tag or a short field of up to 8 bytes. */
function fieldStarts(ends: readonly number[]): Set<number> {
  return new Set(ends.flatMap((e) => Array.from({ length: 9 }, (_, i) => e + i)));
}

/** Fewest bytes of text at the start to call them a text header. */
const MIN_TEXT_HEADER = 16;

/** Where the text at the start of the head ends (printable ASCII, tabs and line ends), when it is a text header. */
function textHeaderEnd(h: Uint8Array): number | undefined {
  let at = 0;
  while (at < h.length && ((h[at]! >= 0x20 && h[at]! <= 0x7e) || h[at] === 0x09 || h[at] === 0x0a || h[at] === 0x0d))
    at++;
  return at >= MIN_TEXT_HEADER && at < h.length ? at : undefined;
}

/**
 * Whether the first bytes look like a header rather than more of the random bytes after them: two zero bytes (a
 * version, a small length or flags in a wider field), three printable ASCII bytes at the start (a magic word), or a
 * first byte that is a protobuf key of fields 1-15 holding a varint or bytes (a message of lengths and counts).
 * Random bytes show one of these in about 18.5 % of files (2.7 %, 5.1 % and 11.7 %), so the Brotli search below,
 * about 0.7 ms on a random file, is not paid on the others.
 */
function headerLike(h: Uint8Array): boolean {
  const first = h.subarray(0, MAX_PREFIX);
  let zeros = 0;
  for (const b of first) if (b === 0 && ++zeros >= 2) return true;
  const printable = (b: number | undefined) => b !== undefined && b >= 0x20 && b <= 0x7e;
  if (printable(first[0]) && printable(first[1]) && printable(first[2])) return true;
  const key = first[0] ?? 0;
  return key >> 3 >= 1 && key >> 3 <= 15 && ((key & 7) === 0 || (key & 7) === 2);
}

/**
 * A Brotli stream starting after a header: at every offset of the first 64 bytes (a magic, a version, lengths) when
 * they look like a header (headerLike), where a text header ends (textHeaderEnd, up to 8 bytes back or 1 on), within
 * 64 bytes of where a longer clear header ends, and up to 8 bytes on from where a length field declares a body
 * (declaredBodyStarts): up to about 240 trials of about 30 µs each on random bytes. Random bytes decode to 1.2 bytes
 * a byte at about 1 offset in 100,000, so what decodes must also look like data (decodesToData); 19,200 offsets of
 * seeded random buffers are tried in statistics.brotli-header.test.ts.
 */
function brotliAfterHeader(
  probe: Probe,
  headerEnd: number | undefined,
  declaredStarts: ReadonlySet<number>,
): { offset: number; trial: TrialResult } | undefined {
  const h = probe.head;
  const offsets = new Set<number>(declaredStarts);
  if (headerLike(h)) for (let at = 1; at <= MAX_PREFIX; at++) offsets.add(at);
  if (headerEnd !== undefined)
    for (let at = Math.max(1, headerEnd - HEADER_WINDOW); at <= headerEnd + HEADER_WINDOW; at++) offsets.add(at);
  const textEnd = textHeaderEnd(h);
  // Up to 8 bytes back (the body's first bytes may be printable) or one on (a NUL that ends the text).
  if (textEnd !== undefined) for (let at = Math.max(1, textEnd - 8); at <= textEnd + 1; at++) offsets.add(at);
  for (const at of offsets) {
    if (at + 64 > h.length) break;
    if (!brotliStartPlausible(h.subarray(at))) continue;
    const trial = trialBrotli(h.subarray(at), probe.complete);
    if (isBrotli(trial) && decodesToData(h.subarray(at), probe.complete)) return { offset: at, trial };
  }
  return undefined;
}

/** The first bytes of the values joined (as much as a trial decode reads). */
function joinedStart(values: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(
    Math.min(
      TRIAL_INPUT_BYTES,
      values.reduce((n, v) => n + v.length, 0),
    ),
  );
  let at = 0;
  for (const v of values) {
    if (at >= out.length) break;
    const part = v.subarray(0, out.length - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Ciphertext in records or blocks behind clear framing (lengths, tags, counters: statistics' non-uniform bytes):
 * the framing set aside (record-framing.ts), what is left tested as a body is. Records whose values start
 * compressed streams (two of the first eight decode) are compressed data; otherwise the first framing whose
 * payload is uniform makes the file random. Records behind 1-byte lengths and type codes from a small set are
 * looked for last, on bytes neither uniform nor framed otherwise (the search walks every start: about 0.7 ms).
 */
function framedBody(probe: Probe, compressedOnly: boolean): FramedBody | undefined {
  // Blocks behind counters are looked for on bytes not yet uniform only (random bytes would pay for it on every file).
  const periodic = compressedOnly ? undefined : periodicColumns(probe.head);
  const found = judgeFraming(
    [...lengthChains(probe.head, probe.complete), ...(periodic ? [periodic] : [])],
    compressedOnly,
  );
  if (found || compressedOnly) return found;
  return judgeFraming(lengthChains(probe.head, probe.complete, true), false);
}

type FramedBody =
  { random: true; framing: Framing; body: EntropyFigures } | { random: false; framing: Framing; what: string };

/** framedBody's verdict on one search's candidates: compressed records first, then a uniform payload. */
function judgeFraming(candidates: readonly Framing[], compressedOnly: boolean): FramedBody | undefined {
  // Compressed first, over every candidate: chains of one layout from different starts merge into one another,
  // and only the one from the right start shows where the streams begin.
  for (const framing of candidates) {
    // A record's value is whole (a stream must end in it); a block's contents are cut at the block's end.
    const whole = framing.figures.framing === 'length-chain';
    // One stream cut into the records (a chunked stream): the values joined decode from the first one on.
    const joined = startsCompressed(joinedStart(framing.payload), false);
    if (joined)
      return {
        random: false,
        framing,
        what: `the values joined decode as one ${joined} stream from the first value on`,
      };
    const decoded = framing.starts.map((v) => startsCompressed(v, whole)).filter((w) => w !== undefined);
    if (decoded.length >= COMPRESSED_STARTS)
      return {
        random: false,
        framing,
        what: `${decoded.length} of their first values start a compressed stream (${[...new Set(decoded)].join(', ')})`,
      };
  }
  if (compressedOnly) return undefined;
  for (const framing of candidates) {
    if (framing.merged) continue;
    if (Number(framing.figures.payloadBytes) < FRAMED_MIN_PAYLOAD) continue;
    if (!uniformByChiSquare(framing.payload)) continue;
    const body = randomnessFigures(framing.payload);
    if (isRandom(body) && smallSampleTest(framing.payload).uniform) return { random: true, framing, body };
  }
  return undefined;
}

/** Headerless compressed streams a trial decode finds: what each is called and how its reason reads. */
interface TrialStream {
  id: string;
  name: string;
  code: string;
  /** How the decoded bytes read, e.g. "inflate as raw DEFLATE". */
  verb: string;
  /** What the stream is, e.g. "headerless compressed data". */
  what: string;
}
const DEFLATE_RAW: TrialStream = {
  id: 'deflate-raw',
  name: 'Headerless DEFLATE stream (found by a trial inflate)',
  code: 'RAW_DEFLATE_STREAM',
  verb: 'inflate as raw DEFLATE',
  what: 'headerless compressed data',
};
const BROTLI_RAW: TrialStream = {
  id: 'brotli-raw',
  name: 'Brotli stream (found by a trial decode)',
  code: 'BROTLI_STREAM',
  verb: 'decode as Brotli',
  what: 'compressed data',
};

/** A headerless stream a trial decode found: opaque compressed data, never ciphertext; `message` is the reason. */
function decodedStream(
  kind: { id: string; name: string; code: string },
  message: string,
  e: EntropyFigures,
  figures: Figures,
): Detection {
  return withEntropy(
    {
      format: { id: kind.id, name: kind.name },
      status: 'opaque',
      confidence: 0.6,
      reasons: [{ code: kind.code, message, figures }],
    },
    e,
  );
}

/** Opaque compressed data, not ciphertext: the trial's figures are the reason. */
function trialDecoded(kind: TrialStream, t: TrialResult, e: EntropyFigures, figures: Figures): Detection {
  return decodedStream(
    kind,
    `No signature matched, but the first ${t.input} bytes ${kind.verb} to ${t.output}${t.capped ? '+' : ''} bytes${t.ended ? ', ending where the file ends' : ' without error'}: ${kind.what}, not ciphertext (entropy ${e.shannon}, chi-square p=${e.chiSquareP}).`,
    e,
    { ...figures, trialInputBytes: t.input, trialOutputBytes: t.output },
  );
}

const RAW_LZMA = {
  lzma: { id: 'lzma-raw', name: 'Headerless LZMA stream (found by a trial decode)', code: 'RAW_LZMA_STREAM' },
  lzma2: { id: 'lzma2-raw', name: 'Headerless LZMA2 stream (found by a trial decode)', code: 'RAW_LZMA2_STREAM' },
} as const;

/** A headerless LZMA or LZMA2 stream decoded (LZMA's decoder gives no output for a cut input, so none is reported). */
function rawLzmaDecoded(l: RawLzmaTrial, e: EntropyFigures, figures: Figures): Detection {
  const start =
    l.kind === 'lzma'
      ? 'its first byte is 0, as a range coder starts, and read as raw LZMA with the usual properties (0x5D: lc=3, lp=0, pb=2)'
      : `its first bytes are an LZMA2 chunk header that resets the dictionary (properties 0x${l.properties.toString(16)}), and that chunk's data read as LZMA`;
  const decoded = l.trial.ended
    ? 'the whole stream decodes'
    : `the first ${l.trial.input - 13} bytes decode without a data error`;
  return decodedStream(
    RAW_LZMA[l.kind],
    `No signature matched, but ${start}: ${decoded}. Compressed data, not ciphertext (entropy ${e.shannon}, chi-square p=${e.chiSquareP}).`,
    e,
    { ...figures, properties: l.properties, trialInputBytes: l.trial.input - 13 },
  );
}

const RAW_LZH = {
  id: 'lzh-raw',
  name: 'Headerless LHA static-Huffman stream (-lh5- to -lh7-)',
  code: 'RAW_LZH_STREAM',
} as const;

/** A headerless LHA stream whose first block's code tables are Huffman codes (lzh-start.ts). */
function rawLzhDecoded(l: LzhStart, e: EntropyFigures, figures: Figures): Detection {
  return decodedStream(
    RAW_LZH,
    `No signature matched, but the first ${Math.ceil(l.headerBits / 8)} bytes read as the block header of an LHA ${l.method} stream without its archive: ${l.blockCommands} commands, and three code tables (${l.tempCodes}, ${l.commandCodes} and ${l.offsetCodes} codes) each filling its code space exactly, as LHA's Huffman coder writes them. Compressed data, not ciphertext (entropy ${e.shannon}, chi-square p=${e.chiSquareP}).`,
    e,
    { ...figures, blockCommands: l.blockCommands, commandCodes: l.commandCodes, headerBits: l.headerBits },
  );
}

function withEntropy(d: Detection, e: EntropyFigures): Detection {
  return { ...d, entropy: e };
}

/** High-entropy bytes that are not uniform, or compressed data found behind a header: opaque, never ciphertext. */
function compressedUnknown(
  e: EntropyFigures,
  confidence: number,
  reason: { code: string; message: string; figures: Record<string, number | string | boolean> },
): Detection {
  return withEntropy(
    {
      format: {
        id: 'compressed-unknown',
        name: 'Unrecognised high-entropy data that is not random (compressed or encoded)',
      },
      status: 'opaque',
      confidence,
      reasons: [reason],
    },
    e,
  );
}

/** Catalogued apps whose databases are encrypted (SQLCipher, by the catalogue's encryption facts), with the ids that name their folders. */
const ENCRYPTING_APPS = appCatalogue
  .filter((app) => /SQLCipher/i.test(app.encryptionAtRest))
  .map((app) => ({
    name: app.name,
    ids: new Set([...(app.android ?? []), ...(app.ios ?? [])]),
    /** The app's data folders on computers ("Signal", "Google/Chrome/User Data"). */
    desktop: app.desktop ?? [],
    /** Its desktop artifacts that hold or wrap the database key, relative to the data folder. */
    desktopKeyFiles: app.artifacts
      .filter((a) => a.platform === 'desktop' && /\bkey\b/i.test(a.what) && !a.path.endsWith('/'))
      .map((a) => a.path),
    facts: app.encryptionAtRest,
  }));

type EncryptingApp = (typeof ENCRYPTING_APPS)[number];

/** Catalogued apps by the extensions they give the files they encrypt whole (LockMyPix's .6zu pictures). */
const APP_EXTENSIONS = new Map(
  appCatalogue.flatMap((app) =>
    Object.entries(app.encryptedExtensions ?? {}).map(([ext, original]) => [ext, { app, original }] as const),
  ),
);

/**
 * The catalogued app whose data folder holds the path: one of its package or bundle ids is a folder of the
 * path (a phone), or its desktop data folder is (a computer: `desktopFolder` says which).
 */
function encryptingAppOf(logicalPath: string): { app: EncryptingApp; desktopFolder?: string } | undefined {
  const segments = logicalPath.split('/');
  const phone = ENCRYPTING_APPS.find((app) => segments.some((s) => app.ids.has(s)));
  if (phone) return { app: phone };
  const path = `/${logicalPath}`;
  for (const app of ENCRYPTING_APPS) {
    const folder = app.desktop.find((d) => path.includes(`/${d}/`));
    if (folder) return { app, desktopFolder: folder };
  }
  return undefined;
}

/** The key hint for a catalogued app's encrypted database: on a computer, the files the catalogue says hold its key. */
function catalogueKeyHint(found: { app: EncryptingApp; desktopFolder?: string }, signal: boolean): KeyHint {
  const { app, desktopFolder } = found;
  if (desktopFolder !== undefined && app.desktopKeyFiles.length > 0)
    return {
      description: `The app's database key, kept on the computer in ${app.desktopKeyFiles.map((f) => `${desktopFolder}/${f}`).join(', ')} (clear or wrapped by the OS: DPAPI, the keychain or the desktop keyring). The app catalogue says: ${app.facts}`,
      kind: 'key-file',
      present: 'unknown',
      lookFor: app.desktopKeyFiles.map((f) => `**/${desktopFolder}/${f}`),
    };
  if (signal) return SIGNAL_DATABASE_KEY;
  return {
    description: `The app's database key. The app catalogue says: ${app.facts}`,
    kind: 'unknown',
    present: 'unknown',
  };
}

/** What a file's name says random bytes are, when that is not ciphertext (key material, filler, a split volume). */
function opaqueByName(
  format: { id: string; name: string },
  code: string,
  message: string,
  figures: Figures,
): Detection {
  return { format, status: 'opaque', confidence: 0.55, basis: 'path', reasons: [{ code, message, figures }] };
}

/** A later volume of a split archive, by its name: what looks random there is compressed data continued from the volume before. */
function splitVolumeReading(what: string, name: string, figures: Figures): Detection {
  return opaqueByName(
    { id: 'split-archive-volume', name: 'Continuation volume of a split archive' },
    'SPLIT_ARCHIVE_CONTINUATION',
    `${what} in "${name}", named as a later volume of a split archive: compressed data continued from the first volume, not ciphertext.`,
    figures,
  );
}

/** A file named as random data (filler, a test input, an entropy dump): random bytes there are no evidence of encryption. */
function namedRandomReading(what: string, name: string, figures: Figures): Detection {
  return opaqueByName(
    { id: 'random-data', name: 'Random data (named so)' },
    'NAMED_RANDOM_DATA',
    `${what} in a file named as random data ("${name}"): random filler or test input, not evidence of encryption.`,
    figures,
  );
}

/** Signal's database key, wherever a Signal database is read. */
const SIGNAL_DATABASE_KEY: KeyHint = {
  description:
    "Signal's database key is wrapped by a key in the Android Keystore (hardware-backed); it is not in a file dump.",
  kind: 'keystore',
  present: 'no',
};

/**
 * What random bytes are, read from their context: the app catalogue (an app
 * that encrypts its databases), then the path and name (key material, a
 * split-archive volume, a database name, an encryption tool's extension).
 * Each reading carries its basis; none is chosen here.
 */
function contextReadings(probe: Probe, describe: string, figures: Figures, wholeUniform: boolean): Detection[] {
  const name = probe.name;
  const out: Detection[] = [];
  // An Android app's databases/ folder holds databases whatever their names ("RKStorage", "_ionicstorage").
  const inDatabases = /(^|\/)databases\/[^/]+$/.test(probe.logicalPath);
  const dbName = DB_EXTENSIONS.has(probe.extension) || /\.(db|sqlite)$/i.test(name);
  const signal = /org\.thoughtcrime\.securesms/.test(probe.logicalPath);
  const found = encryptingAppOf(probe.logicalPath);
  const app = found?.app;
  if (found && app && (dbName || /(^|\/)databases\//.test(probe.logicalPath))) {
    const keyHint = catalogueKeyHint(found, signal);
    out.push({
      format: { id: 'sqlcipher', name: 'SQLCipher database (suspected from random pages and a database name)' },
      status: 'encrypted',
      confidence: 0.62,
      basis: 'catalogue',
      encryption: { scheme: 'sqlcipher', scope: 'full', keyHint },
      reasons: [
        {
          code: 'RANDOM_DATABASE_OF_ENCRYPTING_APP',
          message: `Uniformly random pages (${describe}) in a database of ${app.name} ("${name}"), an app the catalogue says encrypts its databases with SQLCipher: an encrypted database.`,
          figures,
        },
      ],
    });
  }
  // Key material is random from its first byte to its last and small; a clear header, trailer or framing set
  // aside first means a format, and a large file means a message, whatever the name says.
  if (
    KEY_NAME.test(name) &&
    !CONTENT_EXTENSIONS.has(probe.extension) &&
    wholeUniform &&
    probe.size <= KEY_FILE_MAX_BYTES
  ) {
    out.push(
      opaqueByName(
        { id: 'random-keyfile', name: 'Random key material' },
        'RANDOM_KEY_MATERIAL',
        `Random bytes (${describe}) in a file named like key material ("${name}"): a key, opaque, not itself encrypted.`,
        figures,
      ),
    );
  }
  if (RANDOM_NAME.test(name)) out.push(namedRandomReading(`Uniformly random bytes (${describe})`, name, figures));
  if (isSplitVolumeName(name)) out.push(splitVolumeReading(`Random-looking bytes (${describe})`, name, figures));
  if (dbName || inDatabases) {
    const manifest = name === 'Manifest.db';
    const keyHint: KeyHint = signal
      ? SIGNAL_DATABASE_KEY
      : manifest
        ? {
            description:
              'The iOS backup password (it unlocks the keybag in Manifest.plist, whose ManifestKey decrypts Manifest.db).',
            kind: 'password',
            present: 'unknown',
          }
        : {
            description:
              "The app's database passphrase or raw key (often derived from a value in the app's preferences or the OS keystore).",
            kind: 'unknown',
            present: 'unknown',
          };
    out.push({
      format: manifest
        ? { id: 'ios-backup-manifest-db-encrypted', name: 'Encrypted iOS backup Manifest.db' }
        : { id: 'sqlcipher', name: 'SQLCipher database (suspected from random pages and a database name)' },
      status: 'encrypted',
      confidence: 0.65,
      basis: 'path',
      encryption: { scheme: manifest ? 'ios-backup-aes-cbc' : 'sqlcipher', scope: 'full', keyHint },
      reasons: [
        {
          code: 'RANDOM_DATABASE',
          message: `No "SQLite format 3" header and uniformly random pages (${describe}) in a file ${dbName ? `named as a database (${name})` : `in an app's databases folder ("${name}")`}: an encrypted database${manifest ? ' (iOS backup manifest)' : ', SQLCipher-like'}.`,
          figures,
        },
      ],
    });
  }
  const byExtension = APP_EXTENSIONS.get(probe.extension);
  if (byExtension) {
    const { app, original } = byExtension;
    out.push({
      format: { id: 'app-encrypted-file', name: `File encrypted by ${app.name} (its .${probe.extension} extension)` },
      status: 'encrypted',
      confidence: 0.6,
      basis: 'catalogue',
      encryption: {
        scheme: app.id,
        scope: 'full',
        keyHint: app.keyHint ?? {
          description: `The ${app.name} PIN or password.`,
          kind: 'password',
          present: 'unknown',
        },
      },
      reasons: [
        {
          code: 'RANDOM_WITH_APP_EXTENSION',
          message: `Random bytes (${describe}) in a .${probe.extension} file, the extension ${app.name} gives the .${original} files it encrypts. The app catalogue says: ${app.encryptionAtRest}`,
          figures,
        },
      ],
    });
  }
  const tool = TOOL_EXTENSIONS[probe.extension];
  if (tool) {
    out.push({
      format: { id: tool[0], name: tool[1] },
      status: 'encrypted',
      confidence: 0.6,
      basis: 'path',
      encryption: {
        scheme: tool[0],
        scope: 'full',
        keyHint: { description: tool[2], kind: 'password', present: 'unknown' },
      },
      reasons: [
        {
          code: 'RANDOM_WITH_TOOL_EXTENSION',
          message: `No signature matched; ${describe}, in a .${probe.extension} file, the extension of ${tool[1]} (whose header is encrypted too): suspected ${tool[1]}.`,
          figures,
        },
      ],
    });
  }
  return out;
}

/** A signature this long matches random bytes about once in 4 billion files: chance cannot explain it. */
const MIN_SIGNATURE_BYTES = 4;
/**
 * Of its bytes, how many must be neither 0x00 nor 0xFF: headers of every kind hold those, ciphertext containers'
 * included, so "05 00 00 00" is a version word, not a magic ("II*\0" has three).
 */
const MIN_IDENTIFYING_BYTES = 3;

/** The longest declined signature of a detector whose formats are all clear (a cipher's magic says nothing of damage). */
function clearSignature(declined: readonly DeclinedSignature[]): DeclinedSignature | undefined {
  let best: DeclinedSignature | undefined;
  for (const d of declined)
    if (
      d.length >= MIN_SIGNATURE_BYTES &&
      d.identifying >= MIN_IDENTIFYING_BYTES &&
      d.length > (best?.length ?? 0) &&
      d.formats.every((f) => f.status !== 'encrypted')
    )
      best = d;
  return best;
}

/** The LZMA-alone stream's declaration, for a header whose stream does not decode. */
const LZMA_ALONE = compressedStreamsDetector.meta.formats.filter((f) => f.id === 'lzma');

/**
 * An LZMA-alone header (properties, a 2^n dictionary, a plausible size: by chance in about 1 random file in
 * 10^17) before bytes that do not decode (compressed-streams' trial failed, or it would have claimed the file): a
 * damaged LZMA file. It has no fixed magic to declare, so the pipeline cannot report it as a declined signature.
 */
function lzmaHeaderWithoutStream(probe: Probe): DeclinedSignature | undefined {
  if (!lzmaAlone(probe.head, probe.size)) return undefined;
  const header = probe.head.subarray(0, 13);
  return {
    detector: compressedStreamsDetector.meta.id,
    formats: LZMA_ALONE,
    offset: 0,
    length: header.length,
    identifying: header.filter((b) => b !== 0 && b !== 0xff).length,
  };
}

function damagedFile(signature: DeclinedSignature, describe: string, figures: Figures): Detection {
  const formats = signature.formats.map((f) => f.name).join(' / ');
  return {
    format: { ...DAMAGED_FILE },
    status: 'opaque',
    // Above libmagic's damaged-file answer (0.6): a detector's own signature names the format more exactly.
    confidence: 0.65,
    reasons: [
      {
        code: 'SIGNATURE_WITHOUT_STRUCTURE',
        message: `The file starts with the ${signature.length}-byte signature of ${formats} (at offset ${signature.offset}; detector ${signature.detector}), but that detector found no valid structure behind it, and the rest looks uniformly random (${describe}): a damaged or truncated file, or one holding random content, not ciphertext.`,
        figures: {
          ...figures,
          signatureDetector: signature.detector,
          signatureOffset: signature.offset,
          signatureBytes: signature.length,
        },
      },
    ],
  };
}

/** Whether the probe's head holds the whole file: what comes at its end can then be set aside exactly. */
function heldWhole(probe: Probe): boolean {
  return probe.complete && probe.head.length === probe.size;
}

/** A verdict of the statistics (one detection or several) with `f` applied to each detection. */
function eachDetection(result: Detection | Detection[], f: (d: Detection) => Detection): Detection | Detection[] {
  return Array.isArray(result) ? result.map(f) : f(result);
}

/** Trailing zeros set aside before the statistics: at least this many, after at least MIN_BYTES of content. */
const PADDING_MIN_BYTES = 32;

/**
 * How many zero bytes end a file held whole, when they are padding to set aside: at least PADDING_MIN_BYTES
 * (random bytes end so with a chance of 2^-256) after at least MIN_BYTES that are not all zero. 0 otherwise.
 */
function zeroPadding(probe: Probe): number {
  if (!heldWhole(probe)) return 0;
  let end = probe.head.length;
  while (end > 0 && probe.head[end - 1] === 0) end--;
  const padding = probe.head.length - end;
  return padding >= PADDING_MIN_BYTES && end >= MIN_BYTES ? padding : 0;
}

/** Whole 512-byte blocks of zeros a file must open with for clear bytes after them to be set aside (tar's end). */
const ZERO_BLOCK_BYTES = 512;
const MIN_ZERO_BLOCKS = 2;

/**
 * Clear bytes (text, line ends) after a file held whole that opens with whole 512-byte blocks of zeros and
 * nothing else (an empty tar archive's two end-of-archive blocks, rounded to its record; a zeroed device block):
 * how many, or 0. A line feed a text tool added or a note appended does not make the zeros content; bytes that
 * are not clear (ciphertext after zeros) are never set aside, and the zeros must end on a block boundary.
 */
function clearAfterZeroBlocks(probe: Probe): number {
  const h = probe.head;
  if (!heldWhole(probe) || h[0] !== 0) return 0;
  let zeros = 0;
  while (zeros < h.length && h[zeros] === 0) zeros++;
  if (zeros === h.length || zeros % ZERO_BLOCK_BYTES !== 0 || zeros < MIN_ZERO_BLOCKS * ZERO_BLOCK_BYTES) return 0;
  for (let i = zeros; i < h.length; i++) if (!trailerByte(h[i]!)) return 0;
  return h.length - zeros;
}

/** The fewest bytes a clear trailer holds (two windows: random bytes never show one such window). */
const TRAILER_MIN_BYTES = 2 * HEADER_WINDOW;
/** The fewest bytes before a clear trailer for the statistics to judge them alone. */
const TRAILER_MIN_CONTENT = 256;

/** Text, line ends or zeros: the bytes a clear trailer is made of. */
function trailerByte(b: number): boolean {
  return b === 0 || b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f);
}

/**
 * How many bytes end a file held whole that are clear (text, a log line, few distinct values: what a carver
 * overshoots into, or a note appended to ciphertext), counted in 64-byte windows back from the end, then byte by
 * byte through the text of the window that straddles the boundary. 0 when fewer than TRAILER_MIN_BYTES, or
 * fewer than TRAILER_MIN_CONTENT bytes come before them.
 */
function clearTrailer(probe: Probe): number {
  if (!heldWhole(probe)) return 0;
  const h = probe.head;
  let start = h.length;
  while (start >= HEADER_WINDOW && distinctValues(h.subarray(start - HEADER_WINDOW, start)) < CLEAR_WINDOW_DISTINCT)
    start -= HEADER_WINDOW;
  if (start === h.length) return 0;
  while (start > 0 && trailerByte(h[start - 1]!)) start--;
  const trailer = h.length - start;
  return trailer >= TRAILER_MIN_BYTES && start >= TRAILER_MIN_CONTENT ? trailer : 0;
}

/** Whether a verdict of the statistics calls the bytes encrypted. */
function callsEncrypted(result: Detection | Detection[]): boolean {
  return (Array.isArray(result) ? result : [result]).some((d) => d.status === 'encrypted');
}

/** Detections over a file's content with what ended it (zero padding, a clear trailer) named in their first reason. */
function withEndSetAside(
  result: Detection | Detection[],
  bytes: number,
  what: 'zero padding' | 'clear trailer',
): Detection | Detection[] {
  const note = (d: Detection): Detection => {
    const [first, ...rest] = d.reasons;
    if (!first) return d;
    const message = first.message ?? '';
    const said =
      what === 'zero padding'
        ? `The ${bytes} zero bytes that end the file, padding, were set aside`
        : `The ${bytes} clear bytes that end the file (text or few distinct values, not ciphertext) were set aside`;
    return {
      ...d,
      reasons: [
        {
          ...first,
          message: `${message}${message ? ' ' : ''}(${said}: the figures are over the bytes before them.)`,
          figures: {
            ...first.figures,
            ...(what === 'zero padding' ? { zeroPaddingBytes: bytes } : { clearTrailerBytes: bytes }),
          },
        },
        ...rest,
      ],
    };
  };
  return eachDetection(result, note);
}

/** The probe of a whole file without its last `bytes`. */
function withoutEnd(probe: Probe, bytes: number): Probe {
  return { ...probe, head: probe.head.subarray(0, probe.size - bytes), size: probe.size - bytes };
}

export const statisticsDetector = defineDetector({
  meta: {
    id: 'statistics',
    version: '2.7.0',
    title: 'Entropy and randomness tests over sampled blocks, refined by context',
    formats: [
      {
        id: 'unknown-encrypted',
        name: 'Unrecognised data, statistically indistinguishable from ciphertext',
        status: 'encrypted',
        how: 'statistics',
      },
      {
        id: 'sqlcipher',
        name: 'SQLCipher database (suspected from random pages and a database name)',
        status: 'encrypted',
        how: 'statistics',
        extensions: ['db', 'sqlite', 'sqlite3', 'sqlitedb', 'db3', 'database', 'sqlcipher'],
      },
      {
        id: 'truecrypt-veracrypt',
        name: 'TrueCrypt/VeraCrypt-like volume (suspected)',
        status: 'encrypted',
        how: 'statistics',
        extensions: ['hc', 'tc', 'vc', 'img', 'bin', 'dat', 'raw'],
      },
      {
        id: 'ccrypt',
        name: 'ccrypt file (suspected from random bytes and the .cpt extension)',
        status: 'encrypted',
        how: 'statistics',
        extensions: ['cpt'],
      },
      {
        id: 'random-keyfile',
        name: 'Random key material',
        status: 'opaque',
        how: 'statistics',
        extensions: ['key', 'keyx', 'bin', 'keyfile', 'dat'],
      },
      {
        id: 'split-archive-volume',
        name: 'Continuation volume of a split archive',
        status: 'opaque',
        how: 'statistics',
      },
      {
        id: 'app-encrypted-file',
        name: 'File encrypted by a catalogued app (by the extension it gives them)',
        status: 'encrypted',
        how: 'statistics',
      },
      { id: 'random-data', name: 'Random data (named so)', status: 'opaque', how: 'statistics' },
      {
        ...DAMAGED_FILE,
        status: 'opaque',
        how: 'signature',
      },
      { id: 'zero-filled', name: 'Zero-filled file (no content)', status: 'analysable', how: 'statistics' },
      {
        id: 'byte-filled',
        name: 'File filled with one byte value (no content)',
        status: 'analysable',
        how: 'statistics',
      },
      {
        id: 'deflate-raw',
        name: 'Headerless DEFLATE stream (found by a trial inflate)',
        status: 'opaque',
        how: 'structure',
      },
      {
        id: 'brotli-raw',
        name: 'Brotli stream (found by a trial decode)',
        status: 'opaque',
        how: 'structure',
        extensions: ['br', 'brotli'],
      },
      { id: RAW_LZH.id, name: RAW_LZH.name, status: 'opaque', how: 'structure' },
      ...Object.values(RAW_LZMA).map(({ id, name }) => ({
        id,
        name,
        status: 'opaque' as const,
        how: 'structure' as const,
      })),
      {
        id: 'compressed-unknown',
        name: 'Unrecognised high-entropy data that is not random (compressed or encoded)',
        status: 'opaque',
        how: 'statistics',
      },
      { id: 'binary-unknown', name: 'Unrecognised structured binary data', status: 'opaque', how: 'statistics' },
    ],
  },
  fallback: true,
  priority: 100,
  detect(probe, ctx): Detection | Detection[] {
    const padding = zeroPadding(probe);
    // Judged without the zeros after the content (sector or block padding, as carved and imaged files hold).
    if (padding > 0) return withEndSetAside(judgeBytes(withoutEnd(probe, padding), ctx), padding, 'zero padding');
    const afterZeros = clearAfterZeroBlocks(probe);
    if (afterZeros > 0) {
      const zeros = judgeBytes(withoutEnd(probe, afterZeros), ctx);
      return eachDetection(zeros, (d) => notingZeroPadding(d, { trailingBytes: afterZeros }, 'what comes before them'));
    }
    const whole = judgeBytes(probe, ctx, wholeSectors(probe));
    // A clear trailer too short to fill the block profile's blocks can still outweigh a small ciphertext: the
    // bytes before it are judged alone, and that verdict is taken only when it finds them random.
    const trailer = callsEncrypted(whole) ? 0 : clearTrailer(probe);
    if (trailer === 0) return whole;
    const content = judgeBytes(withoutEnd(probe, trailer), ctx);
    return callsEncrypted(content) ? withEndSetAside(content, trailer, 'clear trailer') : whole;
  },
});

/**
 * The whole 512-byte sectors a file holds (the layout of a disk-image volume), and how many bytes follow them:
 * none when its size is a multiple of 512; one line end (LF or CR LF) or one NUL byte when that is all that follows
 * the last whole sector (a text tool's line feed, a byte appended by a copy): those bytes are no volume's. Undefined
 * for any other size.
 */
type WholeSectors = { bytes: number; appended: number };
function wholeSectors(probe: Probe): WholeSectors | undefined {
  const over = probe.size % 512;
  if (over === 0) return { bytes: probe.size, appended: 0 };
  if (over > 2 || probe.size < 512) return undefined;
  const end = probe.tail.length > 0 ? probe.tail : probe.head;
  if (end.length < over) return undefined;
  const last = end[end.length - 1];
  const before = end[end.length - 2];
  const appended = over === 1 ? last === 0x0a || last === 0 : before === 0x0d && last === 0x0a;
  return appended ? { bytes: probe.size - over, appended: over } : undefined;
}

/** The figures and wording of bytes after a volume's whole sectors, for the reasons that name the layout. */
function sectorNote(sectors: WholeSectors): { text: string; figures: Record<string, number> } {
  return sectors.appended === 0
    ? { text: '', figures: {} }
    : {
        text: ` (${sectors.bytes} bytes of whole sectors, then ${sectors.appended === 1 ? 'one byte' : 'two bytes'} appended, a line end or a NUL, set aside as no volume's)`,
        figures: { appendedBytes: sectors.appended },
      };
}

/**
 * The statistics over a probe's bytes (a whole file's, or its content without trailing zero padding). `sectors`:
 * the whole 512-byte sectors the bytes judged hold, by default those of their size when it is a multiple of 512.
 */
function judgeBytes(
  probe: Probe,
  ctx: DetectorContext,
  sectors: WholeSectors | undefined = probe.size % 512 === 0 ? { bytes: probe.size, appended: 0 } : undefined,
): Detection | Detection[] {
  const blocks = probeBlocks(probe);
  // Shared with the libmagic detector's gate, which may have computed them for this probe already.
  const e = probeFigures(probe);
  const figures = figuresOf(e);

  // Zeros at any size (an empty tar's end blocks); another byte value only over enough bytes to call it a fill.
  const fill = probe.size > 0 && (probe.head[0] === 0 || probe.size >= MIN_BYTES) ? probe.head[0]! : undefined;
  if (fill !== undefined && blocks.every((b) => b.every((x) => x === fill))) {
    // Nothing is hidden in one repeated byte: no key could unlock anything here (an empty tar's end blocks, a
    // wiped file, erased flash reads as 0xFF). A file larger than the probe is judged by what was read (head,
    // samples, tail), and the reason says so.
    const read = blocks.reduce((n, b) => n + b.length, 0);
    const byte = `0x${fill.toString(16).padStart(2, '0').toUpperCase()}`;
    const what = fill === 0 ? 'zero' : `${byte}`;
    return withEntropy(
      {
        format:
          fill === 0
            ? { id: 'zero-filled', name: 'Zero-filled file (no content)' }
            : { id: 'byte-filled', name: 'File filled with one byte value (no content)' },
        status: 'analysable',
        confidence: probe.complete ? 0.6 : 0.45,
        reasons: [
          probe.complete
            ? {
                code: fill === 0 ? 'ALL_ZERO' : 'ALL_ONE_BYTE',
                message: `All ${probe.size} bytes are ${what}: no content to read or to unlock (a wiped or preallocated file, erased flash, or an empty tar archive's end blocks).`,
                figures: { size: probe.size, byte },
              }
            : {
                code: fill === 0 ? 'ALL_ZERO_READ' : 'ALL_ONE_BYTE_READ',
                message: `The ${read} bytes read of ${probe.size} (the head, ${probe.samples.length} sample(s) spread over the file and the tail) are all ${what}, nothing to unlock there; the bytes between were not read (a preallocated, wiped or erased file, or one whose data lies past padding, as an ISO 9660 image's volume descriptors do).`,
                figures: { size: probe.size, byte, bytesRead: read, samples: probe.samples.length },
              },
        ],
      },
      e,
    );
  }

  if (e.sampledBytes < MIN_BYTES) {
    // 16-64 bytes with almost no repeated byte: the size and look of a key. Not when most bytes are printable
    // ASCII (a unit file line with one NUL, systemd's fuzz input "[Network]\0IPv6Token=static"): random bytes
    // are printable 37 % of the time, 80 % of 16 or more is a chance under 1 in 10,000. Nor when 85 % are
    // text with line ends and UTF-8 characters (JDK public-suffix records "\0cf\n\1blogspot.cf\n", "\0嘉里大酒店\n"):
    // 16 random bytes are so with a chance of 6.8e-4, 24 of 2.8e-5 (2 million trials each); such a key stays
    // opaque, only unnamed. A size that is not a key length (16, 24, 32, 48 or 64 bytes) must also reach both
    // halves of the byte range as random bytes do (16 random bytes stay in one half with a chance of 2 in 65,536):
    // r-cran-rgdal's 50-byte raster `scaleoffset.dat` holds the values 1 to 50. At a key length any values are
    // taken (KeePass uses any 32-byte file as its key: KeePassXC's test key file is the bytes 01 to 32).
    if (
      probe.size >= 16 &&
      distinctValues(probe.head) >= probe.head.length * 0.75 &&
      printableShare(probe.head) < 0.8 &&
      utf8TextShare(probe.head) < 0.85 &&
      (KEY_LENGTHS.has(probe.size) || bothHalves(probe.head))
    ) {
      return withEntropy(
        {
          format: { id: 'random-keyfile', name: 'Random key material' },
          status: 'opaque',
          confidence: 0.5,
          reasons: [
            {
              code: 'KEY_SIZED_RANDOM',
              message: `${probe.size} bytes with ${distinctValues(probe.head)} distinct values and no structure: the size of a key, not of a message (opaque key material, not encrypted).`,
              figures: { ...figures, distinctBytes: distinctValues(probe.head) },
            },
          ],
        },
        e,
      );
    }
    return withEntropy(
      {
        format: { id: 'binary-unknown', name: 'Unrecognised structured binary data' },
        status: 'opaque',
        confidence: 0.3,
        reasons: [
          {
            code: 'TOO_SMALL_FOR_STATISTICS',
            message: `Only ${e.sampledBytes} bytes: too few for a randomness test; no signature matched.`,
            figures,
          },
        ],
      },
      e,
    );
  }

  // Structure before statistics: a trial inflate finds headerless DEFLATE (app caches, flushed streams).
  const inflated = trialInflate(probe.head, 'raw', probe.complete);
  if (isRawDeflate(inflated)) return trialDecoded(DEFLATE_RAW, inflated, e, figures);

  // Uniform on 256 values but not on the 16 high nibbles (a small sample): the reason says which test decided.
  let nibbles: { bytes: number; p: number; after: number } | undefined;
  const uniformOnNibbles = (part: readonly Uint8Array[], after: number) => {
    const small = smallSampleTest(part);
    if (!small.uniform) nibbles ??= { bytes: small.bytes!, p: small.p!, after };
    return small.uniform;
  };
  let random = isRandom(e) && uniformOnNibbles(blocks, 0);
  let prefix = 0;
  let prefixKind = '';
  let profile = '';
  // Whether the file's first bytes are clear (a prefix or a clear first block): no TrueCrypt/VeraCrypt volume.
  let clearHead = false;
  // The clear-header search runs once, and only for files that are not random from their first byte.
  let headerEnd: number | undefined;
  let searched = false;
  const headerEndOnce = () => {
    if (!searched) headerEnd = clearHeaderEnd(probe.head);
    searched = true;
    return headerEnd;
  };
  const fieldEnds = zeroFieldEnds(probe.head);
  const textEnd = textHeaderEnd(probe.head);
  // Bodies a length field declares, in files the head holds whole (cuts given as -3 - start).
  const bodyStarts = probe.complete ? declaredBodyStarts(probe.head, probe.size) : [];
  const declared = bodyStarts.map((at) => -3 - at);
  for (const cut of [...(textEnd === undefined ? [] : [-2]), 16, 32, MAX_PREFIX, -1, ...fieldEnds, ...declared]) {
    if (random) break;
    const text = cut === -2;
    const declares = cut <= -3;
    const at = text ? textEnd : declares ? -3 - cut : cut === -1 ? headerEndOnce() : cut;
    // A text header (a JSON, XML or INI block of KDF parameters), or a header whose length field declares the body,
    // is a header whatever its length, so the body after it is tested from MIN_BYTES on; a prefix known only by its
    // place, from three times its length.
    if (at === undefined || (text || declares ? probe.head.length - at < MIN_BYTES : probe.head.length <= at * 4))
      continue;
    // A short clear prefix (IV, salt, magic, lengths) that is not itself random, then a random body; or a
    // header of random salt and IV whose last field ends in zero bytes (a length's or a count's high bytes).
    if (!text && !declares && !fieldEnds.includes(cut) && distinctValues(probe.head.subarray(0, at)) >= at / 2)
      continue;
    // Before the figures over the whole body (a deflate), a cheap necessary test: the KiB after the prefix
    // spreads over the byte values as random bytes do.
    if (!spreadLikeRandom(probe.head.subarray(at, at + 1024))) continue;
    const bodyBlocks = [probe.head.subarray(at), ...probe.samples.map((s) => s.bytes), probe.tail];
    if (!uniformByChiSquare(bodyBlocks)) continue;
    const body = randomnessFigures(bodyBlocks);
    if (isRandom(body) && uniformOnNibbles(bodyBlocks, at)) {
      random = true;
      prefix = at;
      prefixKind = text ? 'text header' : declares ? 'header whose length field declares the rest' : 'clear prefix';
      Object.assign(figures, {
        bodyShannon: body.shannon,
        bodyChiSquareP: body.chiSquareP,
        clearPrefixBytes: prefix,
      });
    }
  }

  if (!random) {
    // A clear header page, trailer or padding around a random body: test the body alone.
    const p = blockProfile(probe);
    if (p?.random) {
      random = true;
      profile = p.describe;
      clearHead = p.clearHead === true;
      Object.assign(figures, p.figures);
    } else if (p && typeof p.figures.streamOffset === 'number') {
      return compressedUnknown(e, 0.55, {
        code: 'COMPRESSED_AFTER_HEADER',
        message: `No signature matched; ${p.describe}: compressed data behind a clear header, not ciphertext.`,
        figures: { ...figures, ...p.figures },
      });
    }
  }

  // Many small records behind clear lengths, or blocks behind tags or counters: the framing set aside.
  // On bytes already uniform, framing is looked for only to find records of compressed data.
  if (e.shannon >= FRAMED_MIN_SHANNON) {
    const f = framedBody(probe, random);
    if (f?.random) {
      random = true;
      profile = `${f.framing.describe}; once those ${f.framing.framingBytes} framing bytes are set aside the ${f.framing.figures.payloadBytes} left are uniform (entropy ${f.body.shannon}, chi-square p=${f.body.chiSquareP}, deflate ratio ${f.body.compressionRatio})`;
      Object.assign(figures, f.framing.figures, {
        bodyShannon: f.body.shannon,
        bodyChiSquareP: f.body.chiSquareP,
        bodyCompressionRatio: f.body.compressionRatio ?? 0,
      });
    } else if (f) {
      return compressedUnknown(e, 0.55, {
        code: 'COMPRESSED_RECORDS',
        message: `No signature matched; ${f.framing.describe}, and ${f.what}: records of compressed data, not ciphertext.`,
        figures: { ...figures, ...f.framing.figures },
      });
    }
  }

  // Brotli has no magic (.br files, web caches) and often passes for uniform bytes: before calling bytes random,
  // a trial decode must fail (tried only here, on the files that would be called random: it costs ~100 µs).
  const brotli = random ? trialBrotli(probe.head, probe.complete) : undefined;
  if (brotli && isBrotli(brotli)) return trialDecoded(BROTLI_RAW, brotli, e, figures);
  // Brotli behind a header (a magic, a version, lengths; a text header): tried where a body would start.
  const brotliAfter = random ? brotliAfterHeader(probe, headerEndOnce(), fieldStarts(bodyStarts)) : undefined;
  if (brotliAfter) {
    return compressedUnknown(e, 0.55, {
      code: 'COMPRESSED_AFTER_HEADER',
      message: `No signature matched; the bytes look uniform (${figures.bodyChiSquareP !== undefined ? `body chi-square p=${figures.bodyChiSquareP}` : `chi-square p=${e.chiSquareP}`}), but the ${brotliAfter.trial.input} bytes from byte ${brotliAfter.offset} decode as Brotli to ${brotliAfter.trial.output}${brotliAfter.trial.capped ? '+' : ''}: compressed data behind a header, not ciphertext.`,
      figures: {
        ...figures,
        streamOffset: brotliAfter.offset,
        trialInputBytes: brotliAfter.trial.input,
        trialOutputBytes: brotliAfter.trial.output,
      },
    });
  }
  // Raw LZMA and LZMA2 have no magic either; their first bytes gate the trial (about 1 random file in 7).
  const lzma = random ? trialRawLzma(probe.head, probe.complete) : undefined;
  if (lzma) return rawLzmaDecoded(lzma, e, figures);
  // Nor has LHA's static-Huffman stream (-lh5- to -lh7-) outside its archive: its first block's three code
  // tables must each fill the code space exactly (none of 3 million random buffers did; lzh-start.ts).
  const lzh = random ? lzhStaticHuffmanStart(probe.head) : undefined;
  if (lzh) return rawLzhDecoded(lzh, e, figures);

  if (random) {
    const describe = `entropy ${e.shannon} bits/byte, chi-square ${e.chiSquare} (p=${e.chiSquareP}), deflate ratio ${e.compressionRatio}${prefix ? `; random after a ${prefix}-byte ${prefixKind}` : ''}${profile ? `; ${profile}` : ''}`;
    // Structure outranks statistics: a clear format's magic number at the start is not a chance prefix of ciphertext.
    const signature = clearSignature(ctx.declinedSignatures ?? []) ?? lzmaHeaderWithoutStream(probe);
    if (signature) return withEntropy(damagedFile(signature, describe, figures), e);
    if (probe.size <= KEY_SIZED_BYTES) {
      // Size decides: nothing but a key is this small and random.
      return withEntropy(
        {
          format: { id: 'random-keyfile', name: 'Random key material' },
          status: 'opaque',
          confidence: 0.55,
          reasons: [
            {
              code: 'RANDOM_KEY_MATERIAL',
              message: `Random bytes (${describe}) of key size (${probe.size} bytes): a key, opaque, not itself encrypted.`,
              figures,
            },
          ],
        },
        e,
      );
    }
    // Headerless compressed data after a short header (an app cache's metadata, then DEFLATE) is as uniform as ciphertext.
    const stream =
      findStream(probe, 1, MAX_PREFIX + 1, 'all', 'after a short header') ??
      // A longer text or binary header (a PDF object's dictionary before its FlateDecode stream): streams with a
      // header or a magic, raw DEFLATE being tried past the first 64 bytes only where a header field's zero bytes end.
      findStream(
        probe,
        MAX_PREFIX + 1,
        EMBEDDED_STREAM_SEARCH_BYTES,
        new Set([...fieldStarts(fieldEnds), ...fieldStarts(bodyStarts)]),
        'after a header',
      ) ??
      // A text header of any length (a JSON, XML or INI block of KDF parameters), raw DEFLATE included, where
      // its text ends: up to 8 bytes back, as the body's first bytes may be printable too (37 % each), or one
      // byte on, past a NUL that ends the text.
      (textEnd ? findStream(probe, Math.max(1, textEnd - 8), textEnd + 2, 'all', 'after a text header') : undefined) ??
      ((h) => (h ? findStream(probe, h - HEADER_WINDOW, h + HEADER_WINDOW, 'all', 'after a clear header') : undefined))(
        headerEndOnce(),
      );
    if (stream) {
      return compressedUnknown(e, 0.55, {
        code: 'COMPRESSED_AFTER_HEADER',
        message: `No signature matched; the bytes look uniform (${describe}), but ${stream.describe}: compressed data, not ciphertext.`,
        figures: { ...figures, streamOffset: stream.offset },
      });
    }
    // Every reading the context supports, each with its basis; the classify stage ranks them
    // (catalogue knowledge over path and name heuristics, those over bare statistics).
    const rawKey = prefix === 0 && profile === '' && textEnd === undefined;
    const readings = contextReadings(probe, describe, figures, rawKey).map((d) => withEntropy(d, e));
    if (readings.length > 0) return readings;
    // A TrueCrypt/VeraCrypt volume starts with its encrypted header (salt, then ciphertext): random from byte 0.
    // A clear first block or prefix (an Aria data file's bitmap page) rules that out.
    const volume =
      sectors !== undefined && sectors.bytes >= 256 * 1024 && probe.extension !== 'enc' && prefix === 0 && !clearHead;
    const appended = volume && sectors ? sectorNote(sectors) : undefined;
    return withEntropy(
      {
        format: volume
          ? { id: 'truecrypt-veracrypt', name: 'TrueCrypt/VeraCrypt-like volume (suspected)' }
          : { id: 'unknown-encrypted', name: 'Unrecognised data, statistically indistinguishable from ciphertext' },
        // Only the body's figures speak when clear blocks were set aside: headerless LZMA-family data behind a header reads the same.
        status: 'encrypted',
        confidence: profile ? 0.5 : 0.55,
        encryption: {
          scheme: volume ? 'truecrypt-veracrypt-suspected' : 'unknown',
          scope: 'full',
          keyHint: volume
            ? {
                description: 'A VeraCrypt/TrueCrypt password (and keyfiles or PIM, if used).',
                kind: 'password',
                present: 'unknown',
              }
            : {
                description: 'Unknown scheme: no header names the cipher or the key.',
                kind: 'unknown',
                present: 'unknown',
              },
        },
        reasons: [
          {
            code: 'STATISTICALLY_RANDOM',
            message: `No signature matched; ${describe}: consistent with uniform bytes, so suspected ciphertext${volume ? ` (${appended?.text ? `${probe.size} bytes${appended.text}` : `sector-aligned, ${probe.size} bytes`}: possibly a TrueCrypt/VeraCrypt volume)` : ''}.`,
            figures: { ...figures, ...appended?.figures },
          },
        ],
      },
      e,
    );
  }

  // A TrueCrypt/VeraCrypt header is 512 random bytes (salt + encrypted header) at offset 0; the rest of a small,
  // sparse or wiped volume may not be random (zeros, old data). A body of compressed data is not that: a span cut
  // from the middle of an AAC or FLAC stream (player caches keep them) starts with a random-looking sector too.
  const h = sectors && sectors.bytes >= MIN_VOLUME_BYTES ? randomSector(probe.head) : undefined;
  if (h) {
    // A volume of a split archive starts wherever the previous one stopped: often inside compressed data.
    const what = `A random first sector (entropy ${h.shannon}, ${h.distinct} distinct values) before bytes that are not uniform`;
    if (isSplitVolumeName(probe.name)) return withEntropy(splitVolumeReading(what, probe.name, figures), e);
    if (RANDOM_NAME.test(probe.name)) return withEntropy(namedRandomReading(what, probe.name, figures), e);
  }
  // The zero count is read only for a file whose first sector passed (few do).
  if (h && !(e.shannon >= 7.5 && zeroShare(probe) < VOLUME_ZERO_SHARE)) {
    return withEntropy(
      {
        format: { id: 'truecrypt-veracrypt', name: 'TrueCrypt/VeraCrypt-like volume (suspected)' },
        status: 'encrypted',
        confidence: 0.5,
        encryption: {
          scheme: 'truecrypt-veracrypt-suspected',
          scope: 'full',
          keyHint: {
            description: 'A VeraCrypt/TrueCrypt password (and keyfiles or PIM, if used).',
            kind: 'password',
            present: 'unknown',
          },
        },
        reasons: [
          {
            code: 'RANDOM_VOLUME_HEADER',
            message: `No signature matched; the first 512 bytes are random (entropy ${h.shannon}, chi-square p=${h.chiSquareP}, ${h.distinct} distinct values) in a ${sectors?.appended ? '' : 'sector-aligned '}file of ${probe.size} bytes${sectors ? sectorNote(sectors).text : ''}: the layout of a TrueCrypt/VeraCrypt volume header (suspected, never certain).`,
            figures: {
              ...figures,
              ...(sectors ? sectorNote(sectors).figures : {}),
              headerShannon: h.shannon,
              headerChiSquareP: h.chiSquareP,
              headerDistinctBytes: h.distinct,
            },
          },
        ],
      },
      e,
    );
  }

  if (nibbles) Object.assign(figures, { nibbleChiSquareP: nibbles.p, nibbleTestBytes: nibbles.bytes });
  if (e.shannon >= 7.5) {
    return compressedUnknown(e, 0.5, {
      code: 'HIGH_ENTROPY_NOT_RANDOM',
      message: nibbles
        ? `No signature matched; entropy ${e.shannon} bits/byte, but ${nibbleNote(nibbles)}: compressed or encoded data, not ciphertext.`
        : `No signature matched; entropy ${e.shannon} bits/byte but chi-square ${e.chiSquare} (p=${e.chiSquareP}) rejects uniform bytes: compressed or encoded data, not ciphertext.`,
      figures,
    });
  }
  return withEntropy(
    {
      format: { id: 'binary-unknown', name: 'Unrecognised structured binary data' },
      status: 'opaque',
      confidence: 0.5,
      reasons: [
        {
          code: 'STRUCTURED_BINARY',
          message: nibbles
            ? `No signature matched; entropy ${e.shannon} bits/byte, and ${nibbleNote(nibbles)}: structure, not ciphertext.`
            : `No signature matched; entropy ${e.shannon} bits/byte shows structure, not ciphertext.`,
          figures,
        },
      ],
    },
    e,
  );
}

/** The share of bytes that are printable ASCII, space to tilde. */
/** Length of the well-formed UTF-8 sequence of two to four bytes at `i` (RFC 3629: no overlong forms, no surrogates), else 0. */
function utf8SequenceAt(b: Uint8Array, i: number): number {
  const x = b[i]!;
  const n = x >= 0xc2 && x <= 0xdf ? 2 : x >= 0xe0 && x <= 0xef ? 3 : x >= 0xf0 && x <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > b.length) return 0;
  for (let j = 1; j < n; j++) if ((b[i + j]! & 0xc0) !== 0x80) return 0;
  const y = b[i + 1]!;
  if ((x === 0xe0 && y < 0xa0) || (x === 0xed && y >= 0xa0) || (x === 0xf0 && y < 0x90) || (x === 0xf4 && y >= 0x90))
    return 0;
  return n;
}

/** Share of bytes that are text: printable ASCII, tab, line ends, or part of a well-formed UTF-8 character. */
function utf8TextShare(b: Uint8Array): number {
  let text = 0;
  for (let i = 0; i < b.length;) {
    const x = b[i]!;
    const sequence = (x >= 0x20 && x <= 0x7e) || x === 0x09 || x === 0x0a || x === 0x0d ? 1 : utf8SequenceAt(b, i);
    text += sequence;
    i += Math.max(1, sequence);
  }
  return b.length === 0 ? 0 : text / b.length;
}

/** Symmetric key and seed lengths in bytes: AES-128/192/256, 384-bit, 512-bit. */
const KEY_LENGTHS = new Set([16, 24, 32, 48, 64]);

/** Whether `b` holds bytes from both halves of the byte range (below 0x80 and from 0x80 up), as random bytes do. */
function bothHalves(b: Uint8Array): boolean {
  let high = 0;
  for (const x of b) if (x >= 0x80) high++;
  return high > 0 && high < b.length;
}

function printableShare(b: Uint8Array): number {
  let n = 0;
  for (const x of b) if (x >= 0x20 && x <= 0x7e) n++;
  return b.length === 0 ? 0 : n / b.length;
}
