import { describe, expect, it } from 'vitest';
import { ThriftCursor } from './thrift-compact.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

describe('Thrift compact reader', () => {
  it('reads field ids by delta and by zigzag varint, values skipped by type', () => {
    // field 1 i32 (150), field 3 binary "ab", field 300 (long form) bool true, stop
    const bytes = Uint8Array.from([0x15, 0xac, 0x02, 0x28, 0x02, 0x61, 0x62, 0x01, 0xd8, 0x04, 0x00]);
    const seen: number[] = [];
    expect(new ThriftCursor(bytes).struct((id) => (seen.push(id), 'skip'))).toBe(true);
    expect(seen).toEqual([1, 3, 300]);
  });

  it('ends on every one of 5,000 seeded random buffers, and refuses nesting past its bound', () => {
    for (let seed = 1; seed <= 5000; seed++) {
      const c = new ThriftCursor(seededBytes(seed * 7907, 64 + (seed % 2048)));
      expect(typeof c.struct(() => 'skip')).toBe('boolean');
    }
    // A struct in a struct in a struct ... 100,000 deep: refused, not a stack overflow.
    expect(new ThriftCursor(new Uint8Array(100_000).fill(0x1c)).struct(() => 'skip')).toBe(false);
    // A binary longer than the buffer: refused.
    expect(new ThriftCursor(Uint8Array.from([0x18, 0xff, 0x7f, 0x00])).struct(() => 'skip')).toBe(false);
  });
});
