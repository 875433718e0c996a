/**
 * Two xz streams decoded at once (a `.tar.xz` whose members are xz streams, opened ahead while it is read) each get
 * their own bytes. xz-decompress shared one WebAssembly instance between streams: the second stream's context grew
 * its memory, the first stream's views were detached, and its next read overwrote input it had not consumed ("corrupt
 * data" after its first 64 KiB). Fixture: fixtures/compressed/zeros.xz (64 MiB of zeros, `xz -6`; generate.sh).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decompress } from './compressed.js';

const zeros = fs.readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/compressed/zeros.xz'),
);

/** Reads up to `bytes` of a decoder's output; the count read and whether any byte was not zero. */
async function take(it: AsyncIterator<Buffer>, bytes: number): Promise<{ read: number; nonZero: boolean }> {
  let read = 0;
  let nonZero = false;
  while (read < bytes) {
    const next = await it.next();
    if (next.done) break;
    read += next.value.length;
    nonZero ||= next.value.some((b) => b !== 0);
  }
  return { read, nonZero };
}

describe('xz streams decoded at once', () => {
  it('each decode their own bytes, interleaved', async () => {
    const a = decompress('xz', Readable.from([zeros]))[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const b = decompress('xz', Readable.from([zeros]))[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const first = await take(a, 1);
    // The second stream starts (its context is made) while the first is open, then both go on in turns.
    const reads = [first, await take(b, 1)];
    for (let round = 0; round < 8; round++) reads.push(await take(a, 256 * 1024), await take(b, 256 * 1024));
    await a.return?.();
    await b.return?.();
    expect(reads.every((r) => r.read > 0 && !r.nonZero)).toBe(true);
    expect(reads.reduce((n, r) => n + r.read, 0)).toBeGreaterThan(4 * 1024 * 1024);
  });
});
