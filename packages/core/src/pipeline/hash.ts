/**
 * Hashing: every requested digest from one read of the bytes.
 */
import crypto from 'node:crypto';
import type { Hashes } from '../model/evidence-item.js';
import type { SourceEntry } from '../sources/source.js';

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256';
export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['md5', 'sha1', 'sha256'];
const CHUNK = 1024 * 1024;

/**
 * The error for content that ended after `pos` of its `size` bytes while it was hashed (no digest then). A file
 * read in place changed size (ESIZECHANGED); an archive member's data ended before the size its archive declares
 * (MEMBER_TRUNCATED): the archive is cut short or damaged, nothing changed while it was read.
 */
export function endedEarly(pos: number, size: number, member: boolean): Error & { code: string } {
  const message = member
    ? `the member's data ended after ${pos} of the ${size} bytes its archive declares (the archive is cut short or damaged); no digest recorded`
    : `the content ended after ${pos} of ${size} bytes while it was hashed; no digest recorded`;
  return Object.assign(new Error(message), { code: member ? 'MEMBER_TRUNCATED' : 'ESIZECHANGED' });
}

/** Every digest of the entry's bytes, read once; a stop given on `signal` ends the read (no digest then). */
export async function hashEntry(
  entry: SourceEntry,
  algorithms: readonly HashAlgorithm[],
  signal?: AbortSignal,
): Promise<Hashes> {
  if (!entry.open) throw Object.assign(new Error('no content to hash'), { code: 'ENOCONTENT' });
  const reader = await entry.open();
  try {
    const hashers = algorithms.map((a) => [a, crypto.createHash(a)] as const);
    let pos = 0;
    while (pos < reader.size) {
      if (signal?.aborted)
        throw Object.assign(new Error('the scan was stopped while the item was hashed; no digest recorded'), {
          code: 'SCAN_STOPPED',
        });
      const chunk = await reader.read(pos, Math.min(CHUNK, reader.size - pos));
      if (chunk.length === 0) break;
      for (const [, h] of hashers) h.update(chunk);
      pos += chunk.length;
      // A reader that needs no I/O (bytes in memory, a sparse file's holes) resolves at once: without a turn of
      // the event loop, timers and signals would wait for the whole file.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // The bytes ended early (truncated while read): a digest of part of the item would mislead. So do a member's
    // bytes that end before the size its archive declares, even when its reader says they are whole (7-Zip wrote
    // fewer bytes than the header claims); an encrypted member's stored bytes are its ciphertext, not that size.
    const member = entry.localPath === undefined;
    if (pos < reader.size) throw endedEarly(pos, reader.size, member);
    if (member && !entry.facts?.encryption && pos < entry.size) throw endedEarly(pos, entry.size, member);
    const out: Hashes = {};
    for (const [a, h] of hashers) out[a] = h.digest('hex');
    return out;
  } finally {
    await reader.close();
  }
}
