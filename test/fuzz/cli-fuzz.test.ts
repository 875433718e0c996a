/**
 * A short, fixed-seed run of the CLI mutation fuzzer (scripts/fuzz.mjs):
 * mutants of the committed fixtures scanned by the built CLI must never
 * crash, hang, pass the memory cap, drop a file or leave a manifest that is
 * not complete. The long runs are described in docs/forensic-soundness.md
 * ("Mutation fuzzing"); what they find becomes a file in test/regressions.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-fuzz-test-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

interface FuzzReport {
  seed: number;
  runs: number;
  mutants: number;
  seedFiles: number;
  failures: Array<{
    run: number;
    problem: string;
    culprits: Array<{ name: string; from: string; mutations: string[]; problem: string }>;
  }>;
}

/** Runs scripts/fuzz.mjs with `--json` among `args` and gives its report, whether or not it found failures. */
async function fuzzReport(args: readonly string[]): Promise<FuzzReport> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, args, { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 }));
  } catch (err) {
    // Exit 1: failures found; the report on stdout says which (saved under `out`).
    stdout = (err as { stdout?: string }).stdout ?? '';
    if (!stdout) throw err;
  }
  return JSON.parse(stdout) as FuzzReport;
}

describe('scripts/fuzz.mjs', () => {
  it('seed 1: 4 scans of 24 mutants each, no crash, hang, memory blow-up or broken manifest', async () => {
    const args = [
      'scripts/fuzz.mjs',
      '--seed',
      '1',
      '--runs',
      '4',
      '--batch',
      '24',
      // What counts as a hang: far above what a scan of 24 small mutants takes on a loaded machine (40 s was
      // reached under load with nothing wrong); a scan that never ends still reaches it.
      '--time-limit',
      '120000',
      '--mem-limit-mib',
      '1024',
      '--out',
      out,
      '--json',
    ];
    const report = await fuzzReport(args);
    expect(report.mutants).toBe(96);
    expect(report.seedFiles).toBeGreaterThan(100);
    expect(report.failures, JSON.stringify(report.failures, null, 2)).toEqual([]);
  }, 600_000);

  it('--pack, seed 1: 24 mutants, about half inside archives zip and tar made, every member listed', async () => {
    const args = ['scripts/fuzz.mjs', '--seed', '1', '--runs', '1', '--batch', '24', '--pack'];
    args.push('--time-limit', '120000', '--mem-limit-mib', '1024', '--out', out, '--json');
    const report = await fuzzReport(args);
    expect(report.mutants).toBe(24);
    expect(report.failures, JSON.stringify(report.failures, null, 2)).toEqual([]);
  }, 300_000);

  it('saves a failing input and names the culprit (a hang, with a time limit too short for any scan)', async () => {
    const args = [
      'scripts/fuzz.mjs',
      '--seed',
      '2',
      '--runs',
      '1',
      '--batch',
      '2',
      '--time-limit',
      '1',
      '--out',
      out,
      '--json',
    ];
    const r = await promisify(execFile)(process.execPath, args, { cwd: repoRoot }).then(
      (x) => ({ code: 0, stdout: x.stdout }),
      (err: { code?: number; stdout?: string }) => ({ code: err.code, stdout: err.stdout ?? '' }),
    );
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as FuzzReport;
    expect(report.failures[0]?.problem).toMatch(/^hang/);
    expect(report.failures[0]?.culprits).toHaveLength(2);
    const saved = path.join(out, 'seed2-run0');
    expect(fs.readdirSync(saved).sort()).toEqual(
      [...report.failures[0]!.culprits.map((c) => c.name), 'fuzz-report.json'].sort(),
    );
  }, 60_000);
});
