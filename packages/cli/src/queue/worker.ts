/**
 * `evtriage worker`: takes shard and merge jobs from the queue. Any number of
 * workers on any number of machines; each sees sources and outputs at the same
 * paths (a shared mount) and touches nothing outside the roots it was started
 * with (`--allow-root`), so a queue entry cannot make it read arbitrary files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { CliError, EXIT } from '../exit-codes.js';
import { runMerge } from '../commands/merge.js';
import { checkReachable, connectionOf, maskUrl } from './connection.js';
import { MergeJob, partFile, QUEUE_NAME, ShardJob } from './jobs.js';

export interface WorkerCommandOptions {
  redis?: string;
  concurrency: number;
  allowRoot: string[];
  name?: string;
  /** How long a job's lock lasts without renewal: a killed worker's shard runs again after this (ms). */
  lockMs: number;
}

/** Real paths of the allowed roots; refuses to start without one. */
function resolveRoots(roots: readonly string[]): string[] {
  if (roots.length === 0)
    throw new CliError(
      'give at least one --allow-root <dir>: the folders (on the shared mount) this worker may read sources from and write manifests to.',
    );
  return roots.map((r) => {
    try {
      return fs.realpathSync(r);
    } catch {
      throw new CliError(
        `--allow-root ${r} does not exist on this machine; mount the shared store there or name a folder that exists.`,
      );
    }
  });
}

/** The real path of `p` (of its parent for a file not written yet), or refuses when it is outside every root. */
function underRoots(p: string, roots: readonly string[], what: string, worker: string): string {
  if (!path.isAbsolute(p))
    throw new UnrecoverableError(
      `${what} ${JSON.stringify(p)} is not an absolute path; submit jobs with absolute paths on the shared mount.`,
    );
  let real: string;
  try {
    real = fs.realpathSync(p);
  } catch {
    try {
      real = path.join(fs.realpathSync(path.dirname(p)), path.basename(p));
    } catch (err) {
      throw new UnrecoverableError(
        `worker ${worker} cannot see ${what} ${p}: ${(err as Error).message}. Sources and outputs must be on a path every worker sees (docs/distributed.md).`,
      );
    }
  }
  if (!roots.some((r) => real === r || real.startsWith(r + path.sep))) {
    throw new UnrecoverableError(
      `worker ${worker} refuses ${what} ${p}: it is outside the roots it was started with (${roots.join(', ')}); start workers with --allow-root naming the shared store.`,
    );
  }
  return real;
}

/** The scan options of a shard job as command-line arguments of `evtriage scan`. */
function scanArgs(data: ShardJob, output: string): string[] {
  const o = data.scan;
  const args = ['scan', data.source, '--shard', `${data.index + 1}/${data.count}`, '-f', 'ndjson', '-o', output, '-q'];
  for (const g of o.include) args.push('--include', g);
  for (const g of o.exclude) args.push('--exclude', g);
  const flags: Array<[string, string | number | undefined]> = [
    ['--hash', o.hash],
    ['--case-id', o.caseId],
    ['--examiner', o.examiner],
    ['--source-type', o.sourceType],
    ['--max-depth', o.maxDepth],
    ['--max-expanded', o.maxExpanded],
    ['--max-ratio', o.maxRatio],
    ['--max-members', o.maxMembers],
    ['--item-timeout', o.itemTimeout],
  ];
  for (const [flag, value] of flags) if (value !== undefined) args.push(flag, String(value));
  return args;
}

/** Lines written so far to a growing NDJSON file, read incrementally (the shard's progress). */
function lineCounter(file: string): () => number {
  let offset = 0;
  let lines = 0;
  const buf = Buffer.alloc(1 << 16);
  return () => {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return lines;
    }
    try {
      for (let n; (n = fs.readSync(fd, buf, 0, buf.length, offset)) > 0; offset += n)
        for (let i = 0; i < n; i++) if (buf[i] === 10) lines++;
    } finally {
      fs.closeSync(fd);
    }
    return lines;
  };
}

/**
 * Runs one shard as a child `evtriage scan --shard K/N`: the worker's own event
 * loop stays free to renew the job's lock, and the child stops when its worker
 * dies (its IPC channel closes), so a killed worker leaves no scan running.
 */
async function runShard(
  job: Job,
  roots: readonly string[],
  worker: string,
): Promise<{ items: number; exitCode: number; part: string }> {
  const data = ShardJob.parse(job.data);
  const source = underRoots(data.source, roots, 'source', worker);
  const partsDir = underRoots(data.partsDir, roots, 'parts folder', worker);
  try {
    fs.accessSync(source, fs.constants.R_OK);
  } catch (err) {
    throw new UnrecoverableError(`worker ${worker} cannot read source ${source}: ${(err as Error).message}.`);
  }
  fs.mkdirSync(partsDir, { recursive: true });
  const part = partFile(partsDir, data.index, data.count);
  // Each attempt writes its own file and renames it when whole: a killed attempt leaves no part that looks finished.
  const temp = `${part}.${job.id}.${job.attemptsStarted}.${process.pid}.tmp`;
  const lines = lineCounter(temp);
  const child = fork(fileURLToPath(new URL('../bin.js', import.meta.url)), scanArgs({ ...data, source }, temp), {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 8192) stderr += d.toString();
  });
  const progress = setInterval(
    () => void job.updateProgress({ items: Math.max(0, lines() - 1) }).catch(() => undefined),
    1000,
  );
  let exitCode: number | null;
  try {
    exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(signal ? null : code));
    });
  } finally {
    clearInterval(progress);
  }
  const why = stderr.trim().split('\n').pop() ?? '';
  if (exitCode === EXIT.USAGE) {
    fs.rmSync(temp, { force: true });
    // A usage error (bad option, unreadable source) fails the same way on every worker: no retry.
    throw new UnrecoverableError(`shard ${data.index + 1}/${data.count}: ${why.replace(/^evtriage: /, '')}`);
  }
  if (exitCode !== EXIT.OK && exitCode !== EXIT.ITEM_ERRORS) {
    fs.rmSync(temp, { force: true });
    throw new Error(
      `the scan of shard ${data.index + 1}/${data.count} ended with ${exitCode === null ? 'a signal' : `exit code ${exitCode}`}${why ? `: ${why}` : ''}; it will run again.`,
    );
  }
  // Header and summary lines aside; counted before the rename (the counter reads the temporary name).
  const items = Math.max(0, lines() - 2);
  fs.renameSync(temp, part);
  await job.updateProgress({ items });
  return { items, exitCode, part };
}

async function runMergeJob(
  job: Job,
  roots: readonly string[],
  worker: string,
): Promise<{ items: number; exitCode: number; output: string }> {
  const data = MergeJob.parse(job.data);
  const partsDir = underRoots(data.partsDir, roots, 'parts folder', worker);
  const output = underRoots(data.output, roots, 'output', worker);
  const parts = [...Array(data.count).keys()].map((i) => partFile(partsDir, i, data.count));
  let exitCode: number;
  try {
    exitCode = await runMerge(parts, { output, quiet: true });
  } catch (err) {
    if (err instanceof CliError) throw new UnrecoverableError(err.message);
    throw err;
  }
  const items = Object.values(await job.getChildrenValues<{ items: number }>()).reduce((n, v) => n + v.items, 0);
  return { items, exitCode, output };
}

export async function runWorker(opts: WorkerCommandOptions): Promise<number> {
  const roots = resolveRoots(opts.allowRoot);
  const connection = connectionOf(opts.redis);
  await checkReachable(opts.redis);
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1 || opts.concurrency > 64)
    throw new CliError('--concurrency must be a whole number from 1 to 64 (shards at once on this machine).');
  const name = opts.name ?? `${os.hostname()}:${process.pid}`;
  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job) => {
      process.stderr.write(`worker ${name}: ${job.name} ${job.id} started (attempt ${job.attemptsStarted})\n`);
      const result = job.name === 'merge' ? await runMergeJob(job, roots, name) : await runShard(job, roots, name);
      process.stderr.write(`worker ${name}: ${job.name} ${job.id} done (${result.items} items)\n`);
      return result;
    },
    {
      connection,
      concurrency: opts.concurrency,
      name,
      lockDuration: opts.lockMs,
      stalledInterval: Math.max(1000, Math.floor(opts.lockMs / 2)),
      maxStalledCount: 2,
    },
  );
  worker.on('failed', (job, err) =>
    process.stderr.write(`worker ${name}: ${job?.name ?? 'job'} ${job?.id ?? ''} failed: ${err.message}\n`),
  );
  worker.on('error', (err) => process.stderr.write(`worker ${name}: queue error: ${err.message}\n`));
  await worker.waitUntilReady();
  process.stderr.write(
    `worker ${name}: waiting for jobs on ${maskUrl(opts.redis ?? process.env['EVTRIAGE_REDIS_URL'] ?? '')} (roots: ${roots.join(', ')})\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stderr.write(`worker ${name}: stopping after the jobs in hand\n`);
  await worker.close();
  return EXIT.OK;
}
