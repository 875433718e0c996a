import { describe, expect, it } from 'vitest';
import { compileDispatch } from './dispatch.js';
import type { Probe, Signature } from '../plugin/types.js';

/** A probe of `bytes` as a small whole file (head = bytes), or with a separate tail. */
function probe(bytes: Uint8Array | string, tail: Uint8Array | string = new Uint8Array(0)): Probe {
  const head = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const t = typeof tail === 'string' ? Buffer.from(tail, 'latin1') : tail;
  return {
    path: 'x',
    logicalPath: 'x',
    name: 'x',
    extension: '',
    size: head.length + t.length,
    head,
    tail: t,
    samples: [],
    complete: t.length === 0,
  };
}

const detectors: Array<readonly Signature[] | undefined> = [
  [{ offset: 0, ascii: 'SQLite format 3\0' }],
  [
    { offset: 0, hex: '504b0304' },
    { offset: 0, hex: '504b0506' },
  ], // two magics at the same offset, one first byte
  [{ offset: 257, ascii: 'ustar' }],
  [{ offset: 0, ascii: '%PDF-', within: 1019 }],
  [{ offset: 0, ascii: 'koly', fromEnd: true, within: 0 }],
  [{ offset: 0, hex: 'cafe', fromEnd: true, within: 4 }],
  undefined, // declares none: always called
  [], // declares an empty list: never called
];

const called = (p: Probe) => [...compileDispatch(detectors).candidates(p)].flatMap((v, i) => (v ? [i] : []));

describe('dispatch table', () => {
  it('calls a detector only when one of its signatures matches, and always those without any', () => {
    expect(called(probe('SQLite format 3\0rest'))).toEqual([0, 6]);
    expect(called(probe('PK\x05\x06'))).toEqual([1, 6]);
    expect(called(probe('PK\x03\x04'))).toEqual([1, 6]);
    expect(called(probe('PK\x01\x02'))).toEqual([6]); // same first byte, other bytes: no
    expect(called(probe('random bytes'))).toEqual([6]);
    expect(called(probe(''))).toEqual([6]);
  });

  it('anchors at any offset of the head, and not past its end', () => {
    const tar = Buffer.alloc(512);
    tar.write('ustar', 257, 'latin1');
    expect(called(probe(tar))).toEqual([2, 6]);
    expect(called(probe(tar.subarray(0, 260)))).toEqual([6]); // the magic would run past the head
  });

  it('searches a window: the bytes may start anywhere from offset to offset + within', () => {
    expect(called(probe(`${' '.repeat(1019)}%PDF-1.7`))).toEqual([3, 6]);
    expect(called(probe(`${' '.repeat(1020)}%PDF-1.7`))).toEqual([6]); // starts one byte too late
  });

  it('anchors at the end of the tail (or of the head when it is the whole file), with a window too', () => {
    expect(called(probe('data...koly'))).toEqual([4, 6]);
    expect(called(probe('head', 'tail bytes koly'))).toEqual([4, 6]);
    expect(called(probe('head', 'koly tail'))).toEqual([6]);
    expect(called(probe('x\xca\xfe1234'))).toEqual([5, 6]); // ends 4 bytes before the end
    expect(called(probe('x\xca\xfe12345'))).toEqual([6]); // 5 bytes: outside the window
  });
  it('searches short and long windows alike, up to the last start and not past the head', () => {
    // A window of 32 starts is compared in place, one of 2,000 searched natively: the same rule for both.
    const sigs: Array<readonly Signature[]> = [
      [{ offset: 4, ascii: 'MAGIC', within: 32 }],
      [{ offset: 4, ascii: 'MAGIC', within: 2000 }],
    ];
    const table = compileDispatch(sigs);
    const at = (n: number, headLength = 4096) => {
      const head = Buffer.alloc(headLength, 0x20);
      if (n + 5 <= headLength) head.write('MAGIC', n, 'latin1');
      return [...table.candidates(probe(head))].flatMap((v, i) => (v ? [i] : []));
    };
    expect(at(3)).toEqual([]); // before the offset
    expect(at(4)).toEqual([0, 1]);
    expect(at(36)).toEqual([0, 1]); // the last start of the short window
    expect(at(37)).toEqual([1]);
    expect(at(2004)).toEqual([1]); // the last start of the long one
    expect(at(2005)).toEqual([]);
    expect(at(95, 100)).toEqual([1]); // ends at the head's end
    expect(at(96, 100)).toEqual([]); // would run past it
  });

  it('searches short and long windows from the end alike, down to the first start and not before the tail', () => {
    // A footer within the last 32 starts is compared in place, one within 16 KiB searched natively.
    const sigs: Array<readonly Signature[]> = [
      [{ offset: 2, fromEnd: true, hex: '504b0506', within: 32 }],
      [{ offset: 2, fromEnd: true, hex: '504b0506', within: 16384 }],
    ];
    const table = compileDispatch(sigs);
    /** A 20 KiB tail with the needle ending `back` bytes before its end. */
    const at = (back: number, tailLength = 20480) => {
      const tail = Buffer.alloc(tailLength, 0x20);
      const start = tailLength - back - 4;
      if (start >= 0) tail.writeUInt32BE(0x504b0506, start);
      return [...table.candidates(probe('head', tail))].flatMap((v, i) => (v ? [i] : []));
    };
    expect(at(1)).toEqual([]); // after the offset's last start
    expect(at(2)).toEqual([0, 1]);
    expect(at(34)).toEqual([0, 1]); // the short window's first start
    expect(at(35)).toEqual([1]);
    expect(at(16386)).toEqual([1]); // the long one's first start
    expect(at(16387)).toEqual([]);
    expect(at(96, 100)).toEqual([1]); // starts at the tail's first byte
    expect(at(97, 100)).toEqual([]); // would start before it
  });

  it('finds a needle that begins with zero bytes only where all of them are there', () => {
    // UTF-16BE "<plist": searched from its first non-zero byte, then the zeros before it are checked.
    const be = Buffer.from('<plist', 'utf16le').swap16();
    const table = compileDispatch([[{ offset: 0, hex: be.toString('hex'), within: Number.MAX_SAFE_INTEGER }]]);
    const has = (head: Buffer) => table.candidates(probe(head))[0] === 1;
    const head = Buffer.alloc(3000, 0x41);
    be.copy(head, 1500);
    expect(has(head)).toBe(true);
    head[1500] = 0x41; // the leading zero gone: UTF-16LE's bytes from there on, not BE's
    expect(has(head)).toBe(false);
    be.copy(head, 0);
    expect(has(head)).toBe(true); // at the very start (nothing before the zero)
    expect(has(be.subarray(1))).toBe(false);
  });
});
