/**
 * Hashing a whole source file (an archive given as the source), for
 * `--hash-source`: the examiner can show the archive scanned is the one
 * acquired. Read-only, in 1 MiB blocks, with O_NOATIME where allowed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { openReadOnly } from './read-only.js';

const BLOCK = 1024 * 1024;

/**
 * SHA-256 (or another digest) of a regular file, streaming.
 *
 * @example
 * header.source.sha256 = await hashFile('extraction.zip');
 */
export async function hashFile(
  file: string,
  algorithm: 'md5' | 'sha1' | 'sha256' = 'sha256',
  signal?: AbortSignal,
): Promise<string> {
  const fd = openReadOnly(file);
  try {
    const hash = crypto.createHash(algorithm);
    const buf = Buffer.allocUnsafe(BLOCK);
    for (let pos = 0; ;) {
      if (signal?.aborted) throw Object.assign(new Error('hashing was interrupted'), { code: 'ABORT_ERR' });
      const n = await new Promise<number>((resolve, reject) =>
        fs.read(fd, buf, 0, BLOCK, pos, (err, got) => (err ? reject(err) : resolve(got))),
      );
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      pos += n;
    }
    return hash.digest('hex');
  } finally {
    fs.closeSync(fd);
  }
}
