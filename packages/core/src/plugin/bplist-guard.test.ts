/**
 * The binary plist check: real plists written by the `plist` package pass
 * and decode; hostile object tables are refused with a code saying why.
 */
import { buildBinary } from 'plist';
import { describe, expect, it } from 'vitest';
import { checkBinaryPlist } from './bplist-guard.js';
import { decodePlist } from './plist.js';

/** bplist00 from raw objects, 1-byte references, 2-byte offsets; the trailer fields can lie. */
function bplist(objects: number[][], opts: { top?: number; count?: number } = {}): Buffer {
  const head = Buffer.from('bplist00', 'latin1');
  const offsets: number[] = [];
  let at = head.length;
  for (const o of objects) {
    offsets.push(at);
    at += o.length;
  }
  const table = Buffer.alloc(offsets.length * 2);
  offsets.forEach((o, i) => table.writeUInt16BE(o, i * 2));
  const trailer = Buffer.alloc(32);
  trailer[6] = 2;
  trailer[7] = 1;
  trailer.writeBigUInt64BE(BigInt(opts.count ?? objects.length), 8);
  trailer.writeBigUInt64BE(BigInt(opts.top ?? 0), 16);
  trailer.writeBigUInt64BE(BigInt(at), 24);
  return Buffer.concat([head, ...objects.map((o) => Buffer.from(o)), table, trailer]);
}
const codeOf = (b: Buffer) => {
  try {
    checkBinaryPlist(b);
    return 'OK';
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe('checkBinaryPlist', () => {
  it('passes real binary plists, which then decode', () => {
    const value = {
      name: 'evtriage',
      list: [1, 2, 3, { nested: true }],
      data: Buffer.from('abc'),
      when: new Date('2020-01-01T00:00:00Z'),
    };
    const bytes = Buffer.from(buildBinary(value as never));
    expect(codeOf(bytes)).toBe('OK');
    expect(decodePlist(bytes)).toMatchObject({ name: 'evtriage', list: [1, 2, 3, { nested: true }] });
  });

  it('passes shared references that expand modestly (an object used twice)', () => {
    expect(
      codeOf(
        bplist([
          [0xa2, 1, 1],
          [0x51, 0x41],
        ]),
      ),
    ).toBe('OK');
  });

  it('refuses cycles, out-of-range references, lying trailers and exponential sharing, with a code', () => {
    expect(
      codeOf(
        bplist([
          [0xa1, 1],
          [0xa1, 0],
        ]),
      ),
    ).toBe('PLIST_CYCLE');
    expect(codeOf(bplist([[0xa1, 0]]))).toBe('PLIST_CYCLE');
    expect(
      codeOf(
        bplist([
          [0xa1, 9],
          [0x51, 0x41],
        ]),
      ),
    ).toBe('PLIST_BAD_REFERENCE');
    expect(codeOf(bplist([[0x51, 0x41]], { top: 5 }))).toBe('PLIST_BAD_REFERENCE');
    // A dictionary {["A"]: "A"}: an array as a key. A number as a key is read (CoreFoundation reads primitives).
    expect(
      codeOf(
        bplist([
          [0xd1, 1, 2],
          [0xa1, 2],
          [0x51, 0x41],
        ]),
      ),
    ).toBe('PLIST_BAD_KEY');
    expect(
      codeOf(
        bplist([
          [0xd1, 1, 2],
          [0x10, 3],
          [0x51, 0x41],
        ]),
      ),
    ).toBe('OK');
    expect(codeOf(bplist([[0x51, 0x41]], { count: 2 ** 40 }))).toBe('PLIST_LIMIT');
    expect(codeOf(bplist([[0x5f, 0x13, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff]]))).toBe('PLIST_BAD_OBJECT');
    const chain = Array.from({ length: 40 }, (_, i) => (i < 39 ? [0xa2, i + 1, i + 1] : [0x51, 0x41]));
    expect(codeOf(bplist(chain))).toBe('PLIST_LIMIT');
    expect(codeOf(Buffer.from('bplist00'))).toBe('PLIST_TRUNCATED');
  });

  it('refuses nesting deeper than the limit (the decoder recurses once per level)', () => {
    const deep = Array.from({ length: 300 }, (_, i) => (i < 299 ? [0xa1, i + 1] : [0x51, 0x41]));
    // 300 objects need 2-byte references; rebuild with refSize 2 by hand.
    const objs = deep.map((o, i) => (i < 299 ? [0xa1, ((i + 1) >> 8) & 0xff, (i + 1) & 0xff] : o));
    const b = bplist(objs);
    b[b.length - 32 + 7] = 2;
    expect(codeOf(b)).toBe('PLIST_LIMIT');
  });
});
