/**
 * Runs the built CLI (packages/cli/dist/bin.js, made by `pnpm build`) in a
 * child process, as a user runs it: for hostile-input tests, where the
 * process's own exit code, signals and peak memory are what is checked.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Manifest } from '@evtriage/core';

export const builtBin = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

export interface BuiltCliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Bytes that arrived on stdout (all of them, also past `closeStdoutAfter`). */
  stdoutBytes: number;
  /** True when the run was killed for passing `timeoutMs`. */
  timedOut: boolean;
}

export interface BuiltCliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  nodeArgs?: readonly string[];
  input?: string | Buffer;
  /** Run as this user and group (tests of permission errors when the suite runs as root). */
  uid?: number;
  gid?: number;
  timeoutMs?: number;
  /** Destroys the read end of stdout after this many bytes arrived (a reader that stops early, like `head`). */
  closeStdoutAfter?: number;
}

/** Runs the built CLI as a user runs it; a missing build is a clear failure, not a silent skip. */
export function runBuiltCli(args: readonly string[], opts: BuiltCliOptions = {}): Promise<BuiltCliResult> {
  if (!fs.existsSync(builtBin)) throw new Error(`${builtBin} is missing: run \`pnpm build\` first.`);
  return new Promise((resolve, reject) => {
    const spawnOpts: SpawnOptions = {
      cwd: opts.cwd ?? process.cwd(),
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    };
    if (opts.uid !== undefined) spawnOpts.uid = opts.uid;
    if (opts.gid !== undefined) spawnOpts.gid = opts.gid;
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), builtBin, ...args], spawnOpts);
    let stdout = '';
    let stdoutBytes = 0;
    let stderr = '';
    let timedOut = false;
    child.stdout!.on('data', (d: Buffer) => {
      stdoutBytes += d.length;
      if (opts.closeStdoutAfter !== undefined && stdoutBytes >= opts.closeStdoutAfter) {
        child.stdout!.destroy();
        return;
      }
      stdout += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, stdoutBytes, timedOut });
    });
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(opts.input ?? '');
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

/** Resident memory (KiB) of `pid` and all its descendants now, from /proc (0 when it is gone). */
export function treeRssKiB(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      total += m ? Number(m[1]) : 0;
      for (const t of fs.readdirSync(`/proc/${p}/task`)) {
        for (const c of fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' '))
          if (c.trim()) stack.push(Number(c));
      }
    } catch {
      // The process ended between two reads.
    }
  }
  return total;
}

/**
 * Runs the built CLI under GNU time and reports memory: `maxRssKiB` is the
 * largest resident set any one process of the run reached (the kernel's
 * getrusage figure, exact), `treePeakKiB` the largest sum over the CLI and
 * its child processes seen by sampling /proc every 50 ms (a lower bound of
 * the true peak sum; with no child processes it equals the first).
 */
export async function runBuiltCliMeasured(
  args: readonly string[],
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<BuiltCliResult & { maxRssKiB: number; treePeakKiB: number }> {
  if (!fs.existsSync(builtBin)) throw new Error(`${builtBin} is missing: run \`pnpm build\` first.`);
  const timeFile = path.join(os.tmpdir(), `evtriage-time-${process.pid}-${Date.now()}.txt`);
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-o', timeFile, '-f', '%M', process.execPath, builtBin, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let treePeakKiB = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const sampler = setInterval(() => {
      if (child.pid) treePeakKiB = Math.max(treePeakKiB, treeRssKiB(child.pid));
    }, 50);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(sampler);
      let maxRssKiB = NaN;
      try {
        maxRssKiB = Number(fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop());
        fs.rmSync(timeFile, { force: true });
      } catch {
        // No figure: the assertion on it fails with NaN.
      }
      resolve({
        code,
        signal,
        stdout,
        stderr,
        stdoutBytes: Buffer.byteLength(stdout),
        timedOut,
        maxRssKiB,
        treePeakKiB,
      });
    });
  });
}
