/**
 * A file's verdict does not depend on its folder being handed over packed: fixtures/archives/companions-in-archives
 * (generate.sh) holds a SQLite database with its -wal (the sqlite3 shell), an MMKV file with its .crc and a 7z
 * split in two volumes (7zz -v), in a folder (flat/) and in GNU tar's TAR (read in place), TAR.GZ in the reverse
 * order (companions before the file) and TAR.XZ (both streamed), a 7z of one file a solid block (each companion
 * extracted from a block of its own) and a cpio (both through 7-Zip).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type EvidenceItem, type SourceEntry } from '@evtriage/core';
import { memoryEntry } from './memory-entry.test-helper.js';
import { fixtureDir, scanFixtures } from './scan-fixtures.test-helper.js';
import { sevenZipContainerWith } from './sevenzip/sevenzip-container.js';

const FIX = path.join(fixtureDir('archives'), 'companions-in-archives');

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

describe('companions inside TAR, TAR.GZ, TAR.XZ, 7z and cpio archives', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('archives/companions-in-archives');
  }, 120_000);

  const flat = () => [...items.keys()].filter((p) => p.startsWith('flat/')).map((p) => p.slice('flat/'.length));

  for (const archive of ['sorted.tar', 'readdir.tar.gz', 'sorted.tar.xz', 'blocks.7z', 'sorted.cpio'])
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

describe('a companion in another 7z block', () => {
  /** blocks.7z's entries, walked whole before any is read (a slow pipeline), through 7-Zip with `budget`. */
  async function walk(budget?: number): Promise<{ entries: SourceEntry[]; close: () => Promise<void> }> {
    const archive = { path: 'blocks.7z', errors: [], classification: { reasons: [] }, format: { id: '7z' } };
    const source = await sevenZipContainerWith(undefined, undefined, budget).open(
      memoryEntry(fs.readFileSync(path.join(FIX, 'blocks.7z')), 'blocks.7z'),
      archive as unknown as EvidenceItem,
      { limits: DEFAULT_LIMITS, budget: { expanded: 0, take: () => true }, depth: 1 },
    );
    const entries: SourceEntry[] = [];
    for await (const e of source.entries()) entries.push(e);
    return { entries, close: () => source.close() };
  }

  it('is read from its own block, even after its own turn was let go', async () => {
    const { entries, close } = await walk();
    try {
      const at = (p: string) => entries.find((e) => e.path === p)!;
      at('db/w.db-wal').release?.();
      at('mmkv/wrong-crc.crc').release?.();
      expect(await at('db/w.db').readSibling!('-wal', 1 << 20)).toEqual(
        fs.readFileSync(path.join(FIX, 'flat/db/w.db-wal')),
      );
      expect(await at('mmkv/wrong-crc').readSibling!('.crc', 1 << 20)).toEqual(
        fs.readFileSync(path.join(FIX, 'flat/mmkv/wrong-crc.crc')),
      );
      await expect(at('db/w.db').readSibling!('-wal', 100)).rejects.toMatchObject({ code: 'SIBLING_TOO_LARGE' });
      const volume = await at('volumes/set.7z.001').openSibling!('set.7z.002');
      expect(volume?.size).toBe(fs.statSync(path.join(FIX, 'flat/volumes/set.7z.002')).size);
      await volume?.close();
      for (const e of entries) e.release?.();
    } finally {
      await close();
    }
  });

  it('is not extracted ahead of its turn from a block past the budget, and the member says why', async () => {
    const { entries, close } = await walk(1000);
    try {
      const db = entries.find((e) => e.path === 'db/w.db')!;
      expect(db.facts?.problems?.map((p) => p.code)).toEqual(['COMPANION_NOT_HELD']);
      expect(db.facts!.problems![0]!.message).toMatch(
        /"db\/w\.db-wal" lie in another solid block .* 1000-byte companion budget/,
      );
      expect(await db.readSibling?.('-wal', 1 << 20)).toBeUndefined();
      // The .crc's block (4096 bytes) is past it too; no member is left out.
      expect(entries.map((e) => e.path).sort()).toEqual([
        'db/w.db',
        'db/w.db-wal',
        'mmkv/wrong-crc',
        'mmkv/wrong-crc.crc',
        'volumes/set.7z.001',
        'volumes/set.7z.002',
      ]);
      for (const e of entries) e.release?.();
    } finally {
      await close();
    }
  });
});
