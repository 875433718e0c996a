import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { isoBmffBoxesParser, walkTopLevelBoxes } from './iso-bmff-boxes.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

// ffmpeg-made files (fixtures/iso-bmff-boxes/generate.sh): whole ones pass without a word; a cut one and one whose
// mdat size 0 swallows the moov are warnings.
testParser(
  isoBmffBoxesParser,
  {
    fixtures: new URL('../../fixtures/iso-bmff-boxes/', import.meta.url),
    format: 'mp4',
    valid: [
      {
        file: 'clip.mp4',
        status: 'analysable',
        details: { topLevelBoxes: 4, boxTypes: ['ftyp', 'free', 'mdat', 'moov'] },
      },
      { file: 'faststart.mov', status: 'analysable', format: 'mov' },
      { file: 'fragmented.mp4', status: 'analysable' },
      { file: 'tone.m4a', status: 'analysable', format: 'm4a' },
    ],
    invalid: [
      { file: 'cut.mp4', diagnostics: ['ISO_BMFF_BOX_DAMAGED'] },
      { file: 'swallowed.mp4', diagnostics: ['ISO_BMFF_NO_MOVIE'] },
    ],
  },
  { framework: { describe, it } },
);

const fixture = (name: string) => fs.readFileSync(new URL(`../../fixtures/iso-bmff-boxes/${name}`, import.meta.url));
const over = (b: Buffer) => (p: number, l: number) => Promise.resolve(b.subarray(p, p + l));

describe('the top-level box walk', () => {
  it('says where a cut file breaks off and what a swallowed moov leaves', async () => {
    const cut = fixture('cut.mp4');
    const walk = await walkTopLevelBoxes(cut.length, over(cut));
    expect(walk.damage).toMatch(
      /^box "moov" at offset 1357 declares 807 bytes and runs 607 bytes past the end of the file \(1557 bytes\)$/,
    );
    const swallowed = fixture('swallowed.mp4');
    expect(await walkTopLevelBoxes(swallowed.length, over(swallowed))).toEqual({
      types: ['ftyp', 'free', 'mdat'],
      boxes: 3,
      movie: false,
    });
  });

  it('a size below its header, a 64-bit size cut off, and 100,000 empty-looking boxes are bounded', async () => {
    const b = Buffer.from(fixture('clip.mp4'));
    b.writeUInt32BE(7, 0);
    expect((await walkTopLevelBoxes(b.length, over(b))).damage).toMatch(
      /declares 7 bytes, less than its 8-byte header/,
    );
    const large = Buffer.concat([Buffer.from('00000001', 'hex'), Buffer.from('mdat'), Buffer.alloc(4)]);
    expect((await walkTopLevelBoxes(large.length, over(large))).damage).toMatch(/64-bit size the file ends before/);
    const many = Buffer.alloc(8 * 100_000);
    for (let at = 0; at < many.length; at += 8) many.write('\x00\x00\x00\x08free', at, 'latin1');
    const walk = await walkTopLevelBoxes(many.length, over(many));
    expect(walk.boxes).toBe(10_000);
    expect(walk.damage).toBeUndefined();
  });

  it('fixed-seed mutants of a real file: a result, never a throw', async () => {
    const base = fixture('clip.mp4');
    const noise = seededBytes(4141, 600);
    for (let i = 0; i < 300; i++) {
      const b = Buffer.from(base);
      b[(noise[2 * i]! * 9) % b.length] = noise[2 * i + 1]!;
      b[(noise[2 * i]! * 131 + i * 7) % b.length] = noise[2 * i + 1]! ^ 0xff;
      const walk = await walkTopLevelBoxes(b.length, over(b));
      expect(walk.boxes).toBeLessThanOrEqual(10_000);
    }
  });
});
