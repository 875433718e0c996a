/**
 * Runs the built CLI (packages/cli/dist/bin.js, made by `pnpm build`) in a
 * child process, as a user runs it: for hostile-input tests, where the
 * process's own exit code, signals and peak memory are what is checked.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Manifest } from '@evtriage/core';

export const builtBin = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

export interface BuiltCliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the run was killed for passing `timeoutMs`. */
  timedOut: boolean;
}

export function runBuiltCli(args: readonly string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[] } = {}): Promise<BuiltCliResult> {
  if (!fs.existsSync(builtBin)) throw new Error(`${builtBin} is missing: run \`pnpm build\` first.`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), builtBin, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Reads a JSON manifest and checks it against the schema; throws when it is not a complete, valid manifest. */
export function readCompleteManifest(file: string): Manifest {
  const m = Manifest.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!m.summary.complete) throw new Error(`${file}: the summary says the scan is incomplete`);
  if (m.summary.counts.items !== m.items.length || m.summary.counts.enumerated !== m.items.length) {
    throw new Error(`${file}: ${m.items.length} items written, summary counts ${JSON.stringify(m.summary.counts)}`);
  }
  return m;
}
