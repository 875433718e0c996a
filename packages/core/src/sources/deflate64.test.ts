/**
 * Deflate64 members as 7-Zip writes them (fixtures/compressed/generate.sh): read through the ZIP source, with
 * matches more than 32 KiB back and longer than 258 bytes; damaged and cut data fail with the decoder's own
 * message, and seeded mutants end (decoded or refused) without running past a bound.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inflate64 } from './deflate64.js';
import { mutant, rng } from './stream-codec.test-helper.js';
import type { SourceEntry } from './source.js';
import { ZipSource } from './zip.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/compressed');

/** far.bin as generate.sh makes it. */
function farBin(): Buffer {
  const block = Buffer.alloc(34000);
  let x = 1;
  for (let i = 0; i < block.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    block[i] = 65 + ((x >> 16) % 26);
  }
  return Buffer.concat([block, block, Buffer.alloc(70000)]);
}

/** The compressed bytes of a one-member ZIP's member (after its local header). */
function memberData(file: string): Buffer {
  const zip = fs.readFileSync(path.join(dir, file));
  const start = 30 + zip.readUInt16LE(26) + zip.readUInt16LE(28);
  return zip.subarray(start, start + zip.readUInt32LE(18));
}

/** Decodes in 1 KiB input steps (so the decoder waits for input mid-block), stopping past `limit` bytes. */
async function decode(data: Buffer, limit = 1 << 20): Promise<{ out: Buffer; error?: Error }> {
  const steps = Array.from({ length: Math.ceil(data.length / 1024) }, (_, i) =>
    data.subarray(i * 1024, (i + 1) * 1024),
  );
  const parts: Buffer[] = [];
  let total = 0;
  try {
    for await (const c of inflate64(Readable.from(steps))) {
      parts.push(c);
      total += c.length;
      if (total > limit) break;
    }
  } catch (err) {
    return { out: Buffer.concat(parts), error: err as Error };
  }
  return { out: Buffer.concat(parts) };
}

describe('Deflate64 (ZIP method 9)', () => {
  it.each([
    [
      'deflate64-member.zip',
      'numbers.txt',
      () => Buffer.from(Array.from({ length: 3000 }, (_, i) => `${i + 1}\n`).join('')),
    ],
    ['deflate64-far.zip', 'far.bin', farBin],
  ])('%s: the member is read through the ZIP source', async (file, name, expected) => {
    const source = await ZipSource.fromFile(path.join(dir, file));
    const entries: SourceEntry[] = [];
    for await (const e of source.entries()) {
      entries.push(e);
      expect(e.error).toBeUndefined();
      expect(e.facts?.container?.method).toBe('deflate64');
      const r = await e.open!();
      const want = expected();
      expect((await r.read(0, e.size)).equals(want)).toBe(true);
      // A read from the middle, as a probe's window is.
      expect((await r.read(35000, 16)).equals(want.subarray(35000, 35016))).toBe(true);
      await r.close();
      e.release?.();
    }
    await source.close();
    expect(entries.map((e) => e.path)).toEqual([name]);
  });

  it('decodes input that arrives in small steps exactly as input that arrives whole', async () => {
    const data = memberData('deflate64-far.zip');
    const whole: Buffer[] = [];
    for await (const c of inflate64(Readable.from([data]))) whole.push(c);
    expect(Buffer.concat(whole).equals(farBin())).toBe(true);
    expect((await decode(data)).out.equals(farBin())).toBe(true);
  });

  it('says where damaged or cut data fails', async () => {
    const data = memberData('deflate64-far.zip');
    const cut = await decode(data.subarray(0, data.length >> 1));
    expect(cut.error?.message).toMatch(/^Deflate64 data is damaged: it ends early, at byte \d+/);
    expect(farBin().subarray(0, cut.out.length).equals(cut.out)).toBe(true);
    const reserved = await decode(Buffer.from([0x07]));
    expect(reserved.error?.message).toBe('Deflate64 data is damaged: a block of the reserved type 3');
    const stored = await decode(Buffer.from([0x01, 0x05, 0x00, 0x00, 0x00]));
    expect(stored.error?.message).toBe(
      'Deflate64 data is damaged: a stored block whose length does not match its complement',
    );
  });

  it('ends on every seeded mutant, decoded or refused, never past a bound', async () => {
    const seeds = [memberData('deflate64-far.zip'), memberData('deflate64-member.zip')];
    const r = rng(2026120741);
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const got = await decode(mutant(seeds[i % 2]!, r), 4 << 20);
      if (got.error) {
        refused++;
        expect(got.error.message).toMatch(/^Deflate64 data is damaged: /);
      }
      expect(got.out.length).toBeLessThanOrEqual((4 << 20) + 512 * 1024);
    }
    expect(refused).toBeGreaterThan(0);
  });
});
