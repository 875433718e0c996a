import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '../index.js';
import { fixtureDir, scanFixtures } from '../scan-fixtures.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { laterVolumeNamer } from '@evtriage/core/internal-readers';

// fixtures/sevenzip/nested-volumes (generate.sh): a 7z split into two volumes, in a folder and inside ZIPs.
const verdict = (i: EvidenceItem | undefined) =>
  i && {
    status: i.classification.status,
    format: i.format?.id,
    errors: i.errors.map((e) => e.code).sort(),
    size: i.size,
  };
const membersUnder = (items: Map<string, EvidenceItem>, prefix: string): string[] =>
  [...items.keys()].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));

describe('a split 7z inside a ZIP is read with its later volumes, as in a folder', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('sevenzip/nested-volumes');
  }, 60_000);

  it('gives every member the verdict it has when the volumes lie in a folder', () => {
    const flat = membersUnder(items, 'flat/set.7z.001!/');
    expect(flat.sort()).toEqual(['docs/blob.bin', 'docs/case.json', 'docs/notes.txt']);
    const inZip = 'in-zip/volumes.zip!/set.7z.001!/';
    expect(membersUnder(items, inZip).sort()).toEqual(flat);
    for (const m of flat) expect(verdict(items.get(inZip + m))).toEqual(verdict(items.get(`flat/set.7z.001!/${m}`)));
    expect(items.get(`${inZip}docs/blob.bin`)?.size).toBe(3000);
    expect(verdict(items.get('in-zip/volumes.zip!/set.7z.001'))).toEqual(verdict(items.get('flat/set.7z.001')));
  });

  it('does not read a set whose later volume is missing or encrypted, and says why on the first volume', () => {
    for (const zip of ['first-only.zip', 'second-encrypted.zip']) {
      const first = items.get(`in-zip/${zip}!/set.7z.001`);
      expect(first?.errors.map((e) => e.code)).toContain('ARCHIVE_UNREADABLE');
      expect(membersUnder(items, `in-zip/${zip}!/set.7z.001!/`)).toEqual([]);
    }
    expect(items.get('in-zip/second-encrypted.zip!/set.7z.002')?.classification.status).toBe('encrypted');
  });
});

describe('laterVolumeNamer', () => {
  it('names the volumes 7-Zip looks for after a first one', () => {
    const seven = laterVolumeNamer('a.7z.001')!;
    expect([1, 2, 998].map(seven)).toEqual(['a.7z.002', 'a.7z.003', 'a.7z.999']);
    expect(laterVolumeNamer('b.zip.1')!(1)).toBe('b.zip.2');
    const rar5 = laterVolumeNamer('c.part01.rar')!;
    expect([1, 9].map(rar5)).toEqual(['c.part02.rar', 'c.part10.rar']);
    const oldRar = laterVolumeNamer('d.rar')!;
    expect([1, 2, 100, 101].map(oldRar)).toEqual(['d.r00', 'd.r01', 'd.r99', 'd.s00']);
  });

  it('names nothing after a later volume or an archive that is no first volume', () => {
    for (const name of ['a.7z.002', 'c.part2.rar', 'x.7z', 'y.zip', 'z.tar.gz', '001', '.001'])
      expect(laterVolumeNamer(name)).toBeUndefined();
  });
});

describe('fuzz: a split 7z inside a mutated ZIP', () => {
  it('gives every item a verdict, and errors only as coded per-item errors', async () => {
    const zip = fs.readFileSync(path.join(fixtureDir('sevenzip'), 'nested-volumes/in-zip/volumes.zip'));
    const noise = seededBytes(0x43c, 16 * 1024);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nested-volumes-fuzz-'));
    let k = 0;
    const next = () => noise[k++ % noise.length]!;
    const read = new Set<number>();
    try {
      for (let round = 0; round < 24; round++) {
        const bytes = Buffer.from(zip);
        // Flips anywhere: local and central headers, both volumes' bytes (7z headers at the second's end).
        for (let i = 0; i < 1 + (next() % 6); i++) bytes[(next() * 256 + next()) % bytes.length] = next();
        fs.writeFileSync(path.join(tmp, 'volumes.zip'), bytes);
        const items: EvidenceItem[] = [];
        for await (const item of scan(new FolderSource(tmp), {
          plugins: builtinPlugins,
          containers: builtinContainers,
        }))
          items.push(item);
        for (const i of items) {
          expect(i.classification.status, i.path).toBeTruthy();
          for (const e of i.errors) expect(e.code, `${i.path}: ${e.message}`).not.toMatch(/THREW|INTERNAL/);
        }
        read.add(items.filter((i) => i.path.includes('.001!/')).length);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    // Some mutants still give the set's members, others none: both paths were taken.
    expect(read.has(0)).toBe(true);
    expect([...read].some((n) => n > 0)).toBe(true);
  }, 120_000);
});
