/**
 * Trial decoding: the check behind weak magic. A two-byte zlib header, an
 * LZMA properties byte or no header at all (raw DEFLATE) is hit by chance in
 * random bytes; decoding the first KiB tells a real stream from a chance
 * match, and headerless compressed data from ciphertext. Output is bounded,
 * so a bomb costs at most `maxOutput` bytes.
 * Reference: RFC 1950 (zlib), RFC 1951 (DEFLATE), RFC 7932 (Brotli); LZMA SDK
 * lzma-file-format.txt.
 */
import zlib from 'node:zlib';
import { napiLzma } from '../lzma.js';
import { deflateStartError, zlibStartError } from './deflate-start.js';

/** Decode at most this much input: enough for a chance match in random bytes to fail (the first KiB and more). */
export const TRIAL_INPUT_BYTES = 4096;
const MAX_OUTPUT_BYTES = 256 * 1024;
/** Bytes a raw DEFLATE stream may leave after it in a whole file: a trailer (gzip: 8, a ZIP data descriptor: 16). */
const RAW_TRAILER_BYTES = 16;

export interface TrialResult {
  /** The input decoded without error (to its end, or up to the cut). */
  ok: boolean;
  /** Bytes of input tried. */
  input: number;
  /** Bytes produced (at most the output bound; `capped` when it was reached). */
  output: number;
  capped: boolean;
  /** The stream ended within the bytes tried. */
  ended: boolean;
  /** Bytes of input the stream took, when it ended (records or a trailer may follow it). */
  consumed?: number;
  /**
   * A raw stream whose first block is stored with data (BTYPE 00, LEN > 0: its bytes copy through as they are)
   * and that does not end where a whole file ends.
   */
  storedStart?: boolean;
  error?: string;
}

/**
 * Runs a decode that throws on most of what it is given (chance matches, random bytes) without capturing
 * stacks: only an error's code and message are read, and zlib's error with its stack cost more than the
 * decode itself (about half of trialBrotli's time on random bytes, docs/performance.md).
 */
function withoutStacks<T>(decode: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return decode();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Inflates the start of `bytes` as raw DEFLATE or zlib. `complete` says the
 * bytes are the whole file: then the stream must also end.
 */
/**
 * A zlib stream that decoded (its header checked, and its Adler-32 when it ended) to at least as many bytes as it
 * took: compressed data. A stream that ended is measured by the bytes it took, not the bytes after it (the next
 * records of a file of many small compressed records).
 */
export function zlibDecoded(t: TrialResult): boolean {
  return t.ok && t.output >= (t.ended && t.consumed !== undefined ? t.consumed : t.input);
}

export function trialInflate(bytes: Uint8Array, kind: 'raw' | 'zlib', complete: boolean): TrialResult {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, TRIAL_INPUT_BYTES));
  const options = { maxOutputLength: MAX_OUTPUT_BYTES };
  const inflate = kind === 'raw' ? zlib.inflateRawSync : zlib.inflateSync;
  const whole = complete && input.length === bytes.length;
  // A stored first block counts when it ends with the file: it spans it exactly (Go's flate writer leaves such
  // streams without a final block), or the stream ends there.
  const storedLength = kind === 'raw' ? storedBlockFirst(input) : 0;
  const stored = storedLength > 0 && !(whole && 5 + storedLength === input.length);
  // Most chance starts fail on their first bits: say so without a zlib instance (deflate-start.ts).
  const early = kind === 'raw' ? deflateStartError(input) : zlibStartError(input);
  if (early !== undefined) return failed(input.length, early);
  try {
    // Z_FINISH first: a stream that ends inside the input decodes whole. `info` gives the engine, whose
    // bytesWritten is the input it consumed: less than the input when the stream ended before it.
    const { buffer: out, engine } = withoutStacks(() => inflate(input, { ...options, info: true })) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    // In a whole file a raw stream must end at its end, or before a trailer at most (gzip's CRC and size, a ZIP
    // data descriptor): random bytes often "end" after a few bytes, then trail. A zlib stream that ended passed
    // its Adler-32 check, so bytes after it (a PNG's CRC and IEND) do not make it a chance match.
    if (
      whole &&
      kind === 'raw' &&
      input.length >= 2 &&
      engine.bytesWritten < input.length - RAW_TRAILER_BYTES &&
      !compressedRecord(engine.bytesWritten, out.length)
    )
      return failed(input.length, 'the stream ends before the file does');
    return {
      ok: true,
      input: input.length,
      output: out.length,
      capped: false,
      ended: true,
      consumed: engine.bytesWritten,
      // A stored stream that ends with the file (its LEN, BFINAL and the file's size agree) is a DEFLATE file.
      storedStart: stored && !(whole && engine.bytesWritten >= input.length - RAW_TRAILER_BYTES),
    };
  } catch (finishError) {
    if (isCapped(finishError))
      return { ok: true, input: input.length, output: MAX_OUTPUT_BYTES, capped: true, ended: false };
    // Corrupt data fails the same way whatever the flush; but a stream cut where other bytes follow (the next
    // block of a file of fixed-size blocks, each starting a stream) decodes up to the cut.
    if (isDataError(finishError))
      return (
        cutResult(input, (b) => inflate(b, { ...options, finishFlush: zlib.constants.Z_SYNC_FLUSH }), stored) ??
        failed(input.length, finishError)
      );
    // Cut short (by the trial window, or a stream flushed and never closed): decode what there is.
    try {
      const out = withoutStacks(() => inflate(input, { ...options, finishFlush: zlib.constants.Z_SYNC_FLUSH }));
      return {
        ok: out.length > 0,
        input: input.length,
        output: out.length,
        capped: false,
        ended: false,
        storedStart: stored,
      };
    } catch (syncError) {
      if (isCapped(syncError))
        return { ok: true, input: input.length, output: MAX_OUTPUT_BYTES, capped: true, ended: false };
      return failed(input.length, syncError);
    }
  }
}

/** Shortest start of a stream that must decode without error before the error after it is taken for a cut. */
const MIN_CUT_INPUT = 256;

/**
 * The longest start of the input (256, 512, ... bytes) that decodes without error (`decodeStart` runs out of input
 * without complaint), when the whole failed: a stream cut short and followed by other data (the next block of a
 * file of fixed-size blocks, each starting a stream). Random bytes fail within their first 256 bytes, so they pay
 * one more short decode; the caller's test of the output against the input still decides.
 */
export function decodedBeforeCut(
  input: Uint8Array,
  decodeStart: (start: Uint8Array) => Buffer,
): { input: number; output: Buffer | 'capped' } | undefined {
  let best: { input: number; output: Buffer | 'capped' } | undefined;
  for (let n = MIN_CUT_INPUT; n < input.length; n *= 2) {
    try {
      best = { input: n, output: withoutStacks(() => decodeStart(input.subarray(0, n))) };
    } catch (error) {
      if (isCapped(error)) return { input: n, output: 'capped' };
      break;
    }
  }
  return best;
}

/** decodedBeforeCut as a trial's result. */
function cutResult(input: Uint8Array, decodeStart: (start: Uint8Array) => Buffer, storedStart = false) {
  const cut = decodedBeforeCut(input, decodeStart);
  if (!cut) return undefined;
  if (cut.output === 'capped')
    return { ok: true, input: cut.input, output: MAX_OUTPUT_BYTES, capped: true, ended: false } satisfies TrialResult;
  return {
    ok: cut.output.length > 0,
    input: cut.input,
    output: cut.output.length,
    capped: false,
    ended: false,
    storedStart,
  } satisfies TrialResult;
}

/** Brotli's decoder options for the start of a stream (running out of input is no error). */
export const BROTLI_START = { maxOutputLength: MAX_OUTPUT_BYTES, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };

/**
 * Headerless DEFLATE is believed only on strong evidence, since no magic
 * vouches for it: the decoded input yields at least 0.9 bytes per byte (real
 * streams expand; a chance decode of random bytes stops early), and at least
 * 32 bytes were decoded to a closed end, or 128 bytes without error.
 */
export function isRawDeflate(t: TrialResult): boolean {
  // A stored block is no evidence of compression unless it ends with the file: 1 random start in about 260,000
  // passes its LEN/NLEN check and then copies ciphertext through, and a real stream starts with one only when its
  // data is incompressible.
  if (!t.ok || t.storedStart) return false;
  if (t.capped) return true;
  if (t.output >= 0.9 * t.input && t.input >= (t.ended ? 32 : 128)) return true;
  return t.ended && t.consumed !== undefined && compressedRecord(t.consumed, t.output);
}

/** The data length of a raw DEFLATE stream's first block when it is stored (RFC 1951 §3.2.4: LEN and its complement), else 0. */
function storedBlockFirst(b: Uint8Array): number {
  if (b.length < 5 || ((b[0]! >> 1) & 3) !== 0) return 0;
  const len = b[1]! | (b[2]! << 8);
  return (len ^ (b[3]! | (b[4]! << 8))) === 0xffff ? len : 0;
}

/**
 * A raw DEFLATE stream that ended before the bytes did (the next record of a file of compressed records) is
 * believed when it took 128 bytes or more and gave at least 1.1 bytes a byte: of 600,000 random 2 KiB buffers
 * none did (the longest random stream that ended and expanded took 63 bytes; a stored block, which random bytes
 * make once in about 500,000 starts, never expands).
 */
function compressedRecord(consumed: number, output: number): boolean {
  return consumed >= 128 && output >= 1.1 * consumed;
}

function isDataError(error: unknown): boolean {
  return (error as { code?: string })?.code === 'Z_DATA_ERROR';
}

function isCapped(error: unknown): boolean {
  return (error as { code?: string })?.code === 'ERR_BUFFER_TOO_LARGE';
}

function failed(input: number, error: unknown): TrialResult {
  return {
    ok: false,
    input,
    output: 0,
    capped: false,
    ended: false,
    error: typeof error === 'string' ? error : error instanceof Error ? error.message : String(error),
  };
}

/**
 * Decodes the start of `bytes` as a Brotli stream (no magic of its own: `.br`
 * files, HTTP caches). `complete` says the bytes are the whole file: then the
 * stream must also end.
 */
export function trialBrotli(bytes: Uint8Array, complete: boolean): TrialResult {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, TRIAL_INPUT_BYTES));
  const whole = complete && input.length === bytes.length;
  const options = whole
    ? { maxOutputLength: MAX_OUTPUT_BYTES }
    : { maxOutputLength: MAX_OUTPUT_BYTES, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };
  try {
    const out = withoutStacks(() => zlib.brotliDecompressSync(input, options));
    return { ok: true, input: input.length, output: out.length, capped: false, ended: whole };
  } catch (error) {
    if (isCapped(error)) return { ok: true, input: input.length, output: MAX_OUTPUT_BYTES, capped: true, ended: false };
    return cutResult(input, (b) => zlib.brotliDecompressSync(b, BROTLI_START)) ?? failed(input.length, error);
  }
}

/**
 * A Brotli stream is believed only when it decodes to clearly more than it
 * read (at least 1.2 bytes per byte from at least 64 bytes): random bytes
 * often decode as Brotli's uncompressed meta-blocks, which copy their input
 * (about 4% of random buffers decode without error at 1:1), but none of
 * 100,000 random buffers of 64 B to 20 KiB reached 1.2.
 */
export function isBrotli(t: TrialResult): boolean {
  return t.ok && (t.capped || (t.input >= 64 && t.output >= 1.2 * t.input));
}

/** LZMA input tried: the first KiB bounds the output (LZMA expands at most a few thousand times). */
export const TRIAL_LZMA_BYTES = 1024;

/**
 * Decodes the first KiB of an LZMA-alone stream (13-byte header, then the
 * range-coded data). Running out of input is fine (the window cut it), and
 * so are bytes after the end marker; a decoding error (a distance beyond the
 * output, a bad symbol) is not.
 */
export function trialLzma(bytes: Uint8Array, complete: boolean): TrialResult {
  const whole = complete && bytes.length <= TRIAL_LZMA_BYTES;
  const input = bytes.subarray(0, whole ? bytes.length : TRIAL_LZMA_BYTES);
  try {
    const out = withoutStacks(() => napiLzma().lzma.decompressSync(input));
    return { ok: true, input: input.length, output: out.length, capped: false, ended: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The decoder's "io error" is running out of input; any other error is corrupt data.
    if (/^io error/i.test(message) && !whole)
      return { ok: true, input: input.length, output: 0, capped: false, ended: false };
    // The whole stream decoded up to its end marker and other bytes follow (xz's lzma
    // leaves appended junk there, as libarchive's test_compat_lzma_1.tlz has): a real stream.
    if (/end-of-stream marker but more bytes/i.test(message))
      return { ok: true, input: input.length, output: 0, capped: false, ended: true };
    return failed(input.length, error);
  }
}

/** LZMA properties byte 0x5D: lc=3, lp=0, pb=2, what xz, 7-Zip and liblzma use unless told otherwise. */
const USUAL_LZMA_PROPERTIES = 0x5d;
const TRIAL_DICTIONARY = 8 * 1024 * 1024;

/** An LZMA-alone header (lzma-file-format.txt §1.1) in front of headerless data: properties, dictionary, size. */
function behindAloneHeader(properties: number, size: number | undefined, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(13 + data.length);
  const view = new DataView(out.buffer);
  out[0] = properties;
  view.setUint32(1, TRIAL_DICTIONARY, true);
  if (size === undefined) out.fill(0xff, 5, 13);
  else view.setUint32(5, size, true);
  out.set(data, 13);
  return out;
}

export interface RawLzmaTrial {
  kind: 'lzma' | 'lzma2';
  properties: number;
  trial: TrialResult;
}

/**
 * A headerless LZMA stream: raw LZMA1 (what Python's FORMAT_RAW and apps embedding the LZMA SDK write; the
 * range coder's first byte is always 0) with the usual properties, or raw LZMA2 (xz's inner format, 7-Zip's
 * default coder) whose first chunk resets the dictionary and states its sizes and properties (control byte
 * 0xE0–0xFF, sizes, properties byte, then LZMA data starting with 0). Decoded as LZMA-alone behind a made
 * header, and believed when the whole stream decodes or the first KiB decodes without a data error: random
 * bytes given the same start fail within a few hundred bytes (0 of 2,000 reached 1 KiB).
 */
/**
 * Range-coded data is dense from its first bytes (64 random bytes take about 56 distinct values): a run of zeros
 * decodes as LZMA for as long as it lasts, so a zero-filled header before random bytes must not pass for a stream.
 */
function denseFrom(b: Uint8Array, at: number): boolean {
  return new Set(b.subarray(at, at + 64)).size >= 32;
}

export function trialRawLzma(head: Uint8Array, complete: boolean): RawLzmaTrial | undefined {
  let kind: RawLzmaTrial['kind'];
  let properties = USUAL_LZMA_PROPERTIES;
  let size: number | undefined;
  let data = head;
  let whole = complete;
  if (head[0] === 0) {
    if (!denseFrom(head, 1)) return undefined;
    kind = 'lzma';
  } else if (head[0] !== undefined && head[0] >= 0xe0 && head.length > 7) {
    kind = 'lzma2';
    size = ((head[0] & 0x1f) << 16) + ((head[1]! << 8) | head[2]!) + 1;
    const packed = ((head[3]! << 8) | head[4]!) + 1;
    properties = head[5]!;
    const lc = properties % 9;
    const lp = Math.floor(properties / 9) % 5;
    if (properties >= 225 || lc + lp > 4 || head[6] !== 0 || !denseFrom(head, 7)) return undefined;
    // The first chunk alone: later chunks have headers of their own.
    whole = 6 + packed <= head.length;
    data = head.subarray(6, 6 + packed);
  } else return undefined;
  const trial = trialLzma(behindAloneHeader(properties, size, data), whole);
  const believed = trial.ok && (trial.ended || trial.input >= TRIAL_LZMA_BYTES);
  return believed ? { kind, properties, trial } : undefined;
}

/** How far into a file a compressed stream behind a header is looked for: a magic, fields and a length or two. */
export const EMBEDDED_STREAM_SEARCH_BYTES = 512;
/** Bytes decoded without error that tell a stream cut by the trial window from a chance start in random bytes. */
const UNENDED_STREAM_BYTES = 1024;

export interface EmbeddedStream {
  /** Where the zlib header stands. */
  offset: number;
  trial: TrialResult;
}

/**
 * A zlib stream that starts within the first bytes and decodes: what stands behind the header of a format
 * whose body is compressed (a Git pack's first object, a Flash movie, many apps' records), whose bytes look
 * uniformly random and so like ciphertext. Believed when the stream ends within the bytes tried (zlib then
 * checked its Adler-32: 1 chance in 2^32 for random bytes), or decodes 1 KiB or more without error in a first
 * block that is not stored (random bytes pass a stored block's length check 1 time in 65,536 and then copy).
 */
export function zlibStreamNearStart(head: Uint8Array, from = 2): EmbeddedStream | undefined {
  const end = Math.min(EMBEDDED_STREAM_SEARCH_BYTES, head.length - 2);
  for (let at = from; at < end; at++) {
    const cmf = head[at]!;
    const flg = head[at + 1]!;
    // RFC 1950: method 8, a window of at most 32 KiB, the check bits, no preset dictionary.
    if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || flg & 0x20) continue;
    const trial = trialInflate(head.subarray(at), 'zlib', false);
    if (!trial.ok) continue;
    const stored = ((head[at + 2] ?? 0) & 0x06) === 0;
    if (trial.capped || trial.ended || (!stored && trial.input >= UNENDED_STREAM_BYTES)) return { offset: at, trial };
  }
  return undefined;
}
