import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plan9HeaderHolds } from './plan9-aout.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

// Written from the a.out(6) layout by fixtures/libmagic/generate.sh; Go's debug/plan9obj reads it.
const aout = fs.readFileSync(new URL('../../fixtures/libmagic/plan9-386.aout', import.meta.url));

describe('plan9HeaderHolds (fixtures/libmagic/plan9-386.aout)', () => {
  it("adds the header and segment sizes up to the file's size", () => {
    expect(plan9HeaderHolds(aout, aout.length)).toEqual({ header: 32, text: 12, data: 8, symbols: 0 });
    expect(plan9HeaderHolds(aout, aout.length + 1)).toBeUndefined();
  });

  it('reads the 64-bit header (HDR_MAGIC bit, an 8-byte entry point after the eight words)', () => {
    // amd64's magic 0x8A97: machine 26 with the HDR_MAGIC bit; the header is 40 bytes.
    const wide = Buffer.alloc(40 + 16);
    wide.writeUInt32BE(0x8a97, 0);
    wide.writeUInt32BE(16, 4);
    expect(plan9HeaderHolds(wide, wide.length)?.header).toBe(40);
    expect(plan9HeaderHolds(wide, wide.length - 8)).toBeUndefined();
  });

  it('refuses a magic that is no machine number, and an empty text segment', () => {
    const other = Buffer.from(aout);
    other.writeUInt32BE(0x1ec, 0);
    expect(plan9HeaderHolds(other, other.length)).toBeUndefined();
    const empty = Buffer.alloc(32);
    empty.writeUInt32BE(0x1eb, 0);
    expect(plan9HeaderHolds(empty, 32)).toBeUndefined();
  });

  it('never throws on damaged, cut or random bytes', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const mutated = Buffer.from(aout);
      const noise = seededBytes(seed, 8);
      for (let k = 0; k < 4; k++) mutated[noise[k]! % mutated.length] = noise[k + 4]!;
      const cut = mutated.subarray(0, seed % (mutated.length + 1));
      expect(() => plan9HeaderHolds(cut, mutated.length)).not.toThrow();
      const random = seededBytes(seed * 7919, 32 + seed);
      expect(plan9HeaderHolds(random, random.length)).toBeUndefined();
    }
  });
});
