/**
 * Whole reads of small local files that are not entries being processed: a
 * database's `-wal` companion, container metadata read in the pre-pass. The
 * file is opened read-only (no access-time update where allowed), must be a
 * regular file and must fit in the caller's byte budget.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openReadOnly } from './read-only.js';

/** Suffixes a parser may ask for: a few name characters, never a path separator. */
const SUFFIX = /^[A-Za-z0-9._-]{1,32}$/;

/**
 * Reads a regular file whole when it is at most `maxBytes`; undefined when it
 * is absent, not a regular file (symlinks are never followed) or too large.
 *
 * @example
 * const wal = readSmallLocalFile('/evidence/msgstore.db-wal', 64 << 20);
 */
export function readSmallLocalFile(file: string | Buffer, maxBytes: number): Buffer | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (!st.isFile() || st.size > maxBytes) return undefined;
  const fd = openReadOnly(file);
  try {
    const size = Math.min(fs.fstatSync(fd).size, maxBytes);
    const buf = Buffer.alloc(size);
    let done = 0;
    while (done < size) {
      const n = fs.readSync(fd, buf, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return done < size ? buf.subarray(0, done) : buf;
  } finally {
    fs.closeSync(fd);
  }
}

/** Size of a regular file (symlinks not followed), or undefined when absent or not a regular file. */
export function localFileSize(file: string | Buffer): number | undefined {
  try {
    const st = fs.lstatSync(file);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

/** Thrown by `readSibling` when the companion exists but is larger than the caller's budget. */
export class SiblingTooLargeError extends RangeError {
  readonly code = 'SIBLING_TOO_LARGE';
  constructor(
    readonly suffix: string,
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`the ${suffix} companion is ${size} bytes, more than the ${maxBytes}-byte budget`);
    this.name = 'SiblingTooLargeError';
  }
}

/** The local path of a sibling (`<file><suffix>`); throws on a suffix that could leave the folder. */
export function siblingPath(file: string | Buffer, suffix: string): string | Buffer {
  if (!SUFFIX.test(suffix))
    throw new RangeError(`sibling suffix ${JSON.stringify(suffix)} is not allowed (letters, digits, . _ - only)`);
  return typeof file === 'string' ? file + suffix : Buffer.concat([file, Buffer.from(suffix)]);
}

/** Resolves a source-relative POSIX path under `root`, refusing absolute paths, `..` and escapes through symlinked folders. */
export function resolveUnder(root: string, rel: string): string | undefined {
  if (rel.length === 0 || rel.startsWith('/') || rel.split('/').some((s) => s === '..' || s === '')) return undefined;
  const abs = path.join(root, rel);
  try {
    const dir = fs.realpathSync(path.dirname(abs));
    const realRoot = fs.realpathSync(root);
    if (dir !== realRoot && !dir.startsWith(realRoot + path.sep)) return undefined;
  } catch {
    return undefined;
  }
  return abs;
}
