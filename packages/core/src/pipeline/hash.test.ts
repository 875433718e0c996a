/**
 * Hashing refuses to record a digest of part of an item: content that ends
 * before the size it was opened with (a file truncated while it is read).
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ByteReader, SourceEntry } from '../sources/source.js';
import { hashEntry } from './hash.js';

function entryOver(bytes: Buffer, claimedSize: number): SourceEntry {
  const reader: ByteReader = {
    size: claimedSize,
    read: async (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length)),
    close: async () => undefined,
  };
  return { path: 'x', kind: 'file', size: claimedSize, times: {}, depth: 0, open: async () => reader };
}

describe('hashEntry', () => {
  it('hashes the whole content in chunks', async () => {
    const bytes = crypto.randomBytes(3 * 1024 * 1024 + 17);
    const h = await hashEntry(entryOver(bytes, bytes.length), ['sha256', 'md5']);
    expect(h.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
    expect(h.md5).toBe(crypto.createHash('md5').update(bytes).digest('hex'));
  });

  it('throws ESIZECHANGED instead of a digest when the content ends early', async () => {
    const bytes = Buffer.alloc(1000, 1);
    await expect(hashEntry(entryOver(bytes, 5000), ['sha256'])).rejects.toMatchObject({ code: 'ESIZECHANGED' });
  });
});
