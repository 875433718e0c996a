/**
 * The chi-square bounds of the statistics (statistics-figures.ts): a byte counter's counts are too even to be chance;
 * a random sample's may be as even by chance, which from 4 KiB on must not make ciphertext "compressed".
 */
import { describe, expect, it } from 'vitest';
import { randomnessFigures } from '@evtriage/core/helpers';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { chiSquareUniform, isRandom } from './statistics-figures.js';

describe('chiSquareUniform', () => {
  it('rejects the lower tail at any size, and the upper tail at 0.999 below 4 KiB and 0.999999 from there', () => {
    expect(chiSquareUniform(0.0005, 100_000)).toBe(false);
    expect(chiSquareUniform(0.5, 512)).toBe(true);
    expect(chiSquareUniform(0.9995, 512)).toBe(false);
    expect(chiSquareUniform(0.9995, 16_384)).toBe(true);
    expect(chiSquareUniform(1, 16_384)).toBe(false);
  });

  it('calls 16 KiB of seeded random bytes whose counts happen to be too even (p > 0.999) random', () => {
    // The first seed of the form 7919 × k whose 16 KiB sample lands in the upper tail (about one in a thousand).
    const e = randomnessFigures([seededBytes(5_028_565, 16_384)]);
    expect(e.chiSquareP).toBeGreaterThan(0.999);
    expect(isRandom(e)).toBe(true);
  });

  it('does not call a byte counter random: in one pass (LLVM cat_nonprinting.bin-like), nor repeated', () => {
    const once = Uint8Array.from({ length: 269 }, (_, i) => (i % 27 === 26 ? 0x0a : i & 0xff));
    expect(isRandom(randomnessFigures([once]))).toBe(false);
    const repeated = Uint8Array.from({ length: 16_384 }, (_, i) => i & 0xff);
    expect(isRandom(randomnessFigures([repeated]))).toBe(false);
  });
});
