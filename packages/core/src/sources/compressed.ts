/**
 * Decompressing readers for the single-stream compressors a source may hold:
 * GZIP (node's zlib), xz (xz-decompress: xz-embedded built to WebAssembly),
 * Zstandard (fzstd, pure JavaScript, on a supervised thread: zstd-decoder.ts),
 * bzip2 (bzip2.ts, one block per step), LZMA-alone and lzip (lzma.ts, 64 KiB
 * of output per step) LZ4 frames, legacy frames and Firefox's mozLz4 (lz4.ts) and compress(1)'s LZW (lzw.ts), 64 KiB of output per step, and lzop (lzo.ts, a block of at most 64 MiB at a time).
 * Node 20's zlib has no xz, zstd or bzip2. Each
 * reader is a Readable that pulls compressed bytes only when its consumer asks
 * for more, and does a bounded amount of work per step: xz hands out at most one
 * 64 KiB output buffer per step; zstd's thread is fed 1 KiB at a time and
 * replies once a step's output passes 4 MiB, so a bomb of zeros (~32000:1)
 * yields at most a few MiB before the consumer's ratio guard sees it. Damage surfaces as an error after the bytes
 * before it, with "unexpected end" in the message when the stream is cut short
 * (the callers' truncation test). References: RFC 8878 (zstd frames);
 * tukaani.org xz-file-format-1.2.1 (xz streams, concatenation).
 */
import { Readable } from 'node:stream';
import { xzModule } from '../lazy-require.js';
import { unbzip2 } from './bzip2.js';
import { lz4At, unlz4 } from './lz4.js';
import { lzopAt, unlzop } from './lzo.js';
import { lzwAt, unlzw } from './lzw.js';
import { unlzip, unlzmaAlone, unzipLzma } from './lzma.js';
import { gunzipMembers, type GzipTrailing } from './gzip-members.js';
import { zstdInWorker } from './zstd-decoder.js';

/** The stream compressors read here. */
export type StreamCodec = 'gzip' | 'xz' | 'zstd' | 'bzip2' | 'lzma' | 'lzip' | 'lz4' | 'compress' | 'lzop';

/** How many bytes of a file's start `codecOf` wants (a zstd frame behind pzstd's 12-byte skippable frame). */
export const CODEC_HEAD_BYTES = 64;

/** Whether a zstd frame starts at `at`, or after skippable frames that all end within `head` (RFC 8878 §3.1.2). */
function zstdAt(head: Buffer, at: number): boolean {
  while (at + 4 <= head.length) {
    const magic = head.readUInt32LE(at);
    if (magic === 0xfd2fb528) return true;
    // pzstd (Debian's zstd package) starts its output with one, holding the next frame's size.
    if ((magic & 0xfffffff0) !== 0x184d2a50 || at + 8 > head.length) return false;
    at += 8 + head.readUInt32LE(at + 4);
  }
  return false;
}

/**
 * The codec whose magic `head` (the first CODEC_HEAD_BYTES of a file, or fewer) starts with. LZMA-alone has
 * none (13 bytes of plausible numbers): it is opened only where a detector confirmed it by decoding
 * (`codecFor`), or by its name for a source.
 */
export function codecOf(head: Buffer): StreamCodec | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (zstdAt(head, 0)) return 'zstd';
  // "BZh1"-"BZh9", then the first block's magic (or, for an empty stream, the end-of-stream magic).
  if (head.length >= 10 && head.toString('latin1', 0, 3) === 'BZh' && head[3]! >= 0x31 && head[3]! <= 0x39) {
    const next = head.subarray(4, 10).toString('hex');
    if (next === '314159265359' || next === '177245385090') return 'bzip2';
  }
  if (head.length >= 5 && head.toString('latin1', 0, 4) === 'LZIP' && head[4] === 1) return 'lzip';
  // An LZ4 frame (version 01), a legacy frame or Firefox's mozLz4 (lz4.ts).
  if (lz4At(head)) return 'lz4';
  // compress(1): 1F 9D and a flags byte of width 9-16 with no reserved bit (lzw.ts).
  if (lzwAt(head)) return 'compress';
  if (lzopAt(head)) return 'lzop';
  return undefined;
}

/** The codec of a stream a detector named `format` (LZMA-alone has no magic: the detector decoded its start). */
export function codecFor(head: Buffer, format: string | undefined): StreamCodec | undefined {
  const codec = codecOf(head);
  if (codec) return codec;
  if (format === 'lzma') return 'lzma';
  // LZ4 frames behind skippable frames (the detector walked them to the frame's magic).
  if (format === 'lz4' && head.length >= 4 && (head.readUInt32LE(0) & 0xfffffff0) === 0x184d2a50) return 'lz4';
  return undefined;
}

/** How a codec is named in messages. */
export const CODEC_NAMES: Record<StreamCodec, string> = {
  gzip: 'GZIP',
  xz: 'xz',
  zstd: 'Zstandard',
  bzip2: 'bzip2',
  lzma: 'LZMA',
  lzip: 'lzip',
  lz4: 'LZ4',
  compress: 'compress (.Z)',
  lzop: 'lzop',
};

/** The command that reads what this codec's decoder here cannot (said in ARCHIVE_UNSUPPORTED messages). */
export const CODEC_TOOLS: Record<StreamCodec, string> = {
  gzip: 'gzip -d',
  xz: 'xz -d',
  zstd: 'zstd -d',
  bzip2: 'bzip2 -d',
  lzma: 'xz --format=lzma -d',
  lzip: 'lzip -d',
  lz4: 'lz4 -d',
  compress: 'uncompress',
  lzop: 'lzop -d',
};

/**
 * A reader of `codec`'s expansion of `source`; what a damaged stream decoded before the damage comes out before the
 * error (every codec). GZIP: members one after another, as gzip(1) reads them (gzip-members.ts). `onTrailing`
 * hears of bytes after the last GZIP member or bzip2 stream that are not one, which those tools ignore with a
 * warning (the others: docs/sources.md, "Concatenated streams and bytes after the last one").
 */
export function decompress(codec: StreamCodec, source: Readable, onTrailing?: (t: GzipTrailing) => void): Readable {
  if (codec === 'gzip') return generated(source, gunzipMembers(source, onTrailing));
  return generated(source, decoderOf(codec, source, onTrailing));
}

function decoderOf(
  codec: Exclude<StreamCodec, 'gzip'>,
  source: Readable,
  onTrailing?: (t: GzipTrailing) => void,
): AsyncGenerator<Buffer> {
  if (codec === 'xz') return unxz(source);
  if (codec === 'bzip2') return unbzip2(source, onTrailing);
  if (codec === 'zstd') return unzstd(source);
  if (codec === 'lz4') return named(CODEC_NAMES[codec], unlz4(source, onTrailing));
  if (codec === 'compress') return named(CODEC_NAMES[codec], unlzw(source));
  if (codec === 'lzop') return named(CODEC_NAMES[codec], unlzop(source));
  return named(CODEC_NAMES[codec], codec === 'lzma' ? unlzmaAlone(source, onTrailing) : unlzip(source, onTrailing));
}

/**
 * A ZIP member compressed with LZMA (method 14) of `size` bytes; `marker`: its general-purpose bit 1 (an
 * end marker follows the data).
 */
export function decompressZipLzma(source: Readable, size: number, marker: boolean): Readable {
  return generated(source, named('LZMA', unzipLzma(source, size, marker)));
}

/** Errors of a decoder, named after it. */
async function* named(name: string, decoder: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* decoder;
  } catch (err) {
    throw codecError(name, err, isUnsupported(err));
  }
}

/** A Readable over a decoder's output that stops the compressed side when its consumer stops early. */
function generated(source: Readable, decoder: AsyncGenerator<Buffer>): Readable {
  const out = Readable.from(decoder, { objectMode: false });
  // The consumer stopped early: the compressed side has nothing more to do.
  out.once('close', () => source.destroy());
  // As piped() does for zlib: a decoder error nobody listens for yet stays on the stream (nextChunk reads it), not the process.
  out.on('error', () => undefined);
  return out;
}

/** The largest window a frame may ask for: zstd's own default decoding limit (ZSTD_WINDOWLOG_LIMIT_DEFAULT, 2^27). */
const ZSTD_MAX_WINDOW = 128 * 1024 * 1024;

/**
 * Follows the frames of a zstd stream as its bytes pass (RFC 8878 §3.1.1: frame header, 3-byte block
 * headers, optional checksum; §3.1.2 skippable frames) to refuse a frame whose window is past
 * ZSTD_MAX_WINDOW before fzstd allocates it (fzstd takes up to 2 GiB on the header's word).
 */
class ZstdFrames {
  private state: 'magic' | 'descriptor' | 'header' | 'block' | 'checksum' | 'skippable' | 'off' = 'magic';
  private want = 4;
  private head: Buffer = Buffer.alloc(0);
  private skip = 0;
  private descriptor = 0;

  feed(c: Uint8Array): void {
    let at = 0;
    while (at < c.length && this.state !== 'off') {
      if (this.skip > 0) {
        const n = Math.min(this.skip, c.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      const n = Math.min(this.want - this.head.length, c.length - at);
      this.head = Buffer.concat([this.head, c.subarray(at, at + n)]);
      at += n;
      if (this.head.length < this.want) return;
      const h = this.head;
      this.head = Buffer.alloc(0);
      this.step(h);
    }
  }

  private next(state: ZstdFrames['state'], want: number): void {
    this.state = state;
    this.want = want;
  }

  private step(h: Buffer): void {
    switch (this.state) {
      case 'magic': {
        const m = h.readUInt32LE(0);
        if (m === 0xfd2fb528) return this.next('descriptor', 1);
        if ((m & 0xfffffff0) === 0x184d2a50) return this.next('skippable', 4);
        return this.next('off', 0); // not a frame: fzstd says so
      }
      case 'skippable':
        this.skip = h.readUInt32LE(0);
        return this.next('magic', 4);
      case 'descriptor': {
        this.descriptor = h[0]!;
        const single = (h[0]! >> 5) & 1;
        const fcs = [single, 2, 4, 8][h[0]! >> 6]!;
        const dict = [0, 1, 2, 4][h[0]! & 3]!;
        const rest = (single ? 0 : 1) + dict + fcs;
        if (rest === 0) return this.next('block', 3);
        return this.next('header', rest);
      }
      case 'header': {
        const d = this.descriptor;
        // RFC 8878 §3.1.1.1.3: a dictionary ID (after the window descriptor, when there is one). fzstd has no
        // dictionaries and calls such a frame invalid; it is valid, and unreadable without a file it does not hold.
        const dictBytes = [0, 1, 2, 4][d & 3]!;
        const dictId = dictBytes ? h.readUIntLE((d >> 5) & 1 ? 0 : 1, dictBytes) : 0;
        if (dictId !== 0)
          throw unsupported(
            new Error(
              `a frame compressed with a dictionary (ID ${dictId}) that is not in the stream; zstd -d -D <that dictionary> reads it`,
            ),
          );
        let window: number;
        if ((d >> 5) & 1) {
          const at = [0, 1, 2, 4][d & 3]!;
          const size = [1, 2, 4, 8][d >> 6]!;
          window = h.readUIntLE(at, Math.min(size, 6)) + (size === 2 ? 256 : 0);
          if (size === 8 && h.readUInt16LE(at + 6) !== 0) window = Number.MAX_SAFE_INTEGER;
        } else {
          const log = 10 + (h[0]! >> 3);
          window = 2 ** log + (2 ** log / 8) * (h[0]! & 7);
        }
        if (window > ZSTD_MAX_WINDOW)
          throw unsupported(
            new Error(
              `a frame that needs a ${window}-byte window, past the ${ZSTD_MAX_WINDOW} bytes zstd itself decodes by default (zstd --long=31 writes such frames; zstd -d --memory=2048MB reads them)`,
            ),
          );
        return this.next('block', 3);
      }
      case 'block': {
        const b = h[0]! | (h[1]! << 8) | (h[2]! << 16);
        const type = (b >> 1) & 3;
        if (type === 3) return this.next('off', 0); // reserved: fzstd says so
        this.skip = type === 1 ? 1 : b >>> 3;
        if (!(b & 1)) return this.next('block', 3);
        return (this.descriptor >> 2) & 1 ? this.next('checksum', 4) : this.next('magic', 4);
      }
      case 'checksum':
        return this.next('magic', 4);
      default:
        return undefined;
    }
  }
}

async function* unzstd(source: Readable): AsyncGenerator<Buffer> {
  const frames = new ZstdFrames();
  let seen = 0;
  try {
    yield* zstdInWorker(source as AsyncIterable<Buffer>, (bytes) => {
      seen += bytes.length;
      frames.feed(bytes);
    });
    // fzstd takes no input as an empty stream; `zstd -d` says "unexpected end of file", as the other codecs do.
    if (seen === 0) throw new Error('unexpected end of the stream (no frame at all)');
  } catch (err) {
    throw codecError('Zstandard', err, isUnsupported(err));
  }
}

/** xz-embedded's return codes (xz.h enum xz_ret) past XZ_STREAM_END, as words. */
const XZ_ERRORS: Record<string, string> = {
  '2': 'an unsupported check type',
  '3': 'out of memory',
  // xz-decompress allows a dictionary of at most 64 MiB (xz -9's; a larger one is xz --lzma2=dict=...).
  '4': 'a dictionary larger than the 64 MiB this decoder allows (xz -9 uses 64 MiB)',
  '5': 'not an xz stream (bad magic)',
  // xz-decompress's build has LZMA2 with CRC32/CRC64 only: a BCJ filter (xz --x86, 7-Zip's and WinZip's
  // executables), a delta filter (xz --delta) or a SHA-256 check (xz --check=sha256) ends here.
  '6': 'unsupported options (a BCJ filter, a delta filter or a SHA-256 check, which this decoder lacks)',
  '7': 'corrupt data',
  '8': 'unexpected end of the stream',
};
/** The xz codes that say a valid stream needs what this decoder lacks, not that it is damaged. */
const XZ_UNSUPPORTED = new Set(['2', '4', '6']);

/** Compressed bytes the xz decoder is given per call, at most. */
const XZ_FEED_BYTES = 64 * 1024;
/** A stream footer's last two bytes (xz-file-format-1.2.1 §2.1.2.4): a piece is cut after each "YZ". */
const XZ_FOOTER_MAGIC = Buffer.from('YZ', 'latin1');

async function* xzPieces(source: Readable): AsyncGenerator<Buffer> {
  for await (const chunk of source as AsyncIterable<Buffer>) {
    let at = 0;
    while (at < chunk.length) {
      const footer = chunk.indexOf(XZ_FOOTER_MAGIC, at);
      const end = Math.min(at + XZ_FEED_BYTES, footer < 0 ? chunk.length : footer + 2);
      yield chunk.subarray(at, end);
      at = end;
    }
  }
}

async function* unxz(source: Readable): AsyncGenerator<Buffer> {
  const { XzReadableStream } = xzModule();
  // In pieces, each ending at most at a stream's end: the decoder drops what a call decoded when that call fails,
  // so bytes after the last stream (no xz magic) would take the stream's output with them; xz -d writes it, then
  // fails ("Compressed data is corrupt"), and so does this.
  const pieces = Readable.from(xzPieces(source), { objectMode: false });
  let decoded = 0;
  const reader = new XzReadableStream(Readable.toWeb(pieces) as ReadableStream<Uint8Array>).getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      if (next.value.length) {
        decoded += next.value.length;
        yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.length);
      }
    }
    done = true;
  } catch (err) {
    done = true;
    const code = /error code (\d+)/.exec((err as Error).message)?.[1];
    // A stream that ends before its end: xz-decompress reads past the input's end (a null chunk).
    const word =
      code === '5' && decoded > 0
        ? 'the bytes after the last whole stream are not an xz stream (bad magic; xz -d writes the streams, then fails: "Compressed data is corrupt")'
        : ((code && XZ_ERRORS[code]) ??
          (err instanceof TypeError ? 'unexpected end of the stream' : (err as Error).message));
    throw codecError('xz', new Error(word), code !== undefined && XZ_UNSUPPORTED.has(code));
  } finally {
    // Left early: the decoder's context is freed (cancel) rather than kept until it is collected.
    if (!done) await reader.cancel().catch(() => undefined);
  }
}

/**
 * A decoder error that says the stream is valid but needs what this decoder lacks (a filter, a check, a
 * larger window or dictionary): readers record it as ARCHIVE_UNSUPPORTED, not as damage.
 */
function unsupported(err: Error): Error {
  return Object.assign(err, { unsupported: true });
}

/** Whether `err` came from `unsupported()`: a stream this decoder cannot read, not a damaged one. */
export function isUnsupported(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { unsupported?: unknown }).unsupported === true;
}

function codecError(name: string, err: unknown, notSupported = false): Error {
  const msg = err instanceof Error ? err.message : String(err);
  const e = new Error(`${name} decoder: ${msg}`);
  return notSupported ? unsupported(e) : e;
}
