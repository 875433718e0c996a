/**
 * The queue's commands (docs/distributed.md): `queue submit`, `queue status`
 * and `worker`, on BullMQ over Redis. The queue modules load only when one of
 * these runs, so other commands do not pay for BullMQ's start-up.
 */
import { Command, InvalidArgumentError } from 'commander';
import type { StatusCommandOptions } from './status.js';
import type { SubmitCommandOptions } from './submit.js';
import type { WorkerCommandOptions } from './worker.js';

function intArg(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number.`);
    return n;
  };
}
const collect = (v: string, prev: string[]) => [...prev, v];
const REDIS =
  'Redis server URL: redis://[user:password@]host:port[/db], rediss:// for TLS (default: $EVTRIAGE_REDIS_URL)';

export function registerQueueCommands(program: Command, setExit: (code: number) => void): void {
  const queue = program
    .command('queue')
    .description('scan extractions on a queue of machines (BullMQ + Redis; docs/distributed.md)');
  queue
    .command('submit')
    .description('queue a source as N shards; the merged manifest is written when the last shard lands')
    .argument('<source>', 'extraction folder or archive, on a path every worker sees')
    .requiredOption('--shards <n>', 'parts to cut the source into', intArg('--shards'))
    .option('-o, --output <file>', 'merged NDJSON manifest to write (on the shared mount)')
    .option('--redis <url>', REDIS)
    .option('--wait', 'return when the merged manifest is written (exit code as for scan)')
    .option('--attempts <n>', 'runs per shard before the extraction fails', intArg('--attempts'), 3)
    .option('--include <glob>', 'only entries whose path matches (repeatable)', collect, [])
    .option('--exclude <glob>', 'skip entries whose path matches (repeatable)', collect, [])
    .option('--hash <list>', 'digests to compute, comma-separated: md5,sha1,sha256')
    .option('--case-id <id>', 'case identifier recorded in the manifest header')
    .option('--examiner <name>', 'examiner recorded in the manifest header')
    .option(
      '--source-type <type>',
      'override source detection: folder, zip, tar, tar.gz, tar.xz, tar.zst, tar.bz2, tar.lzma, tar.lz, tar.lz4, tar.Z, tar.lzo, 7z, rar, ios-backup',
    )
    .option(
      '--item-timeout <ms>',
      'time one item may take before it is recorded with ITEM_TIMEOUT',
      intArg('--item-timeout'),
    )
    .option('-q, --quiet', 'print only the extraction id')
    .action(async (source: string, opts: SubmitCommandOptions) =>
      setExit(await (await import('./submit.js')).runSubmit(source, opts)),
    );
  queue
    .command('status')
    .description('per extraction: shards done, running, waiting and failed, items so far, retries')
    .argument('[extraction...]', 'extraction ids (default: every extraction on the queue)')
    .option('--redis <url>', REDIS)
    .option('--json', 'print JSON')
    .action(async (ids: string[], opts: StatusCommandOptions) =>
      setExit(await (await import('./status.js')).runStatus(ids, opts)),
    );
  program
    .command('worker')
    .description('take shard and merge jobs from the queue until stopped (Ctrl-C finishes the jobs in hand)')
    .option('--redis <url>', REDIS)
    .option('--concurrency <n>', 'shards scanned at once on this machine', intArg('--concurrency'), 1)
    .option('--allow-root <dir>', 'folder sources and outputs must be under (repeatable; required)', collect, [])
    .option('--name <name>', 'worker name in logs and job records (default host:pid)')
    .option(
      '--lock-ms <ms>',
      "how long a job's lock lasts unrenewed: a killed worker's shard runs again after this",
      intArg('--lock-ms'),
      30_000,
    )
    .action(async (opts: WorkerCommandOptions) => setExit(await (await import('./worker.js')).runWorker(opts)));
}
