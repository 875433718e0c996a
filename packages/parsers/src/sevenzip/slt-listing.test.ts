import { describe, expect, it } from 'vitest';
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
