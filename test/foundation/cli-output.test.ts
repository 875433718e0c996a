/**
 * Where the command writes and what it reads, end to end with the built CLI:
 * no output lands in the evidence whatever symbolic links are on the way,
 * output problems are exit-2 messages (never a stack trace), a closed pipe
 * ends quietly, the format follows the output's extension, `-` reads a
 * manifest from standard input, and a truncated manifest still has a summary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/built-cli.js';
import { runCli } from '../helpers/cli.js';
import { readJsonManifest } from '../helpers/manifest.js';
import type { Manifest, ManifestSummary } from '@evtriage/core';

let tmp: string;
let evidence: string;
/** A five-file folder, for the tests of what is written where (the 600-file one is for sizes past a pipe's buffer). */
let small: string;
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** The shared manifests of the evidence (made once, below). */
let shared: { json: string; ndjson: string };

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-out-'));
  fs.chmodSync(tmp, 0o755);
  evidence = path.join(tmp, 'evidence');
  fs.mkdirSync(evidence);
  // Enough items that the JSON manifest is far larger than a pipe's buffer (64 KiB).
  for (let i = 0; i < 600; i++)
    fs.writeFileSync(path.join(evidence, `note-${String(i).padStart(4, '0')}.txt`), `note ${i}\n`);
  fs.symlinkSync(evidence, path.join(tmp, 'evlink'));
  small = path.join(tmp, 'small');
  fs.mkdirSync(small);
  for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(small, `note-${i}.txt`), `note ${i}\n`);
  fs.mkdirSync(path.join(tmp, 'out'));
  fs.symlinkSync(path.join(tmp, 'out'), path.join(tmp, 'outlink'));
  // One scan of the evidence in each manifest format, read (never changed) by every test that needs a manifest.
  shared = { json: path.join(tmp, 'out', 'shared.json'), ndjson: path.join(tmp, 'out', 'shared.ndjson') };
  const runs = await Promise.all([
    runCli(['scan', evidence, '-o', shared.json, '-q']),
    runCli(['scan', evidence, '-o', shared.ndjson, '-q']),
  ]);
  expect(runs.map((r) => r.code)).toEqual([0, 0]);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const evidenceNames = () => fs.readdirSync(evidence).filter((n) => !n.startsWith('note-'));

describe('never into the evidence, through links', () => {
  it('refuses an output reached through a link to the evidence folder', async () => {
    const r = await runCli(['scan', evidence, '-o', path.join(tmp, 'evlink/out.json'), '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/never writes into a source/);
    expect(r.stderr).toContain(`resolves to ${fs.realpathSync(evidence)}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(evidenceNames()).toEqual([]);
  });

  it('refuses a source given through a link with the output by its real path', async () => {
    const r = await runCli(['scan', path.join(tmp, 'evlink'), '-o', path.join(evidence, 'out.json'), '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/never writes into a source/);
    expect(evidenceNames()).toEqual([]);
  });

  it('refuses an output in a subfolder of the evidence reached through a relative path and links', async () => {
    fs.mkdirSync(path.join(evidence, 'sub'), { recursive: true });
    try {
      const r = await runCli(['scan', 'evlink', '-o', 'evlink/sub/../sub/m.json', '-q'], { cwd: tmp });
      expect(r.code).toBe(2);
      expect(fs.readdirSync(path.join(evidence, 'sub'))).toEqual([]);
    } finally {
      fs.rmdirSync(path.join(evidence, 'sub'));
    }
  });

  it('refuses an output file that is a link (even a dangling one) into the evidence', async () => {
    const link = path.join(tmp, 'out', 'looks-outside.json');
    fs.symlinkSync(path.join(evidence, 'not-yet.json'), link);
    try {
      const r = await runCli(['scan', evidence, '-o', link, '-q']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/never writes into a source/);
      expect(evidenceNames()).toEqual([]);
    } finally {
      fs.unlinkSync(link);
    }
  });

  it('refuses to overwrite a source archive with its own manifest, even through a link', async () => {
    const zip = path.join(tmp, 'out', 'dump.zip');
    fs.copyFileSync(path.join(import.meta.dirname, '../containers/fixtures/tree.zip'), zip);
    const before = fs.readFileSync(zip);
    const r = await runCli(['scan', zip, '-o', path.join(tmp, 'outlink', 'dump.zip'), '-f', 'json', '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to overwrite the source/);
    expect(fs.readFileSync(zip).equals(before)).toBe(true);
  });

  it('writes through a link to a folder outside the evidence', async () => {
    const r = await runCli(['scan', path.join(tmp, 'evlink'), '-o', path.join(tmp, 'outlink', 'ok.json'), '-q']);
    expect(r.code).toBe(0);
    expect(readJsonManifest(path.join(tmp, 'out', 'ok.json')).items).toHaveLength(600);
  });
});

describe('output problems are messages with exit 2', () => {
  it('a missing output folder: ENOENT, says which folder, creates nothing', async () => {
    const r = await runCli(['scan', evidence, '-o', path.join(tmp, 'no-such-folder', 'm.json'), '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the folder ${path.join(tmp, 'no-such-folder')} does not exist`);
    expect(r.stderr).not.toMatch(/Unhandled|\n\s+at /);
  });

  it('an output folder that is not writable: EACCES', async () => {
    const ro = path.join(tmp, 'read-only');
    fs.mkdirSync(ro, { mode: 0o555 });
    fs.chmodSync(ro, 0o555);
    // Root may write anywhere: run the command as nobody then.
    const r = await runBuiltCli(
      ['scan', evidence, '-o', path.join(ro, 'm.json'), '-q'],
      isRoot ? { uid: NOBODY, gid: NOBODY, cwd: tmp } : {},
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*m\.json: permission denied\. Choose a folder you may write to/);
    expect(r.stderr).not.toMatch(/Unhandled|\n\s+at /);
    expect(fs.readdirSync(ro)).toEqual([]);
  });

  it('an output that is a folder: EISDIR', async () => {
    const r = await runCli(['scan', evidence, '-o', path.join(tmp, 'out'), '-f', 'json', '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/it is a folder\. Give a file name/);
  });

  it('report to a missing folder: exit 2 with the message', async () => {
    const r = await runCli(['report', shared.ndjson, '-o', path.join(tmp, 'missing', 'r.html'), '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist\. Create it first/);
  });

  it('a reader that closes the pipe early (`-o - | head`) ends the scan quietly: EPIPE, exit 0, nothing on stderr', async () => {
    const r = await runBuiltCli(['scan', evidence, '-o', '-'], { closeStdoutAfter: 1 });
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
  });

  it('summary piped into a closed reader ends quietly too', async () => {
    const r = await runBuiltCli(['report', shared.json, '-o', '-', '-f', 'csv'], { closeStdoutAfter: 1 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('the format follows the output extension', () => {
  it.each([
    ['report.html', /^<!DOCTYPE html>/],
    ['items.csv', /^path,/],
    ['case.jsonld', /^\{\s*"@context"/],
    ['items.xml', /^<\?xml/],
  ])('scan -o %s writes that format', async (name, head) => {
    const out = path.join(tmp, 'out', `ext-${name}`);
    const r = await runCli(['scan', small, '-o', out, '-q']);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(head);
  });

  // The shared scans above were run as `scan <evidence> -o shared.ndjson` and `-o shared.json`, without -f:
  // the extension chose their format (a scan of their own each would prove the same).
  it.each([
    ['ndjson', /^\{"type":"header"/],
    ['json', /^\{"header":/],
  ] as const)('scan -o m.%s writes that format', (ext, head) => {
    expect(fs.readFileSync(shared[ext], 'utf8')).toMatch(head);
  });

  it('refuses an extension that names no format, and writes nothing', async () => {
    const out = path.join(tmp, 'out', 'manifest.txt');
    const r = await runCli(['scan', small, '-o', out, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot tell the output format from the extension "\.txt".*give the format with -f/);
    expect(fs.existsSync(out)).toBe(false);
    // -f decides over the extension.
    expect((await runCli(['scan', small, '-o', out, '-f', 'ndjson', '-q'])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^\{"type":"header"/);
  });

  it('standard output gets JSON unless -f says otherwise', async () => {
    const r = await runCli(['scan', small, '-o', '-', '-q']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Manifest).items).toHaveLength(5);
  });
});

describe('manifests from standard input, and partial manifests', () => {
  let ndjson: string;
  let json: string;
  beforeAll(() => {
    ndjson = shared.ndjson;
    json = shared.json;
  });

  it('validate, summary and report read - as standard input', async () => {
    for (const m of [ndjson, json]) {
      const input = fs.readFileSync(m);
      const v = await runCli(['validate', '-'], { input });
      expect(v.code).toBe(0);
      expect(v.stdout).toMatch(/valid manifest, 600 items/);
      const s = await runCli(['summary', '-'], { input });
      expect(s.code).toBe(0);
      expect(s.stdout).toMatch(/^Scan complete: 600 items/);
      const r = await runCli(['report', '-', '-o', '-', '-f', 'csv'], { input });
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(601);
    }
  });

  it('summary of a truncated NDJSON manifest shows the partial totals, marked incomplete', async () => {
    const lines = fs.readFileSync(ndjson, 'utf8').trim().split('\n');
    // The header and the first 250 items; the rest and the summary are lost.
    const truncated = lines.slice(0, 251).join('\n') + '\n';
    const r = await runCli(['summary', '-'], { input: truncated });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Scan INCOMPLETE \(.*has no summary record.*\): 250 items/);
    expect(r.stdout).toMatch(/analysable\s+250/);
    expect(r.stderr).toMatch(/is partial/);
  });

  it('summary of a JSON manifest cut mid-item counts the whole items before the cut', async () => {
    const text = fs.readFileSync(json, 'utf8');
    const cut = path.join(tmp, 'out', 'cut.json');
    // Cut inside the 101st item.
    let at = text.indexOf('"items":[');
    for (let i = 0; i < 101; i++) at = text.indexOf('{"path"', at + 1);
    fs.writeFileSync(cut, text.slice(0, at + 20));
    const r = await runCli(['summary', cut]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Scan INCOMPLETE .*: 100 items/);
  });
});

describe('resuming a JSON manifest', () => {
  let full: Manifest;
  let fullText: string;
  beforeAll(() => {
    fullText = fs.readFileSync(shared.json, 'utf8');
    full = JSON.parse(fullText) as Manifest;
  });
  const same = (file: string) => {
    const done = readJsonManifest(file);
    expect(done.items.map((i) => i.path)).toEqual(full.items.map((i) => i.path));
    expect(done.summary.complete).toBe(true);
    expect(done.summary.counts.items).toBe(600);
    return done;
  };

  it('finishes a JSON manifest cut in the middle of an item (a hard kill), keeping the whole items before the cut', async () => {
    const cut = path.join(tmp, 'out', 'resume-cut.json');
    fs.writeFileSync(cut, fullText.slice(0, Math.floor(fullText.length / 2)));
    const r = await runCli(['scan', evidence, '--resume', cut, '-q']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await runCli(['validate', cut])).code).toBe(0);
    const done = same(cut);
    expect(done.summary.resumed?.items).toBeGreaterThan(200);
  });

  it("finishes a JSON manifest that ends with the interrupted run's summary (complete: false)", async () => {
    const lines = fullText.trimEnd().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]!.slice('"summary":'.length, -1)) as ManifestSummary;
    const head = lines.slice(0, 2 + 100);
    head[head.length - 1] = head[head.length - 1]!.replace(/,$/, '');
    const interrupted = path.join(tmp, 'out', 'resume-interrupted.json');
    fs.writeFileSync(
      interrupted,
      `${head.join('\n')}\n],\n"summary":${JSON.stringify({ ...summary, complete: false, interruption: 'the scan was interrupted' })}}\n`,
    );
    const out = path.join(tmp, 'out', 'resume-finished.json');
    const r = await runCli(['scan', evidence, '--resume', interrupted, '-o', out, '-q']);
    expect(r.code).toBe(0);
    expect(same(out).summary.resumed?.items).toBe(100);
    // With -o elsewhere the partial file is left as it was.
    expect(fs.readFileSync(interrupted, 'utf8')).toMatch(/"complete":false/);
  });

  it('refuses to resume into a report format, saying why and what to do', async () => {
    const r = await runCli(['scan', evidence, '--resume', shared.json, '-f', 'html', '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format html cannot be resumed \(make it afterwards with evtriage report\)/);
  });
});
