/**
 * Read-only, provably: the gauntlet tree (every kind of entry, SQLite in WAL
 * mode with uncheckpointed frames, broken archives, bombs) is scanned with
 * every digest, and its full state before and after is compared: listing,
 * types, sizes, inodes, modes, owners, content hashes, and nanosecond mtime,
 * atime and ctime. Access times are first set to 2001, so that a relatime
 * mount would move them on any ordinary read; ctime moves on any metadata
 * write, so an unchanged ctime shows nothing was written or touched.
 *
 * Folder and symlink access times: Linux moves a folder's atime when it is
 * listed and a symlink's when its target is read (readlink), and Node can do
 * neither through a descriptor opened with O_NOATIME (taking the snapshot
 * moves them too). On a read-write relatime mount the only difference allowed
 * is therefore the atime of folders and symlinks; on a read-only bind mount
 * (the recommended way to scan evidence, docs/forensic-soundness.md)
 * everything, folders and symlinks included, must be identical.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGauntlet } from '../gauntlet/generate.mjs';
import { runCli } from '../helpers/cli.js';
import { readJsonManifest, readNdjsonManifest } from '../helpers/manifest.js';
import { ageTree, diffSnapshots, snapshotTree } from './tree-state.js';

const OLD = new Date('2001-02-03T04:05:06.789Z');
let base: string;
let evidence: string;
let out: string;

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-ro-'));
  evidence = path.join(base, 'evidence');
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-ro-out-'));
  fs.mkdirSync(evidence);
  await buildGauntlet(evidence);
  // Archives given as the source itself, beside the tree.
  fs.copyFileSync(path.join(evidence, 'zip/good.zip'), path.join(base, 'source.zip'));
  fs.copyFileSync(path.join(evidence, 'tar/good.tar'), path.join(base, 'source.tar'));
  fs.copyFileSync(path.join(evidence, 'gzip/good.tar.gz'), path.join(base, 'source.tar.gz'));
  ageTree(base, OLD);
});

afterAll(() => {
  fs.rmSync(base, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
});

const onlyFolderAndLinkAtimes = (_rel: string, field: string, state: { kind: string }) =>
  field === 'atimeNs' && (state.kind === 'dir' || state.kind === 'symlink');

describe('read-only: a scan changes nothing in the evidence', { timeout: 240_000 }, () => {
  it('leaves every file, link, special file and folder of the gauntlet as it was (rw relatime mount: only folder and symlink atimes may move)', async () => {
    const before = snapshotTree(base);
    // The aged atimes are really in place (the check below would be empty otherwise).
    const sample = [...before.values()].filter((s) => s.kind === 'file');
    expect(sample.length).toBeGreaterThan(50);
    expect(sample.every((s) => s.atimeNs === BigInt(OLD.getTime()) * 1_000_000n)).toBe(true);

    const r = await runCli([
      'scan',
      evidence,
      '-o',
      path.join(out, 'm.ndjson'),
      '-f',
      'ndjson',
      '--hash',
      'md5,sha1,sha256',
      '-q',
    ]);
    expect(r.code, r.stderr).toBe(1); // completed, with item errors (the gauntlet is hostile)
    const after = snapshotTree(base);
    expect(diffSnapshots(before, after, onlyFolderAndLinkAtimes)).toEqual([]);
    // Files were really read: every regular file got its digests.
    const { items } = readNdjsonManifest(path.join(out, 'm.ndjson'));
    const top = items.filter((i) => i.kind === 'file' && i.depth === 0 && !i.path.startsWith('mutate/'));
    expect(top.filter((i) => !i.hashes?.sha256).map((i) => i.path)).toEqual([]);
  });

  it('leaves a ZIP, a TAR and a TAR.GZ given as the source byte-for-byte and time-for-time unchanged', async () => {
    for (const name of ['source.zip', 'source.tar', 'source.tar.gz']) {
      const file = path.join(base, name);
      const before = snapshotTree(file);
      const r = await runCli([
        'scan',
        file,
        '-o',
        path.join(out, `${name}.json`),
        '--hash',
        'sha256',
        '--hash-source',
        '-q',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(diffSnapshots(before, snapshotTree(file))).toEqual([]);
      const manifest = readJsonManifest(path.join(out, `${name}.json`));
      expect(manifest.header.source.sha256).toBe(before.get('')!.sha256);
      expect(manifest.items.length).toBeGreaterThanOrEqual(2);
    }
    // Nothing was written beside the archives either.
    expect(fs.readdirSync(base).sort()).toEqual(['evidence', 'source.tar', 'source.tar.gz', 'source.zip']);
  });

  it('on a read-only bind mount, leaves everything identical, folder and symlink access times included', async () => {
    const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-ro-mnt-'));
    const bind = spawnSync('mount', ['--bind', evidence, mnt], { encoding: 'utf8' });
    if (bind.status !== 0) {
      // Only a missing privilege may stop this check (an unprivileged container).
      expect(bind.stderr).toMatch(/permission denied|must be superuser|not permitted/i);
      fs.rmdirSync(mnt);
      return;
    }
    try {
      const ro = spawnSync('mount', ['-o', 'remount,bind,ro', mnt], { encoding: 'utf8' });
      expect(ro.status, ro.stderr).toBe(0);
      ageTree(evidence, OLD); // through the writable path; every read below goes through the read-only one
      const before = snapshotTree(mnt);
      const r = await runCli([
        'scan',
        mnt,
        '-o',
        path.join(out, 'ro.ndjson'),
        '-f',
        'ndjson',
        '--hash',
        'sha256',
        '-q',
      ]);
      expect(r.code, r.stderr).toBe(1);
      expect(diffSnapshots(before, snapshotTree(mnt))).toEqual([]);
    } finally {
      spawnSync('umount', [mnt]);
      fs.rmdirSync(mnt);
    }
  });
});
