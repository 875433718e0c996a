/**
 * The frame tracker on streams zstd and pzstd wrote (fixtures/compressed/generate.sh): where each frame ends and
 * its checksum, however the bytes arrive; the decoder's thread checks each frame's checksum with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decompress } from './compressed.js';
import { expand, mutant, rng } from './stream-codec.test-helper.js';
import { FrameTracker, type FrameEnd } from './zstd-frames.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/compressed');
const read = (f: string) => fs.readFileSync(path.join(dir, f));

/** The frames' ends (offsets in the whole stream) when the bytes arrive in pieces of `piece` bytes. */
function ends(bytes: Uint8Array, piece: number): FrameEnd[] {
  const t = new FrameTracker();
  const out: FrameEnd[] = [];
  for (let at = 0; at < bytes.length; at += piece)
    for (const e of t.feed(bytes.subarray(at, at + piece))) out.push({ ...e, at: at + e.at });
  return out;
}

describe('Zstandard frame tracker', () => {
  it('finds where each frame ends and its checksum, in one piece or a byte at a time', () => {
    const frames = read('frames.zst');
    const whole = ends(frames, frames.length);
    // A 1-byte frame, a frame without a checksum (--no-check), a 4-byte frame: zstd -lv counts 3 frames.
    expect(whole.map((e) => e.checksum === undefined)).toEqual([false, true, false]);
    expect(whole.at(-1)!.at).toBe(frames.length);
    for (const piece of [1, 3, 7, 1024]) expect(ends(frames, piece)).toEqual(whole);
    // pzstd's skippable frame first, then one frame; two frames of zstd one after the other.
    const pzstd = read('pzstd-numbers.zst');
    expect(ends(pzstd, 5).map((e) => e.at)).toEqual([pzstd.length]);
    const concat = read('concat.zst');
    expect(ends(concat, 2)).toHaveLength(2);
  });

  it('stops following bytes it cannot read, and leaves them to the decoder', () => {
    const t = new FrameTracker();
    expect(t.feed(Buffer.from('not a zstd stream'))).toEqual([]);
    expect(t.following).toBe(false);
  });
});

describe('Zstandard content checksums', () => {
  it('reports a frame whose data decodes to other bytes than it held (zstd -t: "Restored data doesn\'t match checksum")', async () => {
    const r = await expand('zstd', read('checksum-damaged.zst'));
    expect(r.error?.message).toMatch(/content checksum does not match its data/);
  });

  it('reads every frame of streams whose checksums hold, whatever the pieces', async () => {
    const frames = read('frames.zst');
    const expected = Buffer.concat([
      Buffer.from('x'),
      Buffer.from(Array.from({ length: 5000 }, (_, i) => `${i + 1}\n`).join('')),
      Buffer.from('aaaa'),
    ]);
    for (const piece of [frames.length, 1, 13]) {
      const pieces = Array.from({ length: Math.ceil(frames.length / piece) }, (_, i) =>
        frames.subarray(i * piece, (i + 1) * piece),
      );
      const parts: Buffer[] = [];
      for await (const c of decompress('zstd', Readable.from(pieces))) parts.push(c as Buffer);
      expect(Buffer.concat(parts).equals(expected), `pieces of ${piece}`).toBe(true);
    }
  });

  it('never throws on mutated streams: each ends or fails with an error (200 fixed-seed mutants)', () => {
    const next = rng(20261207);
    const seeds = [read('frames.zst'), read('concat.zst'), read('pzstd-numbers.zst')];
    for (let i = 0; i < 200; i++) {
      const bytes = mutant(seeds[i % seeds.length]!, next);
      const t = new FrameTracker();
      for (let at = 0; at < bytes.length; at += 97) t.feed(bytes.subarray(at, at + 97));
    }
  });
});
