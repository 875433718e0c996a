/**
 * Exit codes, interruption and resume, end to end with real signals to a
 * child process running the CLI (it sends them to itself at a line of its
 * manifest the test sets, test/soundness/signal-at-lines.mjs, so they land in
 * the middle of the scan whatever the machine's speed):
 *  - 0 clean, 1 completed with item errors, 2 could not run, 130 interrupted;
 *  - Ctrl-C (SIGINT) and SIGTERM leave a valid partial manifest: NDJSON with
 *    every item written so far and a closing summary saying complete: false;
 *    a JSON document that still parses, with the same summary;
 *  - `--resume` finishes a partial NDJSON manifest in place (after a signal or
 *    a hard kill), without redoing the recorded items, and the result equals
 *    a scan that was never interrupted; a resume with another source is
 *    refused and leaves the partial file untouched.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestLine } from '@evtriage/core';
import { runCli } from '../helpers/cli.js';
import { readJsonManifest } from '../helpers/manifest.js';

let base: string;
let tree: string;
// Enough items for a signal at line 61 to land mid-scan with many still to come (the signal's point is set by
// the preload, not by the tree's size: a bigger tree proves nothing more and costs every scan of it).
const DIRS = 10;
const FILES = 200;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-resume-'));
  tree = path.join(base, 'tree');
  for (let d = 0; d < DIRS; d++) {
    fs.mkdirSync(path.join(tree, `dir-${String(d).padStart(2, '0')}`), { recursive: true });
    for (let f = 0; f < FILES / DIRS; f++)
      fs.writeFileSync(
        path.join(tree, `dir-${String(d).padStart(2, '0')}`, `file-${f}.txt`),
        `file ${d}/${f}\n`.repeat(1 + (f % 7)),
      );
  }
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/**
 * The environment of a scan interrupted by `signal` once `atLines` lines of its manifest `out` were written: the
 * CLI sends itself the signal at that point (test/soundness/signal-at-lines.mjs), so it lands in the middle of
 * the scan on any machine, with no race between the test's clock and the scan's speed.
 */
function signalEnv(out: string, signal: NodeJS.Signals, atLines: number): NodeJS.ProcessEnv {
  const preload = fileURLToPath(new URL('./signal-at-lines.mjs', import.meta.url));
  return {
    NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import ${preload}`.trim(),
    EVTRIAGE_TEST_SIGNAL_FILE: out,
    EVTRIAGE_TEST_SIGNAL_AT_LINES: String(atLines),
    EVTRIAGE_TEST_SIGNAL: signal,
  };
}

/** Scans the tree and has `signal` arrive once the manifest holds `atLines` lines. */
function interruptedScan(out: string, signal: NodeJS.Signals, args: string[] = ['-f', 'ndjson'], atLines = 61) {
  return runCli(['scan', tree, '-o', out, '-c', '1', '--hash', 'sha256', ...args], {
    env: signalEnv(out, signal, atLines),
  });
}

/**
 * The NDJSON manifest of a scan of the tree interrupted by `signal` at line 61, made once and shared: the tests
 * that check it read it, the ones that resume one copy it first (a resume in place changes its file).
 */
const partials = new Map<NodeJS.Signals, Promise<{ file: string; run: Awaited<ReturnType<typeof runCli>> }>>();
function partialOf(signal: NodeJS.Signals) {
  let made = partials.get(signal);
  if (!made) {
    const file = path.join(base, `partial-${signal}.ndjson`);
    made = interruptedScan(file, signal).then((run) => ({ file, run }));
    partials.set(signal, made);
  }
  return made;
}
/** A copy of the shared partial manifest of `signal`, at `out`. */
async function partialCopy(signal: NodeJS.Signals, out: string): Promise<string> {
  fs.copyFileSync((await partialOf(signal)).file, out);
  return out;
}

const lines = (file: string) => fs.readFileSync(file, 'utf8').trimEnd().split('\n');
const record = (line: string) => JSON.parse(line) as ManifestLine;
const itemPaths = (ls: string[]) => ls.map(record).flatMap((r) => (r.type === 'item' ? [r.path] : []));
/** The summary an NDJSON manifest ends with. */
const summaryOf = (ls: string[]) => {
  const r = record(ls.at(-1)!);
  if (r.type !== 'summary') throw new Error(`the last line is a ${r.type}, not the summary`);
  return r;
};

describe('exit codes', { timeout: 240_000 }, () => {
  // One clean scan for the exit code and the header's limits.
  let clean: Promise<Awaited<ReturnType<typeof runCli>>> | undefined;
  const cleanScan = () =>
    (clean ??= runCli([
      'scan',
      path.join(tree, 'dir-00'),
      '-o',
      path.join(base, 'clean.json'),
      '--item-timeout',
      '654321',
      '-q',
    ]));

  it('exits 0 on a clean scan, 1 when items carry errors, 2 when it cannot run', async () => {
    const clean = await cleanScan();
    expect(clean.code, clean.stderr).toBe(0);

    const broken = path.join(base, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(
      path.join(broken, 'damaged.db'),
      Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(84)]),
    );
    const withErrors = await runCli(['scan', broken, '-o', path.join(base, 'broken.json'), '-q']);
    expect(withErrors.code, withErrors.stderr).toBe(1);
    expect(readJsonManifest(path.join(base, 'broken.json')).summary.complete).toBe(true);

    // Exit 2 for a source that does not exist: test/foundation/cli.test.ts.
    const badTimeout = await runCli(['scan', tree, '-o', path.join(base, 'x.json'), '--item-timeout', '0']);
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toMatch(/--item-timeout/);
  });

  it('records --item-timeout in the header limits', async () => {
    const r = await cleanScan();
    expect(r.code, r.stderr).toBe(0);
    expect(readJsonManifest(path.join(base, 'clean.json')).header.options).toMatchObject({
      limits: { itemTimeoutMs: 654_321 },
    });
  });
});

describe('interrupted scans leave a valid, clearly marked partial manifest', { timeout: 240_000 }, () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`NDJSON after ${signal}: exit 130, every line valid, a closing summary with complete: false`, async () => {
      const { file: out, run: r } = await partialOf(signal);
      expect(r.code, r.stderr).toBe(130);
      const ls = lines(out);
      const records = ls.map((l) => ManifestLine.parse(JSON.parse(l)));
      expect(records[0]!.type).toBe('header');
      const last = records.at(-1)!;
      expect(last.type).toBe('summary');
      if (last.type !== 'summary') return;
      expect(last.complete).toBe(false);
      expect(last.interruption).toMatch(/interrupted/);
      const items = records.filter((x) => x.type === 'item').length;
      expect(items).toBeGreaterThan(50);
      expect(items).toBeLessThan(FILES);
      expect(last.counts.items).toBe(items);
      expect(r.stderr).toMatch(/--resume/);
    });
  }

  it('JSON document after SIGINT: still parses, with the items so far and a summary with complete: false', async () => {
    const out = path.join(base, 'partial.json');
    const r = await interruptedScan(out, 'SIGINT', ['-f', 'json']);
    expect(r.code, r.stderr).toBe(130);
    const doc = readJsonManifest(out);
    expect(doc.summary.complete).toBe(false);
    expect(doc.items.length).toBe(doc.summary.counts.items);
    expect(doc.items.length).toBeGreaterThan(0);
    const valid = await runCli(['validate', out]);
    expect(valid.code, valid.stdout).toBe(0);
  });
});

describe('--resume', { timeout: 240_000 }, () => {
  let full: string[];
  beforeAll(async () => {
    const out = path.join(base, 'full.ndjson');
    const r = await runCli(['scan', tree, '-o', out, '-f', 'ndjson', '-c', '1', '--hash', 'sha256', '-q']);
    expect(r.code, r.stderr).toBe(0);
    full = lines(out);
  }, 240_000);

  it('finishes a manifest interrupted by SIGINT in place, keeping the recorded lines byte for byte and redoing none', async () => {
    const out = await partialCopy('SIGINT', path.join(base, 'resume-int.ndjson'));
    const partial = lines(out);
    const recorded = partial.slice(0, -1); // header and items; the last line is the partial summary
    const r = await runCli(['scan', tree, '--resume', out, '-c', '1', '--hash', 'sha256', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const done = lines(out);
    expect(done.slice(0, recorded.length)).toEqual(recorded);
    const summary = summaryOf(done);
    expect(summary.complete).toBe(true);
    expect(summary.resumed?.items).toBe(recorded.length - 1);
    expect(summary.counts).toEqual(summaryOf(full).counts);
    // The same items as a scan never interrupted, none twice, none missing, the same content.
    expect(done.slice(1, -1)).toEqual(full.slice(1, -1));
    expect(new Set(itemPaths(done)).size).toBe(FILES);
  });

  it('finishes a manifest left by a hard kill (no summary, maybe a torn last line)', async () => {
    const out = path.join(base, 'resume-kill.ndjson');
    await interruptedScan(out, 'SIGKILL');
    const before = fs.readFileSync(out, 'utf8');
    expect(before).not.toMatch(/"type":"summary"/);
    const r = await runCli(['scan', tree, '--resume', out, '-c', '4', '--hash', 'sha256', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const done = lines(out);
    expect(done.slice(1, -1)).toEqual(full.slice(1, -1));
    expect(summaryOf(done).complete).toBe(true);
  });

  it('writes a new complete manifest with -o and leaves the partial one as it was', async () => {
    const partialFile = await partialCopy('SIGTERM', path.join(base, 'resume-copy.ndjson'));
    const partialBytes = fs.readFileSync(partialFile);
    const out = path.join(base, 'resume-copy-done.ndjson');
    const r = await runCli(['scan', tree, '--resume', partialFile, '-o', out, '-c', '1', '--hash', 'sha256', '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(partialFile).equals(partialBytes)).toBe(true);
    expect(lines(out).slice(1, -1)).toEqual(full.slice(1, -1));
  });

  it('resumes in the middle of archive members: no member lost or written twice', async () => {
    const zips = path.join(base, 'zips');
    const src = path.join(base, 'zip-src');
    fs.mkdirSync(zips);
    fs.mkdirSync(src);
    for (let m = 0; m < 25; m++)
      fs.writeFileSync(path.join(src, `member-${String(m).padStart(2, '0')}.txt`), `member ${m}\n`.repeat(m + 1));
    // Eight archives: the stop (line 119, in the fifth) has whole archives before it and after it.
    const ZIPS = 8;
    for (let z = 0; z < ZIPS; z++)
      execFileSync('zip', ['-q', '-X', path.join(zips, `archive-${String(z).padStart(2, '0')}.zip`), '.', '-r'], {
        cwd: src,
      });
    const whole = path.join(base, 'zips-full.ndjson');
    expect((await runCli(['scan', zips, '-o', whole, '-f', 'ndjson', '-c', '1', '-q'])).code).toBe(0);
    const expected = lines(whole);
    expect(expected.length).toBe(2 + ZIPS * 26);
    const out = path.join(base, 'zips-partial.ndjson');
    // Stop in the middle of an archive's members (line 119: the 15th member of the fifth archive), not right
    // after a whole archive.
    expect(JSON.parse(expected[118]!)).toMatchObject({ path: 'archive-04.zip!/member-14.txt' });
    const running = runCli(['scan', zips, '-o', out, '-f', 'ndjson', '-c', '1', '-q'], {
      env: signalEnv(out, 'SIGINT', 119),
    });
    expect((await running).code).toBe(130);
    const partial = lines(out);
    const r = await runCli(['scan', zips, '--resume', out, '-c', '1', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const done = lines(out);
    expect(done.slice(1, -1)).toEqual(expected.slice(1, -1));
    const summary = summaryOf(done);
    expect(summary.counts.items).toBe(ZIPS * 26);
    // The archive whose members were cut short was redone: fewer items taken over than were written.
    expect(summary.resumed?.items).toBeLessThan(partial.length - 2);
  });

  it('refuses, with exit 2 and the file untouched, a resume with another source, other options, or a complete manifest', async () => {
    const partialFile = await partialCopy('SIGINT', path.join(base, 'resume-refused.ndjson'));
    const bytes = fs.readFileSync(partialFile);
    const otherSource = await runCli([
      'scan',
      path.join(tree, 'dir-05'),
      '--resume',
      partialFile,
      '-c',
      '1',
      '--hash',
      'sha256',
      '-q',
    ]);
    expect(otherSource.code).toBe(2);
    expect(otherSource.stderr).toMatch(/different source|does not have/);
    const otherOptions = await runCli(['scan', tree, '--resume', partialFile, '-c', '1', '--hash', 'md5', '-q']);
    expect(otherOptions.code).toBe(2);
    expect(otherOptions.stderr).toMatch(/options/);
    expect(fs.readFileSync(partialFile).equals(bytes)).toBe(true);
    const complete = await runCli(['scan', tree, '--resume', path.join(base, 'full.ndjson'), '-q']);
    expect(complete.code).toBe(2);
    expect(complete.stderr).toMatch(/complete manifest/);
  });
});
