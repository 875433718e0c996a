/**
 * Records behind 4-byte big-endian lengths chain like H.264/H.265 samples in MP4 (fixtures/media-fragments/
 * make-chance-fixtures.sh): a YAPET store's first two records did, and the store was called video. The chains must
 * look like sample data (nalRuns, samplesLike): records of seeded ciphertext are refused, real samples are not.
 */
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Detection, Probe } from '@evtriage/core/contract';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { fixtureBytes, readProbe } from './probe.test-helper.js';
import {
  NAL_HEADER_PASS_RATE,
  mediaFragmentsDetector,
  nalHeaderFits,
  nalRuns,
  samplesLike,
  type NalRuns,
} from './media-fragments.js';

const probeOf = (b: Uint8Array, name = 'store.dat'): Probe => readProbe(b, name, 4);

// The detector is synchronous: its answer is a detection or nothing.
const detect = (b: Uint8Array) => mediaFragmentsDetector.detect(probeOf(b), {} as never) as Detection | undefined;

/** Deterministic AES-256-CTR ciphertext of `n` bytes (key, IV and plaintext from the seed). */
function ciphertext(seed: number, n: number): Uint8Array {
  const c = createCipheriv('aes-256-ctr', seededBytes(seed, 32), seededBytes(seed + 1, 16));
  return new Uint8Array(Buffer.concat([c.update(seededBytes(seed + 2, n)), c.final()]));
}

const u32be = (v: number) => new Uint8Array([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
const concat = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/**
 * A store of unknown format: a magic, then records behind 4-byte big-endian lengths, each a small clear name
 * and ciphertext ("names") or ciphertext alone, as password managers encrypt entry by entry.
 */
function recordStore(seed: number, bytes: number, names: boolean): Uint8Array {
  const parts: Uint8Array[] = [new TextEncoder().encode('VLT1\0')];
  let size = 5;
  for (let i = 0; size < bytes; i++) {
    const n = 16 + (seededBytes(seed * 1000 + i, 2).reduce((a, x) => a * 256 + x, 0) % 600);
    const body = names
      ? concat([new TextEncoder().encode(`A2_R${i % 10}\0`), ciphertext(seed * 7919 + i, n)])
      : ciphertext(seed * 7919 + i, n);
    parts.push(u32be(body.length), body);
    size += 4 + body.length;
  }
  return concat(parts);
}

describe('media-fragments: records behind 4-byte lengths are not video samples', () => {
  it('states the share of header bytes a record passes by chance, as nalHeaderFits accepts them', () => {
    let h264 = 0;
    let hevc = 0;
    for (let b0 = 0; b0 < 256; b0++) {
      if (nalHeaderFits('h264', new Uint8Array([b0]), 0)) h264++;
      for (let b1 = 0; b1 < 256; b1++) if (nalHeaderFits('hevc', new Uint8Array([b0, b1]), 0)) hevc++;
    }
    expect(h264 / 256).toBe(NAL_HEADER_PASS_RATE.h264);
    expect(hevc / 65536).toBe(NAL_HEADER_PASS_RATE.hevc);
  });

  it("refuses YAPET's store although its first two records pass as H.264 units", () => {
    const pet = fixtureBytes('media-fragments', 'yapet-vault.pet');
    // The records at 8 (70 bytes, "A2_S4…") and 82 (48 bytes) chain by their lengths, each first byte an allowed header.
    const len = (at: number) => Buffer.from(pet).readUInt32BE(at);
    expect([len(8), len(82)]).toEqual([70, 48]);
    expect(nalHeaderFits('h264', pet, 12) && nalHeaderFits('h264', pet, 86)).toBe(true);
    // The first record holds the next records' lengths (00 00 00 05): bytes no NAL unit holds.
    expect(nalRuns(pet, 0, pet.length)).toBeUndefined();
    expect(detect(pet)).toBeUndefined();
  });

  it('refuses seeded per-record ciphertext stores where chains of two and three units occur', () => {
    let chained = 0;
    let longRuns = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const store = recordStore(seed, 2000 + ((seed * 1543) % 60000), seed % 2 === 0);
      const runs = [probeOf(store).head, store].map((b) => nalRuns(b, 0, store.length));
      if (runs[0]) chained++;
      if (runs[1] && runs[1].longestRun >= 3) longRuns++;
      expect(detect(store), `store ${seed}`).toBeUndefined();
      if (runs[1]) expect(samplesLike(runs[1], store.length), `store ${seed}`).toBe(false);
    }
    // The evidence the old rules took (two units in a row; three for media-samples) is there by the dozen.
    expect(chained).toBeGreaterThan(20);
    expect(longRuns).toBeGreaterThan(5);
  });

  it('takes real samples: a video-only span cut inside units, video interleaved with audio', () => {
    const hevc = fixtureBytes('media-fragments', 'clip.hevc-samples.exo');
    expect(detect(hevc)?.format.id).toBe('hevc-samples');
    // ffmpeg's CENC MP4 of H.264 and AAC: a chunk of two samples, then audio, then the next chunk.
    const mp4 = fixtureBytes('iso-bmff', 'protected-moov-last.mp4');
    for (let at = 0; at + 16384 <= 81920; at += 16384) {
      const w = mp4.subarray(at, at + 16384);
      const runs = nalRuns(w, at, mp4.length)!;
      expect(runs.chains, `window at ${at}`).toBeGreaterThanOrEqual(3);
      expect(samplesLike(runs, w.length), `window at ${at}`).toBe(true);
    }
  });

  it('never throws on mutated and cut copies, and its figures stay within the window', () => {
    const seeds = [
      fixtureBytes('media-fragments', 'clip.mp4-samples.v3.exo'),
      fixtureBytes('media-fragments', 'clip.hevc-samples.exo'),
      fixtureBytes('media-fragments', 'yapet-vault.pet'),
    ];
    let s = 35;
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
    const declared = new Set(mediaFragmentsDetector.meta.formats.map((f) => f.id));
    for (let run = 0; run < 1500; run++) {
      const real = seeds[run % seeds.length]!;
      const b = real.slice(0, run % 4 === 0 ? 1 + (next() % real.length) : real.length);
      for (let i = 0, n = 1 + (next() % 8); i < n; i++) {
        const at = next() % b.length;
        // Lengths are what the chains follow: write plausible ones as often as random bytes.
        if (next() % 2 && at + 4 <= b.length) b.set(u32be(next() % 4096), at);
        else b[at] = next() & 0xff;
      }
      const d = detect(b);
      if (d) expect(declared.has(d.format.id)).toBe(true);
      const runs: NalRuns | undefined = nalRuns(b, 0, b.length);
      if (runs) {
        expect(runs.covered).toBeLessThanOrEqual(b.length);
        expect(runs.units).toBeGreaterThanOrEqual(2 * runs.chains);
      }
    }
  });

  it('stays linear on bytes made of chaining units', () => {
    // 256 KiB of 6-byte units (length 2, an allowed header): one chain of 43,690 units.
    const b = new Uint8Array(256 * 1024);
    for (let at = 0; at + 6 <= b.length; at += 6) b.set([0, 0, 0, 2, 0x41, 0x9a], at);
    const runs = nalRuns(b, 0, b.length)!;
    expect(runs.longestRun).toBeGreaterThan(43_000);
    expect(runs.chains).toBe(1);
  });
});
