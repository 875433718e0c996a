/**
 * The overlap check of ZIP members' byte ranges: the answers of a plain
 * list search, whatever order the directory lists its members in, and a
 * directory in falling offset order no longer costs quadratic time.
 */
import { describe, expect, it } from 'vitest';
import { MemberRanges } from './zip-ranges.js';
import { rng } from './stream-codec.test-helper.js';

type Range = { start: number; end: number };

/** The reference: every earlier claim searched in turn; all the claims a new one overlaps. */
function naive(): (start: number, end: number) => Range[] | undefined {
  const claimed: Range[] = [];
  return (start, end) => {
    const hit = claimed.filter((c) => c.start < end && start < c.end);
    if (hit.length === 0) claimed.push({ start, end });
    return hit.length ? hit : undefined;
  };
}

describe('MemberRanges', () => {
  it('refuses exactly the claims a full search finds overlapping, and names one of the claims they overlap', () => {
    for (const seed of [1, 2, 3]) {
      const rnd = rng(seed);
      const ranges = new MemberRanges();
      const reference = naive();
      for (let i = 0; i < 5000; i++) {
        const start = Math.floor(rnd() * 200_000);
        const end = start + 30 + Math.floor(rnd() * (rnd() < 0.1 ? 2000 : 40));
        const got = ranges.claim(start, end);
        const want = reference(start, end);
        expect(got === undefined).toBe(want === undefined);
        if (got && want) expect(want).toContainEqual(got);
      }
    }
  });

  it('takes 300,000 disjoint claims in falling order and then refuses a claim over any of them', () => {
    // One sorted array took a splice at its front for each: a 1,000,000-record directory in falling
    // offset order stalled the scan for tens of minutes (200,000 records: 61 s, 100,000: 15 s).
    const ranges = new MemberRanges();
    const n = 300_000;
    for (let i = n - 1; i >= 0; i--) expect(ranges.claim(i * 64, i * 64 + 30)).toBeUndefined();
    expect(ranges.claim(64 * 1234 + 10, 64 * 1234 + 11)).toEqual({ start: 64 * 1234, end: 64 * 1234 + 30 });
    expect(ranges.claim(64 * 777 + 40, 64 * 777 + 63)).toBeUndefined();
    expect(ranges.claim(0, 64 * n)).toEqual({ start: 0, end: 30 });
  });
});
