/**
 * Hashing refuses to record a digest of part of an item: content that ends
 * before the size it was opened with (a file truncated while it is read); and
 * it never holds the event loop for a whole file.
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

  it('throws ESIZECHANGED instead of a digest when a file read in place ends early', async () => {
    const bytes = Buffer.alloc(1000, 1);
    const file = { ...entryOver(bytes, 5000), localPath: '/evidence/x' };
    await expect(hashEntry(file, ['sha256'])).rejects.toMatchObject({ code: 'ESIZECHANGED' });
  });

  it("throws MEMBER_TRUNCATED when an archive member's data ends before its declared size", async () => {
    const bytes = Buffer.alloc(1000, 1);
    const failure = hashEntry(entryOver(bytes, 5000), ['sha256']);
    await expect(failure).rejects.toMatchObject({ code: 'MEMBER_TRUNCATED' });
    await expect(failure).rejects.toThrow("the member's data ended after 1000 of the 5000 bytes its archive declares");
  });

  it('gives the event loop a turn between chunks, so timers and signals run while a reader without I/O is hashed', async () => {
    // 8 MiB from memory: every read resolves at once. A callback queued as hashing starts must run before it ends.
    const bytes = Buffer.alloc(8 * 1024 * 1024);
    let ranBeforeTheEnd = false;
    let done = false;
    setImmediate(() => (ranBeforeTheEnd = !done));
    await hashEntry(entryOver(bytes, bytes.length), ['sha256']);
    done = true;
    expect(ranBeforeTheEnd).toBe(true);
  });

  it('ends the read when the scan is stopped, with no digest', async () => {
    const stop = new AbortController();
    const bytes = Buffer.alloc(8 * 1024 * 1024);
    setImmediate(() => stop.abort());
    await expect(hashEntry(entryOver(bytes, bytes.length), ['sha256'], stop.signal)).rejects.toMatchObject({
      code: 'SCAN_STOPPED',
    });
  });
});
