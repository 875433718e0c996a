/**
 * Runs the built evtriage command (packages/cli/dist/bin.js, as an installed
 * `evtriage` runs it) in a child process. `pnpm test` builds first; a missing
 * build is a clear failure, not a silent skip.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CliResult } from './cli.js';

export const builtBin = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

export interface BuiltCliOptions {
  cwd?: string;
  input?: string | Buffer;
  /** Run as this user and group (tests of permission errors when the suite runs as root). */
  uid?: number;
  gid?: number;
  timeoutMs?: number;
  /** Destroys the read end of stdout after this many bytes arrived (a reader that stops early, like `head`). */
  closeStdoutAfter?: number;
}

export function runBuiltCli(args: readonly string[], opts: BuiltCliOptions = {}): Promise<CliResult & { stdoutBytes: number }> {
  if (!fs.existsSync(builtBin)) throw new Error(`${builtBin} is missing: run \`pnpm run build\` before these tests.`);
  return new Promise((resolve, reject) => {
    const spawnOpts: SpawnOptions = { cwd: opts.cwd ?? process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] };
    if (opts.uid !== undefined) spawnOpts.uid = opts.uid;
    if (opts.gid !== undefined) spawnOpts.gid = opts.gid;
    const child = spawn(process.execPath, [builtBin, ...args], spawnOpts);
    let stdout = '';
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => {
      stdoutBytes += d.length;
      if (opts.closeStdoutAfter !== undefined && stdoutBytes >= opts.closeStdoutAfter) {
        child.stdout!.destroy();
        return;
      }
      stdout += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, stdoutBytes });
    });
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(opts.input ?? '');
  });
}
