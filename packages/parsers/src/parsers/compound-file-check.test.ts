/**
 * The whole-structure check of a compound file (compound-file-check.ts): silent on real files, and on each
 * regression input (fixtures/ole2-encryption/damaged/, mutants of files made by ssconvert, gsf createole and wixl
 * that passed without a word before) it names the breach; through the parser it is a CFB_DAMAGED warning and
 * the verdict stands. Fixed-seed field mutants of real files never make the check throw or run away.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CompoundFileError, readCompoundFile } from './compound-file.js';
import { codes, scanFixtures } from '../scan-fixtures.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

const fixture = (name: string) => fs.readFileSync(new URL(`../../fixtures/ole2-encryption/${name}`, import.meta.url));

const DAMAGED: Array<[string, RegExp]> = [
  ['streams@dir1-child=1.cfb', /stream "big\.txt" \(entry 1\) has a child \(1\)/],
  ['streams@dir1-start=2147483647.cfb', /chain of stream "big\.txt" \(entry 1\) points outside the file/],
  [
    'streams@dir2-size=4294967295.cfb',
    /sector 0 belongs to both stream "big\.txt" \(entry 1\) and stream "small\.txt"/,
  ],
  ['streams@minifat-sector-count=4294967292.cfb', /header counts 4294967292 mini FAT sectors and the chain has 1/],
  ['book@mini-stream-cutoff=4095.xls', /mini stream cutoff is 4095 \(must be 4,096\)/],
  ['book@dir2-type-colour=32767.xls', /entry 2 is reached from the root and has type 255/],
  ['book@difat-1=4294967292.xls', /DIFAT slot 1 \(past the 1 FAT sectors\) holds 4294967292/],
  ['streams@fat-dir0-next=4294967295.cfb', /the directory's chain ends in 4294967295, not ENDOFCHAIN/],
  ['book@dir3-size=0.xls', /SummaryInformation" \(entry 3\) declares 0 bytes and starts at sector 37/],
  ['demo@dir10-start=0.msi', /mini sector 0 belongs to both stream .* \(entry 1\) and stream .* \(entry 10\)/],
];

describe('compound-file structure check', () => {
  it('finds nothing in real files (cfb library, wixl, Office-made cut documents aside)', () => {
    for (const name of ['word-clear.doc', 'excel-clear.xls', 'powerpoint-clear.ppt', 'wixl-demo.msi', 'plain.msg'])
      expect(readCompoundFile(fixture(name)).problems(8), name).toEqual([]);
  });

  it('names the breach in each regression input', () => {
    for (const [name, why] of DAMAGED) {
      const problems = readCompoundFile(fixture(`damaged/${name}`)).problems(3);
      expect(problems.join('; '), name).toMatch(why);
    }
  });

  it('is a CFB_DAMAGED warning through the parser, the verdict kept', async () => {
    const items = await scanFixtures('ole2-encryption');
    for (const [name] of DAMAGED) {
      const item = items.get(`damaged/${name}`);
      expect(
        item?.errors.map((e) => [e.code, e.severity]),
        name,
      ).toEqual([['CFB_DAMAGED', 'warning']]);
      expect(item?.classification.status, name).toBe('analysable');
    }
    expect(codes(items.get('damaged/book@mini-stream-cutoff=4095.xls'))).toContain('EXCEL_NO_FILEPASS');
    expect(items.get('wixl-demo.msi')?.errors).toEqual([]);
  });

  it('fixed-seed mutants of real files: the reader throws its own error or the check returns, bounded', () => {
    const bases = ['wixl-demo.msi', 'damaged/streams@dir1-child=1.cfb', 'excel-clear.xls'].map(fixture);
    const noise = seededBytes(41_41, 3 * 400 * 3);
    let k = 0;
    let checked = 0;
    for (const base of bases)
      for (let i = 0; i < 400; i++) {
        const b = Buffer.from(base);
        // Header and directory fields lie in the first sectors: mutate there mostly, anywhere sometimes.
        for (let j = 0; j < 3; j++) {
          const at = (noise[k++]! * 7919 + i * 131) % (i % 4 === 0 ? b.length : Math.min(b.length, 2048));
          b[at] = noise[k - 1]! ^ (i & 0xff);
        }
        try {
          const problems = readCompoundFile(b).problems(8);
          expect(problems.length).toBeLessThanOrEqual(8);
          checked++;
        } catch (err) {
          expect(err).toBeInstanceOf(CompoundFileError);
        }
      }
    expect(checked).toBeGreaterThan(100);
  });
});
