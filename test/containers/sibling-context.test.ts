/**
 * Decisions that need sibling files (`meta.indexPatterns`, key hints' `lookFor`, companions read by suffix) are
 * the same for a file in a folder and for the same file as an archive member: the archive's own index
 * (scan-walk.ts, "Siblings inside an archive") gives a member the paths of its archive, as a folder's file has
 * its folder's. The fixture sets of plugins that decide from siblings are scanned flat, packed inside a folder
 * (ZIP, TAR, TAR.GZ, 7z made by Info-ZIP zip, GNU tar and 7-Zip), and as the scanned source itself; every member
 * must have the flat file's status, format, scheme and key hint. bench/container-parity.mjs runs the same
 * comparison over every such fixture set (bench/context-fixtures.mjs).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinSources, openSource, scan, type EvidenceItem } from '@evtriage/core';
import { builtinContainers, builtinPlugins, sevenZipSourceKinds } from '@evtriage/parsers';
import { runCli } from '../helpers/cli.js';
import { writeZip64 } from './zip64-writer.js';

const fixtureRoot = path.resolve(import.meta.dirname, '../../packages/parsers/fixtures');
/**
 * Fixture sets whose members are decided by a sibling: an HLS playlist beside AES-128 segments and their key
 * file (hls-segments), a Huawei backup's info.xml (huawei-backup), Cryptomator's masterkey, gocryptfs' config,
 * Dropbox's hostkeys (key hints), an MMKV file's `.crc` companion (mmkv-meta).
 */
const SETS = ['hls-playlist', 'huawei-backup', 'cryptomator', 'gocryptfs', 'dropbox-dbx', 'mmkv'];
const PACKED = ['tree.zip', 'tree.tar', 'tree.tar.gz', 'tree.7z'];

let dir: string;
let tree: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-siblings-'));
  tree = path.join(dir, 'tree');
  for (const set of SETS) fs.cpSync(path.join(fixtureRoot, set), path.join(tree, set), { recursive: true });
  const wrap = path.join(dir, 'wrap');
  fs.mkdirSync(wrap);
  execFileSync('zip', ['-q', '-r', '-X', path.join(wrap, 'tree.zip'), '.'], { cwd: tree });
  execFileSync('tar', ['-cf', path.join(wrap, 'tree.tar'), '-C', tree, '.']);
  execFileSync('tar', ['-czf', path.join(wrap, 'tree.tar.gz'), '-C', tree, '.']);
  execFileSync('7zz', ['a', '-bd', '-bso0', '-y', path.join(wrap, 'tree.7z'), '.'], { cwd: tree });
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function scanned(p: string): Promise<EvidenceItem[]> {
  const source = await openSource(p, { sources: [...sevenZipSourceKinds, ...builtinSources] });
  try {
    const items: EvidenceItem[] = [];
    for await (const item of scan(source, { plugins: builtinPlugins, containers: builtinContainers })) items.push(item);
    return items;
  } finally {
    await source.close();
  }
}

/** What is compared, by path (`./` and the archive's prefix cut): status, format, scheme, key hint, error codes. */
function verdicts(items: readonly EvidenceItem[], prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const i of items) {
    if (i.kind !== 'file' || !i.path.startsWith(prefix)) continue;
    const codes = [...new Set(i.errors.map((e) => e.code))].sort().join(',');
    const enc = i.encryption ? ` ${i.encryption.scheme} key:${i.encryption.keyHint?.present ?? '-'}` : '';
    out.set(
      i.path.slice(prefix.length).replace(/^\.\//, ''),
      `${i.classification.status} ${i.format?.id}${enc} [${codes}]`,
    );
  }
  return out;
}

describe('sibling files inside archives', () => {
  let flat: Map<string, string>;
  beforeAll(async () => {
    flat = verdicts(await scanned(tree), '');
  }, 120_000);

  it('the flat scan decides from siblings (the sets exercise the mechanism)', () => {
    expect(flat.get('hls-playlist/vod/seg0.ts')).toBe('encrypted hls-segment-aes-128 hls-aes-128 key:yes []');
    expect(flat.get('huawei-backup/backupFiles1/2026-12-06_10-00-00/contact.db')).toBe(
      'encrypted huawei-backup-encrypted huawei-backup-aes-ctr key:yes []',
    );
    // Without the sibling, the same bytes stay what the statistics call them.
    expect(flat.get('huawei-backup/lonely/com.example.chat.tar')).toMatch(/^encrypted unknown-encrypted /);
    expect(flat.get('hls-playlist/lonely/seg0.ts')).toMatch(/^encrypted unknown-encrypted /);
    expect([...flat.values()].filter((v) => v.includes('key:yes')).length).toBeGreaterThan(8);
  });

  it('members of a ZIP, TAR, TAR.GZ and 7z inside a folder get the flat verdicts', async () => {
    const items = await scanned(path.join(dir, 'wrap'));
    for (const name of PACKED) {
      const got = verdicts(items, `${name}!/`);
      expect([...got.keys()].sort(), name).toEqual([...flat.keys()].sort());
      for (const [p, v] of flat) expect(`${name}: ${p} ${got.get(p)}`).toBe(`${name}: ${p} ${v}`);
    }
  }, 180_000);

  it('members of a ZIP, TAR, TAR.GZ and 7z scanned as the source get the flat verdicts', async () => {
    for (const name of PACKED) {
      const got = verdicts(await scanned(path.join(dir, 'wrap', name)), '');
      expect([...got.keys()].sort(), name).toEqual([...flat.keys()].sort());
      for (const [p, v] of flat) expect(`${name}: ${p} ${got.get(p)}`).toBe(`${name}: ${p} ${v}`);
    }
  }, 240_000);

  it("the same through the CLI, whose parsers run in child processes told the archive's paths", async () => {
    const manifest = path.join(dir, 'cli.ndjson');
    const r = await runCli(['scan', path.join(dir, 'wrap'), '-o', manifest, '-f', 'ndjson', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const items = fs
      .readFileSync(manifest, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as EvidenceItem & { type?: string })
      .filter((o) => o.type === 'item');
    for (const name of PACKED) {
      const got = verdicts(items, `${name}!/`);
      for (const [p, v] of flat) expect(`${name}: ${p} ${got.get(p)}`).toBe(`${name}: ${p} ${v}`);
    }
  }, 240_000);
});

describe("an archive's own index past its bound", () => {
  it('says so on the archive and on a member whose key hint it leaves undecided, never "no"', async () => {
    // 16,385 playlists (hls-segments' pattern) fill the index past ARCHIVE_INDEX_MAX_PATHS; the KeePass database
    // after them looks for **/*.key, which is nowhere: a partial index cannot say it is absent.
    const folder = path.join(dir, 'many');
    fs.mkdirSync(folder);
    writeZip64(path.join(folder, 'many.zip'), [
      ...Array.from({ length: 16_385 }, (_, i) => ({ name: `lists/${i}.m3u8`, data: Buffer.alloc(0) })),
      { name: 'vault/db.kdbx', data: fs.readFileSync(path.join(fixtureRoot, 'keepass/password.kdbx')) },
    ]);
    const items = await scanned(folder);
    const archive = items.find((i) => i.path === 'many.zip')!;
    expect(archive.errors.find((e) => e.code === 'ARCHIVE_INDEX_LIMIT')?.message).toMatch(/more than 16384/);
    const db = items.find((i) => i.path === 'many.zip!/vault/db.kdbx')!;
    expect(db.encryption?.keyHint?.present).toBe('unknown');
    expect(db.errors.map((e) => e.code)).toContain('ARCHIVE_INDEX_LIMIT');
    // Members whose decision the bound does not touch carry nothing.
    expect(items.filter((i) => i.errors.some((e) => e.code === 'ARCHIVE_INDEX_LIMIT'))).toHaveLength(2);
  }, 240_000);
});
