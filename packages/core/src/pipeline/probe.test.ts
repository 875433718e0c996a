import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../limits.js';
import { probePlan } from './probe.js';

/** The byte ranges a plan reads, in file order. */
function ranges(size: number): Array<[number, number]> {
  const plan = probePlan(size, DEFAULT_LIMITS);
  return [
    [0, plan.head] as [number, number],
    ...plan.samples.map((at): [number, number] => [at, at + DEFAULT_LIMITS.probeSampleBytes]),
    ...(plan.tail > 0 ? [[size - plan.tail, size] as [number, number]] : []),
  ];
}

describe('probePlan', () => {
  it('reads every byte at most once, inside the file, whatever its size', () => {
    for (let size = 1; size < 200_000; size += size < 50_000 ? 13 : 997) {
      const r = ranges(size);
      for (const [from, to] of r) {
        expect(from, `size ${size}`).toBeGreaterThanOrEqual(0);
        expect(to, `size ${size}`).toBeLessThanOrEqual(size);
      }
      for (let i = 1; i < r.length; i++) expect(r[i]![0], `size ${size}`).toBeGreaterThanOrEqual(r[i - 1]![1]);
    }
  });

  it('samples a middle too short for gaps of a block packed, as many blocks as fit', () => {
    // 32 KiB: head 16 KiB, tail 8 KiB, 8 KiB between: two 4 KiB blocks fill it (three overlapped before).
    expect(probePlan(32_768, DEFAULT_LIMITS)).toEqual({ head: 16_384, tail: 8_192, samples: [16_384, 20_480] });
    // Under two blocks between head and tail: none.
    expect(probePlan(30_000, DEFAULT_LIMITS).samples).toEqual([]);
  });

  it('spreads the samples over a large file at its quarters of the middle', () => {
    const size = 1 << 20;
    const room = size - 16_384 - 8_192;
    expect(probePlan(size, DEFAULT_LIMITS).samples).toEqual([1, 2, 3].map((i) => 16_384 + Math.floor((room * i) / 4)));
  });
});
