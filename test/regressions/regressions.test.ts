/**
 * Files that once stopped, stalled or swelled a scan (test/regressions/files,
 * README.md there says where each came from). Each is scanned by the built
 * CLI and must give a complete, valid manifest, exit 0 or 1, and the item
 * error that says what is wrong with it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem, Manifest } from '@evtriage/core';
import { readCompleteManifest } from '../helpers/built-cli.js';
import { runCli } from '../helpers/cli.js';
import { writeCorruptGzip, writeZipDirectory } from './generate.mjs';

const files = path.join(import.meta.dirname, 'files');
let out: string;
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-regressions-'));
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/**
 * Scans `source` with the built CLI; the run must end by itself (nothing left holding its process) with 0 or 1
 * and a complete manifest. In the CLI host (helpers/cli.ts): a scan that crashes, stalls or swells ends that
 * process, and fails the test as it would in a process of its own.
 */
async function scan(
  source: string,
  extra: readonly string[] = [],
  name = path.basename(source),
): Promise<{ code: number | null; m: Manifest; stderr: string }> {
  const o = path.join(out, `${name}-${extra.join('')}.json`);
  const r = await runCli(['scan', source, '-o', o, '-q', ...extra], { timeoutMs: 50_000 });
  expect(r.stderr).not.toMatch(/Unhandled 'error' event|FATAL|invalid size error|internal error/i);
  expect([0, 1], `exit ${r.code}: ${r.stderr.slice(0, 500)}`).toContain(r.code);
  return { code: r.code, m: readCompleteManifest(o), stderr: r.stderr };
}

/** A folder of its own holding copies of `names` from the regression files. */
function folderWith(...names: string[]): string {
  const dir = fs.mkdtempSync(path.join(out, 'src-'));
  for (const n of names) fs.copyFileSync(path.join(files, n), path.join(dir, n));
  return dir;
}

const codes = (i: EvidenceItem | undefined) => (i?.errors ?? []).map((e) => e.code);
const byPath = (m: Manifest, p: string) => m.items.find((i) => i.path === p);

const OLE2 = ['ole2-fat-selfloop-1536B.doc', 'ole2-dir-sibling-cycle-1536B.doc', 'ole2-cfb-fatal-mutant-21568B.doc'];

describe('OLE2 compound files whose sector chains or directory tree loop', () => {
  it('in a folder: each an item error naming the cycle, not an endless walk', async () => {
    // One scan of the three (each was a scan of its own: three CLI start-ups for what one proves).
    const { code, m } = await scan(folderWith(...OLE2));
    expect(code).toBe(1);
    expect(m.items.map((i) => i.path).sort()).toEqual([...OLE2].sort());
    for (const item of m.items) {
      expect(item.format?.id).toBe('ole2');
      const err = item.errors.find((e) => e.code === 'CFB_UNREADABLE');
      expect(err?.message, item.path).toMatch(/loops|cycle|outside the file/);
    }
  });

  it('inside a ZIP and a TAR: every member listed, each with the same error', async () => {
    for (const archive of ['ole2-cycles.zip', 'ole2-cycles.tar']) {
      const { code, m } = await scan(path.join(files, archive));
      expect(code).toBe(1);
      expect(m.items.map((i) => i.path).sort()).toEqual([...OLE2].sort());
      for (const item of m.items) expect(codes(item), item.path).toContain('CFB_UNREADABLE');
    }
  });
});

describe('damaged compressed streams', () => {
  it('a 4 MiB .gz whose DEFLATE data is invalid: an item error, no unhandled stream error, valid JSON', async () => {
    const dir = fs.mkdtempSync(path.join(out, 'gz-'));
    writeCorruptGzip(path.join(dir, 'x.gz'), 4 * 1024 * 1024);
    for (let run = 0; run < 3; run++) {
      const { code, m } = await scan(dir, [], `gz${run}`);
      expect(code).toBe(1);
      expect(m.items.map((i) => i.path)).toEqual(['x.gz', 'x.gz!/x']);
      expect(codes(byPath(m, 'x.gz'))).toContain('ARCHIVE_CORRUPT');
    }
  });

  it('a TAR.GZ with a spooled (> 8 MiB) corrupt .gz member, then 300 files: all 302 items', async () => {
    const { code, m } = await scan(path.join(files, 'tgz-spooled-corrupt-gz-member-EBADF-midscan.tar.gz'));
    expect(code).toBe(1);
    expect(m.items.filter((i) => i.path.startsWith('b/'))).toHaveLength(300);
    expect(codes(byPath(m, 'a/x.gz'))).toContain('ARCHIVE_CORRUPT');
    expect(m.items).toHaveLength(302);
  });
});

describe('ZIP directories that lie', () => {
  it('an end-of-central-directory count of 0 over 2 records: both listed, the inconsistency a warning', async () => {
    const { m } = await scan(path.join(files, 'zip-eocd-count-zero-silently-empty.zip'));
    expect(m.items.map((i) => i.path)).toEqual(['evidence/a.txt', 'evidence/b.txt']);
    for (const item of m.items) {
      expect(item.classification.status).toBe('analysable');
      const w = item.errors.find((e) => e.code === 'ZIP_ENTRY_COUNT_MISMATCH');
      expect(w?.severity).toBe('warning');
      expect(w?.message).toMatch(/declares 0 member/);
    }
  });

  it('5,000 directory records over one 900 KiB member: the first is read, the overlapping ones refused', async () => {
    const { code, m } = await scan(path.join(files, 'zip-overlapping-entries-5000x900KiB.zip'));
    expect(code).toBe(1);
    expect(m.items).toHaveLength(5000);
    const refused = m.items.filter((i) => codes(i).includes('ZIP_MEMBER_OVERLAP'));
    expect(refused).toHaveLength(4999);
    expect(m.items[0]!.errors).toEqual([]);
    expect(refused[0]!.errors[0]!.message).toMatch(/overlap .*non-recursive zip bomb/);
  });
});

describe('long ZIP directories inside a folder', () => {
  // A ZIP in a folder is a nested archive, listed whole at open: 1,000,000 records named `a` took more
  // than 5 minutes for 50,000 of them (each duplicate searched its `~N` from 2), then 2.5 GB (every record
  // kept); 1,000,000 records in falling offset order took tens of minutes (the overlap check's sorted
  // array). Past 10,000 records the directory is now tallied at open and read again by the walk.
  it('12,000 records named `a` over one member, and 12,000 cut at record 11,000: all listed, once', async () => {
    const dir = fs.mkdtempSync(path.join(out, 'src-'));
    writeZipDirectory(path.join(dir, 'same.zip'), { records: 12_000, sameName: true });
    writeZipDirectory(path.join(dir, 'cut.zip'), { records: 12_000, damageAt: 11_000 });
    writeZipDirectory(path.join(dir, 'falling.zip'), { records: 12_000, descending: true });
    const { code, m } = await scan(dir);
    expect(code).toBe(1);
    const members = (zip: string) => m.items.filter((i) => i.path.startsWith(`${zip}!/`));
    const same = members('same.zip').map((i) => i.path);
    expect(new Set(same).size).toBe(12_000);
    expect(same.slice(0, 3)).toEqual(['same.zip!/a', 'same.zip!/a~2', 'same.zip!/a~3']);
    expect(same).toContain('same.zip!/a~12000');
    expect(codes(byPath(m, 'same.zip'))).toEqual(['ZIP_MEMBER_OVERLAP']);
    expect(byPath(m, 'same.zip')!.errors[0]!.message).toMatch(/^11999 member/);
    // The damage is reported once, on the container; the walk's second reading stops before it.
    expect(members('cut.zip')).toHaveLength(11_000);
    expect(codes(byPath(m, 'cut.zip'))).toContain('ARCHIVE_CORRUPT');
    expect(byPath(m, 'cut.zip')!.errors[0]!.message).toMatch(/after 11000 of 12000 members/);
    expect(members('falling.zip')).toHaveLength(12_000);
    expect(codes(byPath(m, 'falling.zip'))).toEqual([]);
    expect(m.items).toHaveLength(3 + 12_000 + 11_000 + 12_000);
  });
});

describe('the expansion budget counts bytes that really expand', () => {
  it('eight TARs declaring 8 GiB each but holding 2 KiB do not use up the budget: the ZIP after them is opened', async () => {
    const { m } = await scan(path.join(files, 'budget-exhaustion'));
    for (let i = 0; i < 8; i++) {
      const tar = byPath(m, `a${i}_lying.tar`);
      expect(codes(tar)).not.toContain('ARCHIVE_EXPANSION_LIMIT');
      expect(codes(byPath(m, `a${i}_lying.tar!/a.bin`))).toContain('MEMBER_TRUNCATED');
    }
    expect(codes(byPath(m, 'z_good.zip'))).toEqual([]);
    expect(byPath(m, 'z_good.zip!/evidence.txt')?.classification.status).toBe('analysable');
  });
});

describe('results do not depend on concurrency', () => {
  it('a key hint in a TAR.GZ is the same at -c 1, -c 2 and the default', async () => {
    const src = path.join(files, 'tgz-keyhint-depends-on-concurrency.tar.gz');
    const runs = [];
    for (const c of [['-c', '1'], ['-c', '2'], []]) runs.push((await scan(src, c)).m);
    const strip = (m: Manifest) => JSON.stringify({ items: m.items, enc: m.summary.encrypted });
    expect(strip(runs[1]!)).toBe(strip(runs[0]!));
    expect(strip(runs[2]!)).toBe(strip(runs[0]!));
    // The TAR.GZ's listing pass (made before the walk, for its companions) is its own index: the item knows
    // at every concurrency that the key file lies in the archive (scan-walk.ts, "Siblings inside an archive").
    expect(byPath(runs[0]!, 'a.zip!/db.kdbx')?.encryption?.keyHint).toMatchObject({
      present: 'yes',
      foundAt: ['k.key'],
    });
    expect(JSON.stringify(runs[0]!.summary.encrypted)).toMatch(/k\.key/);
  });
});

describe('paths stay unique', () => {
  it('a folder named `evil.zip!` beside evil.zip, and two members named in.zip', async () => {
    const { m } = await scan(path.join(files, 'path-collision'));
    const paths = m.items.map((i) => i.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toEqual(
      expect.arrayContaining([
        'evil.zip!/m.txt',
        'evil.zip!!/m.txt',
        'dup-named-nested.zip!/in.zip!/x.txt',
        'dup-named-nested.zip!/in~2.zip!/x.txt',
      ]),
    );
    expect(codes(byPath(m, 'dup-named-nested.zip!/in~2.zip'))).toContain('MEMBER_NAME_DUPLICATE');
  });
});
