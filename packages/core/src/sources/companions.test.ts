import { describe, expect, it } from 'vitest';
import { companionsOf, holdPlan } from './companions.js';

describe('companionsOf', () => {
  it('pairs a name with suffix companions and later volumes of the same folder', () => {
    const names = [
      'd/x.db',
      'd/x.db-wal',
      'd/x.db-journal',
      'd/x.dbx',
      'e/x.db-wal',
      'd/a.7z.001',
      'd/a.7z.002',
      'd/a.7z.004',
      'd/r.part1.rar',
      'd/r.part2.rar',
      'd/old.rar',
      'd/old.r00',
      'd/y',
      'd/y.crc',
    ];
    const c = companionsOf(names);
    expect(c.get('d/x.db')).toEqual(['d/x.db-wal', 'd/x.db-journal']);
    // The set stops at the first missing volume, as 7-Zip's opener does.
    expect(c.get('d/a.7z.001')).toEqual(['d/a.7z.002']);
    expect(c.get('d/r.part1.rar')).toEqual(['d/r.part2.rar']);
    expect(c.get('d/old.rar')).toEqual(['d/old.r00']);
    expect(c.get('d/y')).toEqual(['d/y.crc']);
    for (const none of ['d/x.db-wal', 'd/x.dbx', 'e/x.db-wal', 'd/a.7z.002', 'd/y.crc'])
      expect(c.get(none)).toBeUndefined();
  });

  it('takes no suffix longer than 32 characters, nor one without a separator first', () => {
    const long = `x${'.a'.repeat(17)}`;
    expect(companionsOf(['x', long]).get('x')).toBeUndefined();
    expect(companionsOf(['ab', 'abc']).get('ab')).toBeUndefined();
  });
});

describe('holdPlan', () => {
  const member = (name: string | undefined, size: number) => ({ ...(name ? { name } : {}), size });

  it('holds a member until its later companion, and counts the members between', () => {
    const plan = holdPlan([member('x.db', 100), member('x.db,old', 50), member('x.db-wal', 30)], 180);
    expect(plan.granted.get(0)).toEqual([2]);
    expect(plan.waitFor.get(0)).toBe(2);
    expect(plan.holders.get(2)).toBe(1);
    const tight = holdPlan([member('x.db', 100), member('x.db,old', 50), member('x.db-wal', 30)], 179);
    expect(tight.granted.size).toBe(0);
    expect(tight.refused.get(0)).toEqual({ names: ['x.db-wal'], bytes: 180 });
  });

  it('keeps an earlier companion past its turn, within the budget', () => {
    const plan = holdPlan([member('y.crc', 4096), member(undefined, 0), member('y', 4096)], 4096);
    expect(plan.granted.get(2)).toEqual([0]);
    expect(plan.waitFor.has(2)).toBe(false);
    expect(plan.holders.get(0)).toBe(1);
    expect(holdPlan([member('y.crc', 4097), member('y', 1)], 4096).refused.get(1)?.bytes).toBe(4097);
  });

  it('bounds overlapping held runs as one run: a member that would stretch it past the budget is refused', () => {
    // x.db waits for its -wal at 2; y, walked while it waits, would stretch the run to its .crc at 3 (40 bytes):
    // on its own y's run (30 bytes) would fit.
    const listing = ['x.db', 'y', 'x.db-wal', 'y.crc'].map((n) => member(n, 10));
    const plan = holdPlan(listing, 30);
    expect([...plan.granted.keys()]).toEqual([0]);
    expect(plan.refused.get(1)).toEqual({ names: ['y.crc'], bytes: 40 });
    expect([...holdPlan(listing, 40).granted.keys()]).toEqual([0, 1]);
  });

  it('gives a duplicated name nothing but its last copy (what an extractor keeps)', () => {
    const plan = holdPlan([member('x.db', 1), member('x.db', 1), member('x.db-wal', 1)], 100);
    expect([...plan.granted.keys()]).toEqual([1]);
  });
});
