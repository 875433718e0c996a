import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readMbdb } from './ios-mbdb.js';

const fixture = (name: string) =>
  fs.readFileSync(new URL(`../../../../test/containers/fixtures/${name}/Manifest.mbdb`, import.meta.url));

describe('Manifest.mbdb reader', () => {
  it('lists regular files with their stored names, skipping directories', () => {
    const read = readMbdb(fixture('ios-backup-legacy-plain'));
    expect(read.problem).toBeUndefined();
    expect(read.files.map((f) => [f.fileId, `${f.domain}/${f.path}`, f.wrappedKey])).toEqual([
      ['3d0d7e5fb2ce288813306e4d4636395e047a3d28', 'HomeDomain/Library/SMS/sms.db', false],
      ['d46c91af097d8ea8c13f56bb0ea882325dc7d0e9', 'CameraRollDomain/Media/DCIM/100APPLE/IMG_0002.JPG', false],
    ]);
  });

  it('sees the wrapped keys of an encrypted backup', () => {
    expect(readMbdb(fixture('ios-backup-legacy-encrypted')).files.every((f) => f.wrappedKey)).toBe(true);
  });

  it('ends a damaged list with a problem, never a throw (cuts and flips)', () => {
    const seed = fixture('ios-backup-legacy-encrypted');
    expect(readMbdb(Buffer.from('not an mbdb')).problem).toMatch(/header/);
    for (let cut = 0; cut < seed.length; cut++) {
      const read = readMbdb(seed.subarray(0, cut));
      expect(read.files.length).toBeLessThanOrEqual(2);
    }
    let state = 7;
    for (let n = 0; n < 500; n++) {
      const m = Buffer.from(seed);
      for (let k = 0; k < 4; k++) {
        state = (state * 1103515245 + 12345) & 0x7fffffff;
        m[state % m.length] = state & 0xff;
      }
      expect(() => readMbdb(m)).not.toThrow();
    }
    expect(readMbdb(seed, 1).problem).toMatch(/more than 1 records/);
  });
});
