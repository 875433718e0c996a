/**
 * A file's verdict does not depend on its folder being handed over packed by GNU tar: fixtures/archives/companions-in-tar
 * (generate.sh) holds a SQLite database with its -wal (the sqlite3 shell), an MMKV file with its .crc and a 7z
 * split in two volumes (7zz -v), in a folder (flat/) and in a TAR read in place, a TAR.GZ in the reverse order
 * (companions before the file) and a TAR.XZ, both streamed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { scanFixtures } from './scan-fixtures.test-helper.js';

/** What the item says of the file, without what the container says of the member (`details.container`). */
const verdict = (i: EvidenceItem | undefined) =>
  i && {
    status: i.classification.status,
    format: i.format?.id,
    reasons: i.classification.reasons.map((r) => r.code).sort(),
    errors: i.errors.map((e) => e.code).sort(),
    details: Object.fromEntries(Object.entries(i.details ?? {}).filter(([k]) => k !== 'container')),
    size: i.size,
  };

describe('companions inside a TAR, plain or compressed', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('archives/companions-in-tar');
  }, 120_000);

  const flat = () => [...items.keys()].filter((p) => p.startsWith('flat/')).map((p) => p.slice('flat/'.length));

  for (const archive of ['sorted.tar', 'readdir.tar.gz', 'sorted.tar.xz'])
    it(`gives every file in ${archive} the verdict it has in the folder`, () => {
      const inside = [...items.keys()].filter((p) => p.startsWith(`${archive}!/`));
      expect(inside.map((p) => p.slice(archive.length + 2)).sort()).toEqual(flat().sort());
      for (const p of flat())
        expect(verdict(items.get(`${archive}!/${p}`)), p).toEqual(verdict(items.get(`flat/${p}`)));
    });

  it('reads what the companions hold (so the comparison above compares something)', () => {
    const wal = items.get('sorted.tar.xz!/db/w.db')?.details?.['sqlite-wal'] as { wal?: { committedFrames?: number } };
    expect(wal?.wal?.committedFrames).toBeGreaterThan(0);
    expect(items.get('readdir.tar.gz!/mmkv/wrong-crc')?.errors.map((e) => e.code)).toContain('MMKV_CRC_MISMATCH');
    expect([...items.keys()].filter((p) => p.startsWith('readdir.tar.gz!/volumes/set.7z.001!/')).sort()).toEqual([
      'readdir.tar.gz!/volumes/set.7z.001!/docs/blob.bin',
      'readdir.tar.gz!/volumes/set.7z.001!/docs/notes.txt',
    ]);
  });

  it('hands the streamed items out in the order the archive holds them', () => {
    const order = [...items.keys()].filter((p) => /^readdir\.tar\.gz!\/[^!]*$/.test(p));
    expect(order).toEqual([...order].sort().reverse());
  });
});
