/**
 * `evtriage queue submit <source> --shards N -o manifest.ndjson`: one flow per
 * extraction — N shard jobs and the merge that runs when the last has landed.
 * `--wait` returns when the merged manifest is written (or the extraction failed).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FlowProducer, Queue } from 'bullmq';
import { CliError, EXIT } from '../exit-codes.js';
import { checkReachable, connectionOf } from './connection.js';
import { QUEUE_NAME, shardJobId, ShardScanOptions, type MergeJob, type ShardJob } from './jobs.js';
import { describeExtraction, printExtraction } from './status.js';

export interface SubmitCommandOptions extends Partial<ShardScanOptions> {
  redis?: string;
  shards: number;
  output?: string;
  wait?: boolean;
  /** Attempts per shard before the extraction fails (a killed worker's run counts as one). */
  attempts: number;
  quiet?: boolean;
}

export async function runSubmit(sourceArg: string, opts: SubmitCommandOptions): Promise<number> {
  if (!Number.isInteger(opts.shards) || opts.shards < 1 || opts.shards > 10_000)
    throw new CliError('--shards must be a whole number from 1 to 10000.');
  if (!Number.isInteger(opts.attempts) || opts.attempts < 1 || opts.attempts > 20)
    throw new CliError('--attempts must be a whole number from 1 to 20.');
  if (!opts.output || opts.output === '-')
    throw new CliError('give the merged manifest a path every worker can write with -o <file> (on the shared mount).');
  const source = path.resolve(sourceArg);
  if (!fs.existsSync(source))
    throw new CliError(`${sourceArg} does not exist. Give an extraction folder or archive on the shared mount.`);
  const output = path.resolve(opts.output);
  if (!fs.existsSync(path.dirname(output)))
    throw new CliError(`the folder of ${opts.output} does not exist; create it on the shared mount first.`);
  const src = fs.realpathSync(source);
  if (fs.statSync(src).isDirectory() && (fs.realpathSync(path.dirname(output)) + path.sep).startsWith(src + path.sep)) {
    throw new CliError(
      `refusing to write ${opts.output} inside the evidence folder ${sourceArg}; evtriage never writes into a source.`,
    );
  }
  const parsedScan = ShardScanOptions.safeParse({
    include: opts.include ?? [],
    exclude: opts.exclude ?? [],
    ...pick(opts, [
      'hash',
      'caseId',
      'examiner',
      'sourceType',
      'maxDepth',
      'maxExpanded',
      'maxRatio',
      'maxMembers',
      'itemTimeout',
    ]),
  });
  if (!parsedScan.success) throw new CliError(`scan options: ${parsedScan.error.issues[0]?.message ?? 'invalid'}`);
  const extraction = `x${Date.now().toString(36)}${crypto.randomBytes(3).toString('hex')}`;
  const partsDir = `${output}.parts-${extraction}`;
  const connection = connectionOf(opts.redis);
  await checkReachable(opts.redis);
  const flow = new FlowProducer({ connection });
  const queue = new Queue(QUEUE_NAME, { connection });
  try {
    const merge: MergeJob = { extraction, source, count: opts.shards, partsDir, output };
    await flow.add({
      name: 'merge',
      queueName: QUEUE_NAME,
      data: merge,
      opts: { jobId: extraction, attempts: 2, removeOnComplete: false, removeOnFail: false },
      children: [...Array(opts.shards).keys()].map((index) => {
        const shard: ShardJob = { extraction, source, index, count: opts.shards, partsDir, scan: parsedScan.data };
        return {
          name: 'shard',
          queueName: QUEUE_NAME,
          data: shard,
          // A shard that keeps failing fails the extraction, with its error on record (never a silent hole).
          opts: {
            jobId: shardJobId(extraction, index),
            attempts: opts.attempts,
            backoff: { type: 'fixed', delay: 1000 },
            failParentOnFailure: true,
            removeOnComplete: false,
            removeOnFail: false,
          },
        };
      }),
    });
    if (!opts.quiet)
      process.stderr.write(
        `Submitted extraction ${extraction}: ${source} in ${opts.shards} shard${opts.shards > 1 ? 's' : ''} -> ${output}\n`,
      );
    process.stdout.write(`${extraction}\n`);
    if (!opts.wait) return EXIT.OK;
    for (;;) {
      const d = await describeExtraction(queue, extraction);
      if (d?.state === 'completed') {
        if (!opts.quiet) printExtraction(process.stderr, d);
        return d.exitCode ?? EXIT.OK;
      }
      if (d?.state === 'failed') {
        if (!opts.quiet) printExtraction(process.stderr, d);
        throw new CliError(`extraction ${extraction} failed: ${d.failedReason ?? 'see evtriage queue status'}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await flow.close();
    await queue.close();
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
