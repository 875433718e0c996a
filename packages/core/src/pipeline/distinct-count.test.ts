import { describe, expect, it } from 'vitest';
import { DistinctCount } from './distinct-count.js';

describe('DistinctCount', () => {
  it('is exact up to its limit, repeats not counted', () => {
    const c = new DistinctCount(1_000);
    for (let r = 0; r < 3; r++) for (let i = 0; i < 1_000; i++) c.add(`value ${i}`);
    expect(c.count).toBe(1_000);
    expect(c.estimated).toBe(false);
  });

  it('past its limit estimates within a few standard errors, and never below the limit', () => {
    for (const [n, bits] of [
      [5_000, 10],
      [50_000, 12],
      [300_000, 14],
    ] as const) {
      const c = new DistinctCount(1_000, bits);
      for (let i = 0; i < n; i++) {
        c.add(`format-${i.toString(36)}`);
        if (i % 7 === 0) c.add(`format-${(i >> 1).toString(36)}`); // repeats change nothing
      }
      expect(c.estimated).toBe(true);
      const error = Math.abs(c.count - n) / n;
      // Standard error 1.04 / sqrt(2^bits): 3.25%, 1.6%, 0.8%; four of them allowed.
      expect(error).toBeLessThan((4 * 1.04) / Math.sqrt(2 ** bits));
    }
    const c = new DistinctCount(1_000, 4);
    for (let i = 0; i < 1_001; i++) c.add(`v${i}`);
    expect(c.count).toBeGreaterThanOrEqual(1_001);
  });
});
