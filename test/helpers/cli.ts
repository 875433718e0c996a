/**
 * Runs evtriage commands from the built CLI (packages/cli/dist), for end-to-end
 * tests of arguments, output and exit codes. The build is current: `pnpm test`
 * builds first, and vitest's global setup (test/helpers/build.ts) runs the same
 * incremental build when vitest is started on its own.
 *
 * A command runs in this test worker's CLI host (helpers/cli-host.mjs: one
 * Node process that runs commands one after the other), unless the test needs
 * the command's own process (its pid, or NODE_OPTIONS for it): then in a new
 * `node packages/cli/dist/bin.js` process.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The built CLI: about half the start-up time of running the sources through a TypeScript loader. */
export const cliBin = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  timeoutMs?: number;
  /** Runs the command in its own process and gives its pid. */
  onSpawn?: (pid: number) => void;
}

export function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  if (opts.onSpawn || opts.env?.['NODE_OPTIONS'] !== undefined) return runCliProcess(args, opts);
  return runInHost(args, opts);
}

/** Runs the command in a new process, as a user does. */
export function runCliProcess(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (child.pid) opts.onSpawn?.(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

const hostScript = fileURLToPath(new URL('./cli-host.mjs', import.meta.url));

interface HostAnswer {
  id: number;
  code?: number;
  stdout?: string;
  stderr?: string;
  error?: string;
}

/** The CLI host of this test worker, started on first use and again after it was stopped. */
let host: { child: ChildProcess; ready: Promise<void>; pending: Map<number, (a: HostAnswer) => void> } | undefined;
let nextId = 0;

function startHost(): NonNullable<typeof host> {
  // Plain Node options, not the test worker's (its module conditions would load the TypeScript sources).
  const child = fork(hostScript, [], { cwd: repoRoot, execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, (a: HostAnswer) => void>();
  const started = { child, pending, ready: Promise.resolve() };
  started.ready = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`the CLI host exited (code ${code}, signal ${signal})`)));
    child.on('message', (m: HostAnswer | { ready: true }) => {
      if ('ready' in m) return resolve();
      pending.get(m.id)?.(m);
      pending.delete(m.id);
    });
  });
  child.on('exit', (code, signal) => {
    if (host === started) host = undefined;
    for (const [id, answer] of pending)
      answer({ id, error: `the CLI host exited (code ${code}, signal ${signal}) while running a command` });
    pending.clear();
  });
  // The host never keeps the test worker alive.
  child.unref();
  child.channel?.unref();
  return started;
}

async function runInHost(args: readonly string[], opts: CliOptions): Promise<CliResult> {
  host ??= startHost();
  const { child, ready, pending } = host;
  await ready;
  const id = nextId++;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const answer = await new Promise<HostAnswer>((resolve) => {
    // Past the time limit the host is stopped with the command, as a spawned command would be killed.
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    pending.set(id, (a) => {
      clearTimeout(timer);
      resolve(timedOut ? { id, error: `\`evtriage ${args.join(' ')}\` did not end within ${timeoutMs} ms` } : a);
    });
    child.send({
      id,
      args,
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, ...opts.env },
      input: Buffer.from(opts.input ?? '').toString('base64'),
    });
  });
  if (answer.error !== undefined) throw new Error(answer.error);
  return { code: answer.code ?? null, signal: null, stdout: answer.stdout ?? '', stderr: answer.stderr ?? '' };
}
