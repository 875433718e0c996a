/**
 * Digest sets for known-file lookups: fixed-width binary digests, sorted,
 * with a 65,536-entry fan-out table on the first two bytes (as git's pack
 * index does), so a lookup touches one small bucket. Two stores:
 *
 * - `MemoryDigestSet`: the sorted digests in one Buffer (plain lists).
 * - `FileDigestSet`: the sorted digests in a file (the cached extract of an
 *   NSRL RDS database, tens of millions of entries); only the fan-out table
 *   (256 KiB) is in memory and a lookup is one positional read of its bucket.
 *
 * Neither keeps a JavaScript object per digest: 40 million SHA-256 digests
 * cost 256 KiB of memory and 1.28 GB of file, not gigabytes of strings.
 */
import fs from 'node:fs';

/** A set of fixed-width binary digests. */
export interface DigestSet {
  /** Bytes per digest: 16 (MD5), 20 (SHA-1) or 32 (SHA-256). */
  readonly width: number;
  /** Distinct digests held. */
  readonly size: number;
  has(digest: Uint8Array): boolean;
  close(): void;
}

const FANOUT = 65536;

function bucketOf(d: Uint8Array, at = 0): number {
  return (d[at]! << 8) | d[at + 1]!;
}

/** Compares `a[ai..ai+w)` with `b[bi..bi+w)` bytewise. */
function cmp(a: Uint8Array, ai: number, b: Uint8Array, bi: number, w: number): number {
  for (let i = 0; i < w; i++) {
    const x = a[ai + i]! - b[bi + i]!;
    if (x !== 0) return x;
  }
  return 0;
}

/** Binary search of `digest` among `count` records of `width` bytes in `buf`. */
function search(buf: Uint8Array, count: number, width: number, digest: Uint8Array): boolean {
  let lo = 0;
  let hi = count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = cmp(buf, mid * width, digest, 0, width);
    if (c === 0) return true;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * Sorts and de-duplicates `count` digests of `width` bytes packed in `raw`:
 * a counting sort on the first two bytes (digests are uniform, so buckets are
 * small), then an insertion sort inside each bucket. Returns the sorted
 * records and the fan-out table (`fanout[b]` = records with first two bytes < b).
 */
export function sortDigests(
  raw: Uint8Array,
  count: number,
  width: number,
): { sorted: Buffer; count: number; fanout: Uint32Array } {
  const counts = new Uint32Array(FANOUT + 1);
  for (let i = 0; i < count; i++) counts[bucketOf(raw, i * width) + 1]!++;
  for (let b = 0; b < FANOUT; b++) counts[b + 1]! += counts[b]!;
  const starts = counts.slice();
  const out = Buffer.allocUnsafe(count * width);
  for (let i = 0; i < count; i++) {
    const b = bucketOf(raw, i * width);
    out.set(raw.subarray(i * width, (i + 1) * width), starts[b]! * width);
    starts[b]!++;
  }
  const tmp = Buffer.allocUnsafe(width);
  for (let b = 0; b < FANOUT; b++) {
    for (let i = counts[b]! + 1; i < counts[b + 1]!; i++) {
      out.copy(tmp, 0, i * width, (i + 1) * width);
      let j = i - 1;
      while (j >= counts[b]! && cmp(out, j * width, tmp, 0, width) > 0) {
        out.copy(out, (j + 1) * width, j * width, (j + 1) * width);
        j--;
      }
      tmp.copy(out, (j + 1) * width);
    }
  }
  // De-duplicate in place and rebuild the fan-out.
  const fanout = new Uint32Array(FANOUT + 1);
  let n = 0;
  for (let i = 0; i < count; i++) {
    if (n > 0 && cmp(out, (n - 1) * width, out, i * width, width) === 0) continue;
    if (n !== i) out.copy(out, n * width, i * width, (i + 1) * width);
    fanout[bucketOf(out, n * width) + 1]!++;
    n++;
  }
  for (let b = 0; b < FANOUT; b++) fanout[b + 1]! += fanout[b]!;
  return { sorted: out.subarray(0, n * width), count: n, fanout };
}

/** Sorted digests held in memory. */
export class MemoryDigestSet implements DigestSet {
  readonly size: number;
  private readonly data: Buffer;
  private readonly fanout: Uint32Array;

  constructor(
    readonly width: number,
    raw: Uint8Array,
    count: number,
  ) {
    const s = sortDigests(raw, count, width);
    this.data = s.sorted;
    this.size = s.count;
    this.fanout = s.fanout;
  }

  has(digest: Uint8Array): boolean {
    if (digest.length !== this.width) return false;
    const b = bucketOf(digest);
    const lo = this.fanout[b]!;
    const hi = this.fanout[b + 1]!;
    if (hi === lo) return false;
    return search(this.data.subarray(lo * this.width, hi * this.width), hi - lo, this.width, digest);
  }

  close(): void {}
}

/**
 * Sorted digests in a file (`width`-byte records, ascending, distinct) with
 * the fan-out in memory. Lookups read one bucket with `readSync`.
 */
export class FileDigestSet implements DigestSet {
  readonly size: number;
  private fd: number | undefined;
  private buf = Buffer.allocUnsafe(64 * 1024);

  constructor(
    readonly width: number,
    file: string,
    private readonly fanout: Uint32Array,
  ) {
    this.size = fanout[FANOUT]!;
    this.fd = fs.openSync(file, 'r');
  }

  has(digest: Uint8Array): boolean {
    if (digest.length !== this.width || this.fd === undefined) return false;
    const b = bucketOf(digest);
    const lo = this.fanout[b]!;
    const hi = this.fanout[b + 1]!;
    if (hi === lo) return false;
    const bytes = (hi - lo) * this.width;
    if (this.buf.length < bytes) this.buf = Buffer.allocUnsafe(bytes);
    const got = fs.readSync(this.fd, this.buf, 0, bytes, lo * this.width);
    return search(this.buf, Math.floor(got / this.width), this.width, digest);
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Builds the fan-out table of a sorted digest file (used when reopening a cached extract). */
export function fanoutOfFile(file: string, width: number): Uint32Array {
  const fanout = new Uint32Array(FANOUT + 1);
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(width * 65536);
    let pos = 0;
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, pos);
      if (n <= 0) break;
      for (let i = 0; i + width <= n; i += width) fanout[bucketOf(chunk, i) + 1]!++;
      pos += n - (n % width);
      if (n % width !== 0) break;
    }
  } finally {
    fs.closeSync(fd);
  }
  for (let b = 0; b < FANOUT; b++) fanout[b + 1]! += fanout[b]!;
  return fanout;
}
