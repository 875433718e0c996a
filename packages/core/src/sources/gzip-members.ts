/**
 * GZIP read as gzip(1) reads it (RFC 1952 §2.2: a file is members one after another): each member's header is
 * parsed here, its DEFLATE data inflated by node:zlib (raw), its CRC-32 and size checked against its trailer.
 * What follows the last member and is not a member (no `1f 8b`) is trailing bytes: gzip(1) decompresses the
 * members, warns "decompression OK, trailing garbage ignored" and exits 2; bytes that are all zeros (tar's
 * padding) it ignores without a word. Node's gunzip instead reads trailing bytes that do not start with a zero
 * as a next member and fails ("incorrect header check"), losing the member's bytes. Here the members are read
 * and the trailing bytes (offset, length) handed to `onTrailing`, unless all zero. Output is yielded after each
 * step of at most FEED_BYTES of input, so a step's memory is bounded by what DEFLATE can expand that to (1032:1).
 */
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/** Compressed bytes given to zlib per step (a step holds what DEFLATE expands them to: at most 33 MB). */
const FEED_BYTES = 32 * 1024;
/** A header's FNAME or FCOMMENT longer than this is refused: gzip(1) writes a file name, not megabytes. */
const MAX_HEADER_BYTES = 1024 * 1024;

/** Bytes after the last member that are no member, where they start in the compressed stream. */
export interface GzipTrailing {
  offset: number;
  length: number;
}

/** zlib-like errors, so callers that name zlib's codes (pipeline/process-entry.ts) say the same. */
function zerror(message: string, code: 'Z_BUF_ERROR' | 'Z_DATA_ERROR'): Error {
  return Object.assign(new Error(message), { code, errno: code === 'Z_BUF_ERROR' ? -5 : -3 });
}

/** The compressed side: chunks of a Readable with bytes put back, and the offset of the next byte. */
class Input {
  private pending: Buffer[] = [];
  private done = false;
  private readonly it: AsyncIterator<unknown>;
  offset = 0;

  constructor(source: Readable) {
    this.it = source[Symbol.asyncIterator]();
  }

  private buffered(): number {
    return this.pending.reduce((n, b) => n + b.length, 0);
  }

  /** At least `n` bytes buffered, unless the stream ends first; the buffered bytes, joined. */
  async peek(n: number): Promise<Buffer> {
    while (this.buffered() < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else this.pending.push(r.value as Buffer);
    }
    // Joined only when the first piece is too short (a header across two chunks), not on every step.
    if (this.pending.length > 1 && this.pending[0]!.length < n) this.pending = [Buffer.concat(this.pending)];
    return this.pending[0] ?? Buffer.alloc(0);
  }

  skip(n: number): void {
    this.offset += n;
    while (n > 0 && this.pending.length) {
      const first = this.pending[0]!;
      if (first.length > n) {
        this.pending[0] = first.subarray(n);
        return;
      }
      this.pending.shift();
      n -= first.length;
    }
  }

  /** Up to `max` bytes, or undefined at the end. */
  async next(max: number): Promise<Buffer | undefined> {
    const b = await this.peek(1);
    if (b.length === 0) return undefined;
    const take = b.subarray(0, max);
    this.skip(take.length);
    return take;
  }

  unread(b: Buffer): void {
    if (b.length === 0) return;
    this.pending.unshift(b);
    this.offset -= b.length;
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/** How many bytes a member header in `h` takes (RFC 1952 §2.3.1), or -1 when `h` holds less than all of it. */
function headerLength(h: Buffer): number {
  if (h.length < 10) return -1;
  const flg = h[3]!;
  if (flg & 0xe0) throw zerror('unknown header flags set', 'Z_DATA_ERROR');
  let at = 10;
  if (flg & 4) {
    if (h.length < at + 2) return -1;
    at += 2 + h.readUInt16LE(at);
  }
  for (const bit of [8, 16]) {
    if (!(flg & bit)) continue;
    const end = h.indexOf(0, at);
    if (end < 0) {
      if (h.length - at > MAX_HEADER_BYTES) throw zerror('a header field longer than 1 MiB', 'Z_DATA_ERROR');
      return -1;
    }
    at = end + 1;
  }
  if (flg & 2) at += 2;
  return h.length >= at ? at : -1;
}

/** The member's DEFLATE data inflated; what follows its end is put back into `input`. */
async function* inflateMember(input: Input, sums: { crc: number; size: number }): AsyncGenerator<Buffer> {
  // Z_SYNC_FLUSH at the end: data that ends early gives what it inflated; the missing trailer then says so.
  const inf = zlib.createInflateRaw({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const out: Buffer[] = [];
  let failure: Error | undefined;
  inf.on('data', (b: Buffer) => out.push(b));
  // zlib never calls a write's callback once it failed: each write is raced against the failure.
  const failed = new Promise<void>((resolve) =>
    inf.on('error', (e: Error) => {
      failure = e;
      resolve();
    }),
  );
  const ended = once(inf, 'end').catch(() => undefined);
  let fed = 0;
  const drain = function* () {
    for (let b = out.shift(); b; b = out.shift()) {
      sums.crc = zlib.crc32(b, sums.crc);
      sums.size += b.length;
      yield b;
    }
  };
  try {
    for (;;) {
      const chunk = await input.next(FEED_BYTES);
      if (!chunk) {
        inf.end();
        await Promise.race([ended, failed]);
        break;
      }
      fed += chunk.length;
      await Promise.race([new Promise<void>((resolve) => inf.write(chunk, () => resolve())), failed]);
      yield* drain();
      if (failure) break;
      // zlib took less than it was given: the DEFLATE data ended inside this chunk.
      const left = fed - inf.bytesWritten;
      if (left > 0) {
        input.unread(chunk.subarray(chunk.length - left));
        inf.end();
        await Promise.race([ended, failed]);
        break;
      }
    }
    yield* drain();
    if (failure) throw failure;
  } finally {
    inf.destroy();
  }
}

/**
 * The expansion of a GZIP file's members, one after another. `onTrailing` hears of bytes after the last member
 * that are not a member and not all zeros.
 */
export async function* gunzipMembers(source: Readable, onTrailing?: (t: GzipTrailing) => void): AsyncGenerator<Buffer> {
  const input = new Input(source);
  try {
    for (let members = 0; ; members++) {
      const head = await input.peek(10);
      if (head.length === 0 && members > 0) return;
      if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) {
        if (members === 0)
          throw zerror(
            head.length < 2 ? 'unexpected end of file' : 'incorrect header check',
            head.length < 2 ? 'Z_BUF_ERROR' : 'Z_DATA_ERROR',
          );
        const offset = input.offset;
        let length = 0;
        let zeros = true;
        for (let b = await input.next(1024 * 1024); b; b = await input.next(1024 * 1024)) {
          length += b.length;
          zeros &&= !b.some((x) => x !== 0);
        }
        if (!zeros) onTrailing?.({ offset, length });
        return;
      }
      if (head.length < 10) throw zerror('unexpected end of file', 'Z_BUF_ERROR');
      if (head[2] !== 8) throw zerror('unknown compression method', 'Z_DATA_ERROR');
      let n = headerLength(head);
      for (let want = head.length + 4096; n < 0; want += 64 * 1024) {
        const more = await input.peek(want);
        n = headerLength(more);
        if (n < 0 && more.length < want) throw zerror('unexpected end of file', 'Z_BUF_ERROR');
      }
      input.skip(n);
      const sums = { crc: 0, size: 0 };
      yield* inflateMember(input, sums);
      const trailer = await input.peek(8);
      if (trailer.length < 8) throw zerror('unexpected end of file', 'Z_BUF_ERROR');
      if (trailer.readUInt32LE(0) !== sums.crc >>> 0) throw zerror('incorrect data check', 'Z_DATA_ERROR');
      if (trailer.readUInt32LE(4) !== sums.size % 2 ** 32) throw zerror('incorrect length check', 'Z_DATA_ERROR');
      input.skip(8);
    }
  } finally {
    await input.close();
  }
}
