/**
 * The randomness figures of a probe and the statistics' verdict on them, computed once per probe
 * and shared by the fallback detectors that need them: the statistics detector reports them, and
 * the libmagic detector asks whether the bytes are uniformly random before it asks libmagic
 * (libmagic-gate.ts). The deflate figure is the dear part (~100 µs on 16 KiB); both detectors
 * run on the same probe object in the same thread, so a WeakMap keyed by it is the cache.
 */
import type { EntropyFigures, Probe } from '@evtriage/core/contract';
import { byteHistogram, chiSquare, chiSquareUpperP, randomnessFigures } from '@evtriage/core/helpers';

/** Below this many bytes the histogram is too thin to tell anything. */
export const MIN_BYTES = 64;

/** Below this many bytes a 256-bin chi-square expects fewer than 5 per bin, and its p-value means little. */
const CHI_SQUARE_MIN_BYTES = 256 * 5;

/** From this many bytes a byte counter repeats often enough for the deflate figure to see it. */
const DEFLATE_SEES_COUNTERS = 4096;

/**
 * Whether a chi-square p-value over `bytes` byte counts is what uniform bytes show. Below 0.001 the counts are too
 * uneven (structure: text, tables, compressed data's literals). Above 0.999 they are more even than chance allows:
 * a byte counter (00 01 02 ... ff, LLVM's cat_nonprinting.bin), which deflate cannot shorten in one pass. From
 * 4 KiB a counter repeats and deflate shortens it, so only p above 0.999999 rejects there: random samples land
 * above 0.999 once in a thousand, and that bound called large ciphertext files compressed (a generated set's
 * 104 KB file at p=0.99943).
 */
export function chiSquareUniform(p: number, bytes: number): boolean {
  return p > 0.001 && p < (bytes >= DEFLATE_SEES_COUNTERS ? 0.999999 : 0.999);
}

/** Below this p the nibble test rejects uniform bytes: strict, since at 5-10 expected per bin its tail runs heavy. */
const NIBBLE_P_MIN = 0.0001;

/** The probe's sampled bytes: head, samples, tail (what the statistics' figures are over). */
export function probeBlocks(probe: Probe): Uint8Array[] {
  return [probe.head, ...probe.samples.map((s) => s.bytes), probe.tail];
}

/** Which byte values were seen in the current count: marked with the count's stamp, so no table is cleared or made. */
const seenAt = new Uint32Array(256);
let stamp = 0;

/** How many distinct byte values the bytes hold. */
export function distinctValues(b: Uint8Array): number {
  if (++stamp === 0xffffffff) {
    seenAt.fill(0);
    stamp = 1;
  }
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    const v = b[i]!;
    if (seenAt[v] !== stamp) {
      seenAt[v] = stamp;
      n++;
    }
  }
  return n;
}

/** Distinct byte values n uniform bytes show on average: 256 (1 - (255/256)^n). */
export function expectedDistinct(n: number): number {
  return 256 * (1 - Math.pow(255 / 256, n));
}

/**
 * At least 85 % of the distinct byte values uniform bytes of that length show on average: what
 * ciphertext and random keys look like, and text, ids or structure do not. Unlike an entropy
 * threshold it holds for short files (32 random bytes show ~30 values).
 */
export function spreadLikeRandom(bytes: Uint8Array): boolean {
  return distinctValues(bytes) >= 0.85 * expectedDistinct(bytes.length);
}

const figuresByProbe = new WeakMap<Probe, EntropyFigures>();

/** randomnessFigures over the probe's blocks, once per probe (the result is shared: do not change it). */
export function probeFigures(probe: Probe): EntropyFigures {
  let e = figuresByProbe.get(probe);
  if (!e) {
    e = randomnessFigures(probeBlocks(probe));
    figuresByProbe.set(probe, e);
  }
  return e;
}

/**
 * The test a small sample supports: a chi-square over the 16 values of each byte's high nibble
 * (5 or more expected per bin from 80 bytes on). Text-range bytes (every printable ASCII character
 * once, in a test file) look uniform on 256 bins at 116 bytes, and fail here. `p` only for small samples.
 */
export function smallSampleTest(blocks: readonly Uint8Array[]): { uniform: boolean; p?: number; bytes?: number } {
  if (blocks.reduce((n, b) => n + b.length, 0) >= CHI_SQUARE_MIN_BYTES) return { uniform: true };
  const { counts, total } = byteHistogram(blocks);
  const nibbles = new Array<number>(16).fill(0);
  for (let i = 0; i < 256; i++) nibbles[i >> 4]! += counts[i]!;
  const expected = total / 16;
  const x2 = nibbles.reduce((sum, c) => sum + ((c - expected) * (c - expected)) / expected, 0);
  const p = Math.round(chiSquareUpperP(x2, 15) * 1e6) / 1e6;
  return { uniform: p > NIBBLE_P_MIN, p, bytes: total };
}

/**
 * A cheap necessary condition for isRandom: the chi-square alone (a histogram, no deflate), with the same bounds.
 * Lets a caller skip the deflate figure, the dear part, on bytes that cannot pass.
 */
export function uniformByChiSquare(blocks: readonly Uint8Array[]): boolean {
  const { counts, total } = byteHistogram(blocks);
  if (total < MIN_BYTES) return false;
  return chiSquareUniform(chiSquareUpperP(chiSquare(counts, total)), total);
}

/** Uniform bytes: entropy near what n random bytes show, a chi-square consistent with uniform, incompressible. */
export function isRandom(e: EntropyFigures): boolean {
  const n = e.sampledBytes;
  if (n < MIN_BYTES) return false;
  // n uniform bytes show about 8 - 255/(2 n ln 2) bits/byte (and at most log2 n).
  const expected = Math.min(8 - 255 / (2 * n * Math.LN2), Math.log2(n));
  const deficit = Math.max(0.01, 8 - expected);
  const nearMax = e.shannon >= 8 - 3 * deficit - 0.01;
  const uniform = chiSquareUniform(e.chiSquareP, n);
  return nearMax && uniform && (e.compressionRatio ?? 0) >= 0.98;
}

/** The statistics' first verdict: the probe's bytes, from the first one, are uniformly random (no clear prefix set aside). */
export function uniformFromFirstByte(probe: Probe): boolean {
  return isRandom(probeFigures(probe)) && smallSampleTest(probeBlocks(probe)).uniform;
}

/**
 * The probe's figures when its bytes look uniformly random by the looser test of the detectors that a path
 * already names (restic and zbackup repository files): entropy near what that many random bytes show (about
 * log2 n bits a byte for small n), and from 1,280 bytes a chi-square consistent with uniform. Undefined otherwise.
 */
export function randomUnderNamedPath(probe: Probe): EntropyFigures | undefined {
  const e = probeFigures(probe);
  if (e.shannon < Math.min(7.5, Math.log2(Math.min(probe.size, probe.head.length)) - 1)) return undefined;
  if (e.sampledBytes >= CHI_SQUARE_MIN_BYTES && !chiSquareUniform(e.chiSquareP, e.sampledBytes)) return undefined;
  return e;
}
