/**
 * The CLI's contract with analysts and scripts: help on every command, clear
 * errors with non-zero exit codes, never writing into the evidence.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { readJsonManifest } from '../helpers/manifest.js';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-cli-'));
  fs.mkdirSync(path.join(tmp, 'evidence'));
  fs.writeFileSync(path.join(tmp, 'evidence/a.txt'), 'hello\n');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('evtriage CLI', () => {
  it('exits 0 on a clean scan and writes the manifest', async () => {
    const r = await runCli(['scan', path.join(tmp, 'evidence'), '-o', path.join(tmp, 'ok.json'), '-q']);
    expect(r.code).toBe(0);
    expect(readJsonManifest(path.join(tmp, 'ok.json')).items).toHaveLength(1);
  });

  it('exits 2 with what to do when the source does not exist', async () => {
    const r = await runCli(['scan', path.join(tmp, 'missing'), '-o', path.join(tmp, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist\. Give the path of an extraction folder or archive/);
    expect(fs.existsSync(path.join(tmp, 'x.json'))).toBe(false);
  });

  it('exits 2 when asked to write inside the evidence folder', async () => {
    const r = await runCli(['scan', path.join(tmp, 'evidence'), '-o', path.join(tmp, 'evidence/m.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/never writes into a source/);
    expect(fs.readdirSync(path.join(tmp, 'evidence'))).toEqual(['a.txt']);
  });

  it('exits 2 on an unknown format, an unknown option or a missing output', async () => {
    expect(
      (await runCli(['scan', path.join(tmp, 'evidence'), '-o', path.join(tmp, 'y'), '--format', 'xlsx'])).code,
    ).toBe(2);
    expect((await runCli(['scan', path.join(tmp, 'evidence'), '--no-such-option'])).code).toBe(2);
    const noOut = await runCli(['scan', path.join(tmp, 'evidence')]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/-o <file>/);
  });

  it('has --help on every command', async () => {
    for (const cmd of [[], ['scan'], ['plugins'], ['validate'], ['summary']]) {
      const r = await runCli([...cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: evtriage/);
    }
  });

  // `validate` on a manifest scan wrote, and on a broken one with the location of the problem: in
  // test/report/manifest-commands.test.ts (JSON and NDJSON, by line and by item index).

  it('runs from the repo root as `pnpm evtriage` would, with the sample extraction', async () => {
    const r = await runCli(['scan', 'examples/sample-extraction', '-o', path.join(tmp, 's.json'), '-q'], {
      cwd: repoRoot,
    });
    expect([0, 1]).toContain(r.code);
  });
});
