/**
 * Byte readers for archive members: in-memory buffers, slices of another
 * reader (stored ZIP members, TAR members read in place), a block cache (so
 * yauzl's many small central-directory reads cost what the bytes cost) and an
 * inflating reader that serves `read(position, length)` over a compressed
 * stream without inflating it again for every call.
 */
import { Readable, type Transform } from 'node:stream';
import type { ByteReader } from './source.js';

/** The part of a reader that random access needs. */
export type RandomRead = Pick<ByteReader, 'size' | 'read'>;

/** A reader over a whole local file, which says which: another thread may open the same bytes itself. */
export type LocalFileRead = RandomRead & { readonly localFile: string | Buffer };

/** Marks `reader` as reading the whole of the local file `file`. */
export function withLocalFile<T extends RandomRead>(reader: T, file: string | Buffer): T & LocalFileRead {
  return Object.assign(reader, { localFile: file });
}

/** The local file a reader reads whole, if it says so. */
export function localFileOf(reader: RandomRead): string | Buffer | undefined {
  return (reader as Partial<LocalFileRead>).localFile;
}

/** A reader over bytes held in memory. */
export function bufferReader(bytes: Buffer, onClose?: () => void): ByteReader {
  return {
    size: bytes.length,
    read: async (position, length) =>
      bytes.subarray(Math.min(position, bytes.length), Math.min(bytes.length, position + Math.max(0, length))),
    close: async () => onClose?.(),
  };
}

/** A window `[offset, offset + size)` of another reader, read in place. */
export function sliceReader(
  base: RandomRead,
  offset: number,
  size: number,
  onClose?: () => Promise<void> | void,
): ByteReader {
  return {
    size,
    read: async (position, length) => {
      const len = Math.max(0, Math.min(length, size - position));
      if (len === 0) return Buffer.alloc(0);
      return readFully(base, offset + position, len);
    },
    close: async () => {
      await onClose?.();
    },
  };
}

/** Reads exactly `length` bytes unless the end comes first. */
export async function readFully(base: RandomRead, position: number, length: number): Promise<Buffer> {
  const first = await base.read(position, length);
  if (first.length >= length || first.length === 0) return first;
  const parts = [first];
  let got = first.length;
  while (got < length) {
    const more = await base.read(position + got, length - got);
    if (more.length === 0) break;
    parts.push(more);
    got += more.length;
  }
  return Buffer.concat(parts);
}

/**
 * A least-recently-used cache of fixed-size blocks over a reader. yauzl reads
 * each central-directory record with two small reads; through 1 MiB blocks a
 * 100,000-member directory costs a few dozen reads instead of 200,000.
 */
export class BlockCache implements RandomRead {
  readonly size: number;
  private readonly blocks = new Map<number, Promise<Buffer>>();

  constructor(
    private readonly base: RandomRead,
    private readonly blockSize = 1024 * 1024,
    private readonly maxBlocks = 8,
  ) {
    this.size = base.size;
  }

  private block(index: number): Promise<Buffer> {
    let b = this.blocks.get(index);
    if (b) {
      this.blocks.delete(index);
      this.blocks.set(index, b);
      return b;
    }
    const start = index * this.blockSize;
    b = readFully(this.base, start, Math.min(this.blockSize, this.size - start));
    b.catch(() => this.blocks.delete(index));
    this.blocks.set(index, b);
    while (this.blocks.size > this.maxBlocks) this.blocks.delete(this.blocks.keys().next().value as number);
    return b;
  }

  async read(position: number, length: number): Promise<Buffer> {
    const end = Math.min(this.size, position + length);
    if (end <= position) return Buffer.alloc(0);
    // Large reads (member data) bypass the cache so they do not evict the directory blocks.
    if (end - position > this.blockSize) return readFully(this.base, position, end - position);
    const first = Math.floor(position / this.blockSize);
    const last = Math.floor((end - 1) / this.blockSize);
    const parts: Buffer[] = [];
    for (let i = first; i <= last; i++) {
      const blk = await this.block(i);
      const bStart = i * this.blockSize;
      parts.push(blk.subarray(Math.max(0, position - bStart), Math.min(blk.length, end - bStart)));
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}

/**
 * A Node stream over `[start, end)` of a reader, in chunks. `counted` hears each chunk's length as it is pushed:
 * counting with a 'data' listener would switch the stream to flowing mode, and a chunk read from memory could
 * then be emitted before a decoder's async iterator is attached, and lost (an xz stream in a ZIP read as empty).
 */
export function readableFrom(
  base: RandomRead,
  start: number,
  end: number,
  chunk = 256 * 1024,
  counted?: (bytes: number) => void,
): Readable {
  let pos = start;
  return new Readable({
    highWaterMark: chunk,
    read() {
      if (pos >= end) {
        this.push(null);
        return;
      }
      const len = Math.min(chunk, end - pos);
      base.read(pos, len).then(
        (buf) => {
          if (buf.length === 0) {
            this.push(null);
            return;
          }
          pos += buf.length;
          counted?.(buf.length);
          this.push(buf);
        },
        (err) => this.destroy(err as Error),
      );
    },
  });
}

/**
 * `source` piped through `transform` (an inflater), with errors handled on
 * both: a damaged stream makes the inflater fail and the source is then
 * destroyed, so its pending reads (over a reader that may be closed by then)
 * cannot emit an unhandled 'error'; a failing source fails the inflater.
 * Consumers see the failure on the returned stream. `Readable.pipe` alone
 * would leave the source running. Wired by hand rather than through
 * `stream.pipeline`, which makes an AbortController and, when it finishes, an
 * AbortError with its stack for every member (a visible share of the main
 * thread on a tree of gzip files: docs/performance.md).
 */
export function piped(source: Readable, transform: Transform): Transform {
  source.on('error', (err: Error) => transform.destroy(err));
  source.once('close', () => {
    // Destroyed without an error before its end: the inflater would wait for input forever.
    if (!source.readableEnded && !transform.destroyed) transform.destroy(prematureClose());
  });
  // Like pipeline's own listener: an inflater error nobody listens for yet stays on the stream, not the process.
  transform.on('error', ignore);
  // The consumer stopped early, the inflater failed or ended: the source has nothing more to do.
  transform.once('close', () => source.destroy());
  source.pipe(transform);
  return transform;
}

function ignore(): void {}

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/** Windows of a member kept across opens: the probe's head, samples and tail, or the whole member when small. */
export interface WindowCache {
  whole?: Buffer;
  windows: Array<{ offset: number; bytes: Buffer }>;
}

/**
 * Memory that whole inflated members may hold together (one pool per
 * archive). A member is kept whole only while the pool has room, so a window
 * of large members cannot multiply the memory bound.
 */
export class WholePool {
  used = 0;
  constructor(readonly limit: number) {}
  tryTake(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }
  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
  /** Drops what a member's cache holds (the pipeline is done with the entry). */
  drop(cache: WindowCache): void {
    if (cache.whole) this.give(cache.whole.length);
    delete cache.whole;
    cache.windows = [];
  }
}

export interface InflatingReaderOptions {
  /** Declared size of the inflated bytes; reads never go past it (a member that inflates further is cut there). */
  size: number;
  /** A fresh inflated stream from the first byte. */
  open: () => Readable;
  /** Shared by every open of the same member. */
  cache: WindowCache;
  /** Windows to keep while bytes stream past (the probe plan). */
  keep: ReadonlyArray<{ offset: number; length: number }>;
  /** Members up to this size are inflated whole once and kept in `cache.whole` (while the pool has room). */
  wholeLimit: number;
  pool: WholePool;
  /** Inflates the whole member in one call (cheaper than a stream for small members); failures fall back to the stream. */
  inflateWhole?: () => Promise<Buffer>;
}

/**
 * Random reads over a compressed stream. Reads move forward through one
 * inflating stream; a read behind the current position restarts it. While
 * bytes stream past, the windows named in `keep` (head, samples, tail) are
 * copied into the member's cache, so a probe (head, then tail, then samples)
 * costs one pass and later opens find them without inflating at all.
 */
export class InflatingReader implements ByteReader {
  readonly size: number;
  private stream: Readable | undefined;
  /** Position of the first byte of `pending` in the inflated stream. */
  private pos = 0;
  private pending: Buffer = Buffer.alloc(0);
  private ended = false;

  constructor(private readonly opts: InflatingReaderOptions) {
    this.size = opts.size;
  }

  async read(position: number, length: number): Promise<Buffer> {
    const len = Math.max(0, Math.min(length, this.size - position));
    if (len === 0) return Buffer.alloc(0);
    const { cache } = this.opts;
    if (cache.whole) return cache.whole.subarray(position, position + len);
    for (const w of cache.windows) {
      if (position >= w.offset && position + len <= w.offset + w.bytes.length)
        return w.bytes.subarray(position - w.offset, position - w.offset + len);
    }
    if (this.size <= this.opts.wholeLimit && this.opts.pool.tryTake(this.size)) {
      let whole: Buffer | undefined;
      try {
        if (this.opts.inflateWhole) {
          try {
            whole = await this.opts.inflateWhole();
          } catch {
            // Damaged or longer than declared: the stream reads what it can.
          }
        }
        whole ??= await this.readRange(0, this.size);
      } catch (err) {
        this.opts.pool.give(this.size);
        throw err;
      }
      this.opts.pool.give(this.size - whole.length);
      cache.whole = whole;
      return whole.subarray(position, position + len);
    }
    return this.readRange(position, len);
  }

  /** The whole member, when it is kept in memory. */
  get kept(): Buffer | undefined {
    return this.opts.cache.whole;
  }

  private restart(): void {
    this.stream?.destroy();
    this.stream = this.opts.open();
    // An error between two reads stays on the stream (nextChunk reports it), not on the process.
    this.stream.on('error', ignore);
    this.pos = 0;
    this.pending = Buffer.alloc(0);
    this.ended = false;
  }

  /** Keeps the parts of a chunk that fall in a wanted window. */
  private capture(chunk: Buffer, at: number): void {
    const { cache, keep } = this.opts;
    for (const k of keep) {
      const s = Math.max(k.offset, at);
      const e = Math.min(k.offset + k.length, at + chunk.length, this.size);
      if (e <= s) continue;
      let w = cache.windows.find((x) => x.offset === k.offset);
      if (!w) {
        w = { offset: k.offset, bytes: Buffer.alloc(0) };
        cache.windows.push(w);
      }
      // Windows fill front to back as the stream passes them.
      if (w.offset + w.bytes.length === s) w.bytes = Buffer.concat([w.bytes, chunk.subarray(s - at, e - at)]);
    }
  }

  /** Moves past `pending` to the next chunk; false at the end of the stream or of the declared size. */
  private async pull(): Promise<boolean> {
    this.pos += this.pending.length;
    this.pending = Buffer.alloc(0);
    if (this.ended || !this.stream) return false;
    const next = await nextChunk(this.stream);
    if (next === null) {
      this.ended = true;
      return false;
    }
    if (this.pos >= this.size) {
      // Past the declared size: stop here (a member that claims less than it inflates to).
      this.ended = true;
      this.stream?.destroy();
      return false;
    }
    this.capture(next, this.pos);
    this.pending = next;
    return true;
  }

  private async readRange(position: number, len: number): Promise<Buffer> {
    if (!this.stream || position < this.pos) this.restart();
    // Skip forward, keeping windows on the way.
    while (this.pos + this.pending.length <= position) {
      if (!(await this.pull())) return Buffer.alloc(0);
    }
    const parts: Buffer[] = [];
    let got = 0;
    let from = position - this.pos;
    while (got < len) {
      const take = this.pending.subarray(from, from + (len - got));
      if (take.length > 0) {
        parts.push(take);
        got += take.length;
      }
      if (got >= len) {
        // Keep the rest of this chunk for the next read.
        const consumed = from + take.length;
        this.pos += consumed;
        this.pending = this.pending.subarray(consumed);
        break;
      }
      from = 0;
      if (!(await this.pull())) break;
    }
    return parts.length === 1 ? Buffer.from(parts[0]!) : Buffer.concat(parts, got);
  }

  async close(): Promise<void> {
    this.stream?.destroy();
    this.stream = undefined;
  }
}

/**
 * The next chunk of a paused stream, null at its end; rejects with the stream's error, or a premature close
 * when it was destroyed before its end (what its async iterator does). Not the async iterator itself: its
 * end-of-stream watcher makes an Error with a stack for every stream destroyed before its end, and its
 * cleanup another, two per archive member whose probe did not need all of it (docs/performance.md).
 */
export function nextChunk(stream: Readable): Promise<Buffer | null> {
  const now = settled(stream);
  if (now) return now;
  return new Promise((resolve, reject) => {
    const done = (): void => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onEnd);
      stream.off('close', onEnd);
    };
    const onReadable = (): void => {
      const next = settled(stream);
      if (next) {
        done();
        next.then(resolve, reject);
      }
    };
    const onEnd = (): void => {
      done();
      (settled(stream) ?? Promise.reject(prematureClose())).then(resolve, reject);
    };
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onEnd);
    stream.on('close', onEnd);
  });
}

/** What the stream can say now: a chunk, its end, its error or its premature close; undefined while it waits for data. */
function settled(stream: Readable): Promise<Buffer | null> | undefined {
  if (stream.errored) return Promise.reject(stream.errored);
  // Like the iterator, a destroyed stream yields nothing more, even what it had buffered.
  if (stream.destroyed) return stream.readableEnded ? Promise.resolve(null) : Promise.reject(prematureClose());
  const chunk = stream.read() as Buffer | null;
  if (chunk !== null) return Promise.resolve(chunk);
  return stream.readableEnded ? Promise.resolve(null) : undefined;
}

/** Reads a whole stream into memory, failing when it passes `max` bytes. */
export async function collect(stream: Readable, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > max) {
      stream.destroy();
      throw Object.assign(new Error(`more than ${max} bytes`), { code: 'TOO_LARGE' });
    }
    parts.push(c);
  }
  return Buffer.concat(parts);
}
