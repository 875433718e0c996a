/**
 * Byte statistics that tell ciphertext from compressed data and structure:
 * Shannon entropy, a chi-square test of the byte histogram against uniform,
 * and deflate compressibility. Ciphertext is uniform (chi-square near its 255
 * degrees of freedom, p neither tiny nor ~1); DEFLATE, JPEG and MP4 payloads
 * have near-8-bit entropy but a histogram far from uniform (p ~ 0).
 * Reference: NIST SP 800-22 §2 (frequency tests); Wilson-Hilferty (1931).
 */
import zlib from 'node:zlib';
import type { EntropyFigures } from '../model/classification.js';

const DEGREES_OF_FREEDOM = 255;

export function byteHistogram(blocks: readonly Uint8Array[]): { counts: Uint32Array; total: number } {
  const counts = new Uint32Array(256);
  let total = 0;
  for (const block of blocks) {
    for (let i = 0; i < block.length; i++) counts[block[i]!]!++;
    total += block.length;
  }
  return { counts, total };
}

export function shannonEntropy(counts: Uint32Array, total: number): number {
  if (total === 0) return 0;
  let h = 0;
  for (let i = 0; i < 256; i++) {
    const c = counts[i]!;
    if (c > 0) {
      const p = c / total;
      h -= p * Math.log2(p);
    }
  }
  return h;
}

export function chiSquare(counts: Uint32Array, total: number): number {
  if (total === 0) return 0;
  const expected = total / 256;
  let x2 = 0;
  for (let i = 0; i < 256; i++) {
    const d = counts[i]! - expected;
    x2 += (d * d) / expected;
  }
  return x2;
}

/** Upper-tail p-value of a chi-square statistic (Wilson-Hilferty normal approximation). */
export function chiSquareUpperP(x2: number, k = DEGREES_OF_FREEDOM): number {
  const z = (Math.cbrt(x2 / k) - (1 - 2 / (9 * k))) / Math.sqrt(2 / (9 * k));
  return 0.5 * erfc(z / Math.SQRT2);
}

// Abramowitz-Stegun 7.1.26, accurate to 1.5e-7: enough for a p-value band.
function erfc(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - y * Math.exp(-ax * ax);
  return 1 - sign * erf;
}

/**
 * Deflate (level 1) size over input size, on at most `maxBytes` of the blocks.
 * 16 KiB is enough to tell random from compressible bytes, and deflate is the
 * dearest figure on random data (zlib level 1 runs at ~30 MB/s on it here).
 */
export function compressionRatio(blocks: readonly Uint8Array[], maxBytes = 16 * 1024): number {
  const parts: Uint8Array[] = [];
  let n = 0;
  for (const b of blocks) {
    if (n >= maxBytes) break;
    const take = b.subarray(0, maxBytes - n);
    parts.push(take);
    n += take.length;
  }
  if (n === 0) return 0;
  return zlib.deflateRawSync(Buffer.concat(parts), { level: 1 }).length / n;
}

/** All figures at once, over sampled blocks. */
export function randomnessFigures(blocks: readonly Uint8Array[]): EntropyFigures {
  const { counts, total } = byteHistogram(blocks);
  const x2 = chiSquare(counts, total);
  return {
    shannon: round(shannonEntropy(counts, total), 4),
    chiSquare: round(x2, 2),
    chiSquareP: total > 0 ? round(chiSquareUpperP(x2), 6) : 0,
    compressionRatio: round(compressionRatio(blocks), 4),
    sampledBytes: total,
    blocks: blocks.filter((b) => b.length > 0).length,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
