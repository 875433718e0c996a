/**
 * A ZIP member read from where it lies in a local archive file, by any
 * thread: the probe workers read, inflate and hash plain stored and deflated
 * members themselves (pipeline/probe-worker.ts), so the main thread only lists
 * the central directory. The rules are the ZIP source's own (zip.ts), so both
 * paths give the same bytes and the same errors:
 * - the data starts after the LOCAL header's name and extra field (they may
 *   differ from the central copy); no local header signature, no member;
 * - a member yields at most its declared size: a stream that inflates further
 *   is cut there (a zip bomb cannot make the reader hold more), one that ends
 *   sooner yields what it has;
 * - a member the archive's end cuts (`cut`: found when the central directory
 *   was lost with the end) yields what its data inflates to, as a cut stored
 *   member yields the bytes there; elsewhere compressed data that ends early
 *   or is damaged fails with zlib's error, unless the declared size was
 *   reached first.
 * Only synchronous positional reads and node:zlib: nothing here may load the
 * rest of the engine into a worker.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { piped } from './readers.js';

/** Where a member's bytes lie in an archive on disk, so another thread can read them there itself. */
export interface MemberLocation {
  /** The archive file (raw bytes for a name that is not UTF-8). */
  file: string | Uint8Array;
  /** Offset of the member's ZIP local file header in the file. */
  headerAt: number;
  method: 'stored' | 'deflate';
  /** Compressed size from the central directory. */
  compressedSize: number;
  /** Declared (uncompressed) size: reads never go past it. */
  size: number;
  /** The archive ends inside this member's data: what is there is read, no error for the missing rest. */
  cut?: boolean;
}

/** Deflated members up to this size are inflated in one call (as zip.ts does for the same members). */
export const WHOLE_INFLATE_BYTES = 8 * 1024 * 1024;
/** zlib's options for a member's DEFLATE data; data that the archive's end cuts flushes what it holds instead of failing. */
export function inflateOptions(cut: boolean | undefined): zlib.ZlibOptions {
  return cut ? { finishFlush: zlib.constants.Z_SYNC_FLUSH } : {};
}
/** Compressed bytes read per step when streaming. */
const STREAM_CHUNK = 256 * 1024;

const LOCAL_HEADER_SIGNATURE = 0x04034b50;

/** The error for a member whose local header is missing or is not one. */
export function badLocalHeader(offset: number): Error {
  return Object.assign(new Error(`no local file header at offset ${offset}`), { code: 'ZIP_BAD_LOCAL_HEADER' });
}

/**
 * Where a member's data starts, from the 30 fixed bytes of its local header read at `offset`, within an
 * archive of `archiveBytes`: a header whose name and extra field run past the end (lengths of 65,535 in a
 * 200-byte archive) is no header, else its member would be read as nothing and called opaque.
 */
export function dataStartFrom(header: Buffer, offset: number, archiveBytes = Infinity): number {
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw badLocalHeader(offset);
  const start = offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (start > archiveBytes)
    throw Object.assign(
      new Error(
        `the local file header at offset ${offset} declares a name and extra field of ${start - offset - 30} bytes, past the archive's end (${archiveBytes} bytes)`,
      ),
      { code: 'ZIP_BAD_LOCAL_HEADER' },
    );
  return start;
}

/** Reads up to `length` bytes at `position`; shorter only at the end of the file. */
function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(0, length));
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got < length ? buf.subarray(0, got) : buf;
}

/**
 * Ranges of a stored member, each read where it lies, to `sink(bytes, at)` (at = offset in the member): a probe
 * without digests needs its blocks, not the bytes between them, so a 4 GiB stored member costs a few small reads
 * instead of 4,096 of 1 MiB. Ranges are clipped to the declared size and, as streamMember does, to the bytes the
 * file holds.
 */
export function readStoredRanges(
  fd: number,
  fileSize: number,
  loc: MemberLocation,
  ranges: ReadonlyArray<readonly [start: number, length: number]>,
  sink: (bytes: Buffer, at: number) => void,
): void {
  const start = dataStartFrom(readAt(fd, loc.headerAt, 30), loc.headerAt, fileSize);
  for (const [from, length] of ranges) {
    const n = Math.min(length, loc.size - from, fileSize - start - from);
    if (n <= 0) continue;
    const bytes = readAt(fd, start + from, n);
    if (bytes.length > 0) sink(bytes, from);
  }
}

/**
 * Streams a member's bytes, in order, to `sink(bytes, at)` (at = offset of the
 * first byte in the member), never past its declared size, and resolves with
 * how many bytes it yielded (less than the size when the data ends sooner).
 * Holds at most one compressed chunk and zlib's output chunk at a time, except
 * for members small enough to inflate in one call (WHOLE_INFLATE_BYTES).
 * `fileSize` bounds reads to the file as it was opened.
 */
export async function streamMember(
  fd: number,
  fileSize: number,
  loc: MemberLocation,
  sink: (bytes: Buffer, at: number) => void,
): Promise<number> {
  const start = dataStartFrom(readAt(fd, loc.headerAt, 30), loc.headerAt, fileSize);
  const { size } = loc;
  // A zero-length member is never read (its data, damaged or not, yields nothing).
  if (size === 0) return 0;
  if (loc.method === 'stored') {
    let pos = 0;
    while (pos < size) {
      const chunk = readAt(fd, start + pos, Math.min(1024 * 1024, size - pos, Math.max(0, fileSize - start - pos)));
      if (chunk.length === 0) break;
      sink(chunk, pos);
      pos += chunk.length;
    }
    return pos;
  }
  const compressedEnd = Math.min(fileSize, start + loc.compressedSize);
  if (size <= WHOLE_INFLATE_BYTES && loc.compressedSize <= 2 * WHOLE_INFLATE_BYTES) {
    try {
      // maxOutputLength: more bytes than declared throw here, and the stream below cuts them at the size.
      const whole = zlib.inflateRawSync(readAt(fd, start, Math.max(0, compressedEnd - start)), {
        ...inflateOptions(loc.cut),
        maxOutputLength: Math.max(1, size),
      });
      if (whole.length > 0) sink(whole, 0);
      return whole.length;
    } catch {
      // Damaged, or longer than declared: the stream yields what it can, as on the main thread.
    }
  }
  let pos = start;
  const compressed = new Readable({
    read() {
      const chunk = pos < compressedEnd ? readAt(fd, pos, Math.min(STREAM_CHUNK, compressedEnd - pos)) : undefined;
      if (!chunk || chunk.length === 0) return void this.push(null);
      pos += chunk.length;
      this.push(chunk);
    },
  });
  const inflated = piped(compressed, zlib.createInflateRaw(inflateOptions(loc.cut)));
  let got = 0;
  try {
    for await (const chunk of inflated as AsyncIterable<Buffer>) {
      const take = chunk.length <= size - got ? chunk : chunk.subarray(0, size - got);
      sink(take, got);
      got += take.length;
      // The declared size is reached: what follows (more data, or damage) is never read.
      if (got >= size) break;
    }
  } finally {
    inflated.destroy();
  }
  return got;
}
