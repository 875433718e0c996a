import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lzhStaticHuffmanStart } from './lzh-start.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

const fixture = (path: string) => new Uint8Array(fs.readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));

describe('the first block of a headerless LHA stream', () => {
  it("reads lhasa's -lh5- and -lh6- test vectors: three code tables, each a Huffman code", () => {
    expect(lzhStaticHuffmanStart(fixture('statistics/lhasa-lh5.bin'))).toEqual({
      method: '-lh5-',
      blockCommands: 4708,
      tempCodes: 13,
      commandCodes: 110,
      offsetCodes: 13,
      headerBits: 587,
    });
    expect(lzhStaticHuffmanStart(fixture('statistics/lhasa-lh6.bin'))).toMatchObject({
      method: '-lh6- or -lh7-',
      blockCommands: 4390,
      commandCodes: 111,
    });
  });

  it("finds jlha's -lh5- member where its data starts in the archive, and at no other offset", () => {
    const archive = fixture('lha/level0.lzh');
    const starts: number[] = [];
    for (let at = 0; at < archive.length; at++) if (lzhStaticHuffmanStart(archive.subarray(at))) starts.push(at);
    // A level-0 header: its size byte plus 2, here 33 (the name notes.txt).
    expect(starts).toEqual([archive[0]! + 2]);
  });

  it('takes none of 20,000 seeded random buffers', () => {
    let found = 0;
    for (let i = 0; i < 20000; i++) if (lzhStaticHuffmanStart(seededBytes(i + 45, 64 + (i % 1024)))) found++;
    expect(found).toBe(0);
  });

  it('refuses the stream once a code table no longer fills its code space, or it is cut inside the tables', () => {
    const lh5 = fixture('statistics/lhasa-lh5.bin');
    expect(lzhStaticHuffmanStart(lh5.subarray(0, 60))).toBeUndefined();
    // Each bit of the block header flipped in turn (after the command count): the tables no longer add up.
    let refused = 0;
    for (let bit = 16; bit < 587; bit++) {
      const copy = lh5.slice(0, 100);
      copy[bit >> 3] = copy[bit >> 3]! ^ (0x80 >> (bit & 7));
      if (!lzhStaticHuffmanStart(copy)) refused++;
    }
    // A flipped bit in the header seldom leaves three exact Kraft sums (a few flips in skip counts can).
    expect(refused).toBeGreaterThan(540);
  });
});
