import { describe, expect, it } from 'vitest';
import { declaredDecoderBytes } from './sevenzip-members.js';
import { parseSltListing, sltNumber, sltTime } from './slt-listing.js';

describe("7-Zip's technical listing", () => {
  it('reads the archive block, the member records and the problems 7-Zip reported', () => {
    const stdout = [
      'Listing archive: /in/a.7z',
      '',
      '--',
      'Path = /in/a.7z',
      'Type = 7z',
      'Solid = +',
      '',
      '----------',
      'Path = a.txt',
      'Size = 12',
      'CRC = ',
      '',
      'Path = b.txt',
      'Size = 3',
      '',
      'Errors: 1',
    ].join('\n');
    const l = parseSltListing(stdout, 'ERROR: /in/a.7z : /in/a.7z\nERRORS:\nHeaders Error\n');
    expect(l.archive.get('Type')).toBe('7z');
    expect(l.members.map((m) => [m.get('Path'), m.get('Size'), m.get('CRC')])).toEqual([
      ['a.txt', '12', ''],
      ['b.txt', '3', undefined],
    ]);
    expect(l.problems).toEqual(['Headers Error']);
  });

  it("reads the archive's error flags 7-Zip prints one a line under ERRORS: and WARNINGS:, and where it found the archive", () => {
    // 7zz 26.02 on a GNU cpio (newc) whose second header's name size was set to 3: one member of two listed.
    const stdout = [
      'Listing archive: /in/x.cpio',
      '',
      '--',
      'Path = /in/x.cpio',
      'Type = Cpio',
      'ERRORS:',
      'Headers Error',
      'WARNINGS:',
      'There are data after the end of archive',
      'Offset = 316',
      'Physical Size = 316',
      'Tail Size = 708',
      '',
      '----------',
      'Path = a.txt',
      'Size = 200',
      '',
      'Warnings: 1',
      'Errors: 1',
    ].join('\n');
    const l = parseSltListing(stdout, '');
    expect(l.members).toHaveLength(1);
    expect(l.problems).toEqual([
      'error: Headers Error',
      'warning: There are data after the end of archive',
      'warning: the archive starts at byte 316; the 316 bytes before it are not read as members',
    ]);
  });

  it('turns its local times into UTC and keeps the 100 ns digits; refuses what is not a time or a number', () => {
    const local = new Date(2024, 4, 1, 12, 0, 0).toISOString().slice(0, 19);
    expect(sltTime('2024-05-01 12:00:00.1234500')).toBe(`${local}.12345Z`);
    expect(sltTime('2024-05-01 12:00:00')).toBe(`${local}Z`);
    expect(sltTime('')).toBeUndefined();
    expect(sltTime('1500-01-01 00:00:00')).toBeUndefined();
    expect(sltNumber('12')).toBe(12);
    expect(sltNumber('')).toBeUndefined();
    expect(sltNumber('99999999999999999999')).toBeUndefined();
  });
});

describe('the memory a listed method declares', () => {
  it('reads powers of two and sizes with a unit, as 7-Zip prints them', () => {
    expect(declaredDecoderBytes('LZMA:24')).toBe(16 * 1024 * 1024);
    expect(declaredDecoderBytes('LZMA2:24m')).toBe(24 * 1024 * 1024);
    expect(declaredDecoderBytes('LZMA2:12 7zAES:19')).toBe(2 ** 19);
    expect(declaredDecoderBytes('m3:22')).toBe(4 * 1024 * 1024);
    expect(declaredDecoderBytes('v6:m5:1M')).toBe(1024 * 1024);
    expect(declaredDecoderBytes('BCJ2 LZMA:1536m')).toBe(1536 * 1024 * 1024);
    expect(declaredDecoderBytes('PPMD:o6:mem192m')).toBe(192 * 1024 * 1024);
    expect(declaredDecoderBytes('PPMD:o32:mem31')).toBe(2 ** 31);
    expect(declaredDecoderBytes('Copy')).toBe(0);
    expect(declaredDecoderBytes('')).toBe(0);
  });
});
