/**
 * `evtriage verify <manifest> <source>`: re-hashes what a manifest recorded
 * and reports every difference (exit 1), or that all digests match (exit 0);
 * archive members nested in the source are verified too, and the source
 * archive's own hash when the scan recorded it with --hash-source.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { readJsonManifest } from '../helpers/manifest.js';

let base: string;
let tree: string;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-verify-'));
  tree = path.join(base, 'tree');
  fs.mkdirSync(path.join(tree, 'docs'), { recursive: true });
  for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(tree, 'docs', `note-${i}.txt`), `note ${i}\n`);
  fs.writeFileSync(path.join(tree, 'keep.txt'), 'unchanged\n');
  execFileSync('zip', ['-q', '-X', path.join(tree, 'bundle.zip'), 'note-1.txt', 'note-2.txt'], {
    cwd: path.join(tree, 'docs'),
  });
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('evtriage verify', { timeout: 180_000 }, () => {
  it('exits 0 when every digest matches, nested ZIP members included', async () => {
    const m = path.join(base, 'clean.ndjson');
    expect((await runCli(['scan', tree, '-o', m, '-f', 'ndjson', '--hash', 'sha256,md5', '-q'])).code).toBe(0);
    const r = await runCli(['verify', m, tree]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    // 20 notes, keep.txt, bundle.zip and its 2 members.
    expect(r.stdout).toMatch(/verified: 24 of 24 hashed item\(s\) match/);
    expect(fs.readFileSync(m, 'utf8')).toMatch(/"path":"bundle.zip!\/note-1.txt"[^\n]*"sha256":"[0-9a-f]{64}"/);
  });

  it('exits 1 and names each changed, missing and new item', async () => {
    const copy = path.join(base, 'changed');
    fs.cpSync(tree, copy, { recursive: true });
    const m = path.join(base, 'before.json');
    expect((await runCli(['scan', copy, '-o', m, '--hash', 'sha256', '-q'])).code).toBe(0);
    fs.appendFileSync(path.join(copy, 'docs/note-3.txt'), 'one more line\n');
    fs.rmSync(path.join(copy, 'docs/note-4.txt'));
    fs.writeFileSync(path.join(copy, 'docs/new.txt'), 'added later\n');
    const r = await runCli(['verify', m, copy]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/CHANGED sha256 "docs\/note-3.txt": recorded [0-9a-f]{64}, now [0-9a-f]{64}/);
    expect(r.stdout).toMatch(/MISSING "docs\/note-4.txt"/);
    expect(r.stdout).toMatch(/NEW "docs\/new.txt"/);
    expect(r.stdout).toMatch(/3 difference\(s\)/);
  });

  it('reports every extra copy of an item a manifest lists more than once', async () => {
    // Before: the unmatched copies waited in a map keyed by path, each replacing the last: 3 copies, 1 reported.
    const m = path.join(base, 'dups.ndjson');
    expect((await runCli(['scan', tree, '-o', m, '-f', 'ndjson', '--hash', 'sha256', '-q'])).code).toBe(0);
    const lines = fs.readFileSync(m, 'utf8').trimEnd().split('\n');
    const keep = lines.find((l) => l.includes('"path":"keep.txt"'))!;
    lines.splice(lines.length - 1, 0, keep, keep, keep);
    fs.writeFileSync(m, lines.join('\n') + '\n');
    const r = await runCli(['verify', m, tree]);
    expect(r.code).toBe(1);
    expect(r.stdout.match(/MISSING "keep.txt"/g)).toHaveLength(3);
    expect(r.stdout).toMatch(/DIFFERENCES: 24 of 24 hashed item\(s\) match \(sha256\); 3 difference\(s\)/);
  });

  it('checks the source archive hash recorded with --hash-source, and its members', async () => {
    const zip = path.join(base, 'evidence.zip');
    execFileSync('zip', ['-q', '-r', '-X', zip, '.'], { cwd: tree });
    const m = path.join(base, 'zip.ndjson');
    const scanned = await runCli(['scan', zip, '-o', m, '-f', 'ndjson', '--hash', 'sha256', '--hash-source', '-q']);
    expect(scanned.code, scanned.stderr).toBe(0);
    const ok = await runCli(['verify', m, zip]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/source sha256 matches/);
    // One byte of the archive comment changed: the archive hash differs, the members do not.
    fs.appendFileSync(zip, 'x');
    const changed = await runCli(['verify', m, zip]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/CHANGED source sha256/);
  });

  it('records that --hash-source does not apply to a folder, and refuses to verify a manifest without digests (exit 2)', async () => {
    const m = path.join(base, 'nohash.json');
    expect((await runCli(['scan', tree, '-o', m, '--hash-source', '-q'])).code).toBe(0);
    expect(readJsonManifest(m).header.options.hashSource).toMatch(/not applicable: the source is a folder/);
    const r = await runCli(['verify', m, tree]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no digests/);
  });
});
