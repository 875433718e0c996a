/**
 * `evtriage queue status`: per extraction, its shards done, running, waiting
 * and failed, the items written so far, and the retries it took.
 */
import type { Writable } from 'node:stream';
import { Job, Queue } from 'bullmq';
import { EXIT } from '../exit-codes.js';
import { checkReachable, connectionOf } from './connection.js';
import { MergeJob, QUEUE_NAME, shardJobId } from './jobs.js';

export interface ShardState {
  shard: number;
  state: string;
  items: number;
  /** Runs started beyond the first: failures retried and runs lost with a worker (stalled). */
  retries: number;
  /** The worker that runs or ran it last. */
  worker?: string;
  failedReason?: string;
}

export interface ExtractionState {
  extraction: string;
  source: string;
  output: string;
  /** The merge job's state: waiting-children until every shard landed, then waiting/active/completed/failed. */
  state: string;
  shards: ShardState[];
  items: number;
  retries: number;
  failedReason?: string;
  exitCode?: number;
}

function itemsOf(job: Job): number {
  const rv = job.returnvalue as { items?: number } | null | undefined;
  if (typeof rv?.items === 'number') return rv.items;
  const p = job.progress as { items?: number } | number | undefined;
  return typeof p === 'object' && typeof p?.items === 'number' ? p.items : 0;
}

export async function describeExtraction(queue: Queue, extraction: string): Promise<ExtractionState | undefined> {
  const first = await Job.fromId(queue, extraction);
  if (!first) return undefined;
  // The merge's state before the shards': it fails or completes only after a shard did, so shards read after it
  // show what it saw (read the other way round, a shard failing in between gave a failed extraction with no
  // reason). The job is read again for the failedReason its state came with.
  const state = await first.getState();
  const merge = (await Job.fromId(queue, extraction)) ?? first;
  const data = MergeJob.parse(merge.data);
  const shards: ShardState[] = [];
  for (let i = 0; i < data.count; i++) {
    const job = await Job.fromId(queue, shardJobId(extraction, i));
    if (!job) {
      shards.push({ shard: i + 1, state: 'missing', items: 0, retries: 0 });
      continue;
    }
    const state = await job.getState();
    shards.push({
      shard: i + 1,
      state,
      items: itemsOf(job),
      retries: Math.max(0, (job.attemptsStarted ?? 0) - 1),
      ...(job.processedBy ? { worker: job.processedBy } : {}),
      ...(job.failedReason ? { failedReason: job.failedReason } : {}),
    });
  }
  // A shard failed by its own error names it; one failed along with its extraction may carry no reason.
  const failedShard =
    shards.find((s) => s.state === 'failed' && s.failedReason) ?? shards.find((s) => s.state === 'failed');
  const rv = merge.returnvalue as { exitCode?: number } | null | undefined;
  return {
    extraction,
    source: data.source,
    output: data.output,
    state,
    shards,
    items: shards.reduce((n, s) => n + s.items, 0),
    retries: shards.reduce((n, s) => n + s.retries, 0),
    // A failed shard's own error says more than the merge's "child … failed".
    ...(failedShard
      ? { failedReason: `shard ${failedShard.shard}/${shards.length}: ${failedShard.failedReason ?? 'failed'}` }
      : merge.failedReason
        ? { failedReason: merge.failedReason }
        : {}),
    ...(typeof rv?.exitCode === 'number' ? { exitCode: rv.exitCode } : {}),
  };
}

export function printExtraction(out: Writable, d: ExtractionState): void {
  const by = (s: string) => d.shards.filter((x) => x.state === s).length;
  const waiting = d.shards.length - by('completed') - by('active') - by('failed');
  out.write(
    `${d.extraction}  ${d.state.padEnd(16)} shards ${by('completed')}/${d.shards.length} done, ${by('active')} running, ${waiting} waiting, ${by('failed')} failed; ` +
      `${d.items} items; ${d.retries} retr${d.retries === 1 ? 'y' : 'ies'}\n    ${d.source} -> ${d.output}\n` +
      (d.failedReason ? `    error: ${d.failedReason}\n` : ''),
  );
}

export interface StatusCommandOptions {
  redis?: string;
  json?: boolean;
}

export async function runStatus(extractions: readonly string[], opts: StatusCommandOptions): Promise<number> {
  const connection = connectionOf(opts.redis);
  await checkReachable(opts.redis);
  const queue = new Queue(QUEUE_NAME, { connection });
  try {
    const ids =
      extractions.length > 0
        ? extractions
        : (
            await queue.getJobs([
              'waiting-children',
              'waiting',
              'active',
              'completed',
              'failed',
              'delayed',
              'prioritized',
            ])
          )
            .filter((j) => j.name === 'merge')
            .map((j) => j.id!);
    const all: ExtractionState[] = [];
    for (const id of ids) {
      const d = await describeExtraction(queue, id);
      if (d) all.push(d);
      else if (extractions.length > 0) process.stderr.write(`no extraction ${id} on this queue\n`);
    }
    if (opts.json) process.stdout.write(JSON.stringify(all, null, 2) + '\n');
    else if (all.length === 0) process.stdout.write('No extractions on the queue.\n');
    else for (const d of all) printExtraction(process.stdout, d);
    return EXIT.OK;
  } finally {
    await queue.close();
  }
}
