/**
 * The queue end to end, with a real redis-server on loopback and three worker
 * processes: the sample extraction and a generated 600-file tree, three shards
 * each; one worker is killed (SIGKILL) in the middle of a shard of the tree
 * (by its own shard scan after 50 lines, kill-worker-mid-shard.mjs: at the
 * same point on any machine, no race to catch a shard running). The merged
 * manifests must equal single-machine scans item for item (times aside), and
 * `queue status` must report the retry. Also: a worker refuses a source outside
 * its --allow-root and the extraction ends failed with that error on record.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionOf } from '../../packages/cli/src/queue/connection.js';
import { QUEUE_NAME } from '../../packages/cli/src/queue/jobs.js';
import { describeExtraction } from '../../packages/cli/src/queue/status.js';

// bullmq is the CLI package's dependency: loaded from there, as the CLI loads it.
type BullQueue = Parameters<typeof describeExtraction>[0];
const { Queue } = createRequire(path.join(import.meta.dirname, '../../packages/cli/package.json'))('bullmq') as {
  Queue: new (name: string, opts: { connection: ReturnType<typeof connectionOf> }) => BullQueue;
};
const repo = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repo, 'packages/cli/dist/bin.js');
const sample = path.join(repo, 'examples/sample-extraction');
let dir: string;
let redis: ChildProcess;
let url: string;
const workers = new Map<string, ChildProcess>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Runs the built CLI without blocking the test's event loop (the timeouts stay live). */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Where the preload that kills the victim worker mid-shard lives (see kill-worker-mid-shard.mjs). */
const killer = fileURLToPath(new URL('./kill-worker-mid-shard.mjs', import.meta.url));
/** Shards per extraction: one per worker, so each worker starts with one of the tree's (queued first). */
const SHARDS = 3;
/** Lines of a tree shard's part written when the victim's scan kills its worker (a shard is ~200 items). */
const KILL_AT_LINES = 50;

/** Starts a worker; resolves once it says it waits for jobs. `kill` makes it die mid-shard of that extraction. */
function startWorker(name: string, kill?: { partsOf: string }): Promise<ChildProcess> {
  const w = spawn(
    process.execPath,
    [bin, 'worker', '--redis', url, '--allow-root', dir, '--allow-root', repo, '--name', name, '--lock-ms', '4000'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: kill
        ? {
            ...process.env,
            NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import ${killer}`.trim(),
            EVTRIAGE_TEST_KILL_PARTS: `${kill.partsOf}.parts-`,
            EVTRIAGE_TEST_KILL_AT_LINES: String(KILL_AT_LINES),
          }
        : process.env,
    },
  );
  workers.set(name, w);
  return new Promise((resolve, reject) => {
    let said = '';
    w.stderr.on('data', (d: Buffer) => {
      if (said.includes('waiting for jobs')) return;
      said += d.toString();
      if (said.includes('waiting for jobs')) resolve(w);
    });
    w.once('exit', (code, signal) =>
      reject(new Error(`worker ${name} ended (${code ?? signal}) before it was ready: ${said}`)),
    );
  });
}

/** Files in the generated tree. */
const TREE_FILES = 600;

/** A deterministic tree of small files of the kinds an extraction holds. */
function makeTree(root: string): void {
  const kinds: Array<(i: number) => [string, Buffer]> = [
    (i) => [`note-${i}.txt`, Buffer.from(`note ${i}\n`.repeat(1 + (i % 7)))],
    (i) => [
      `prefs-${i}.xml`,
      Buffer.from(`<?xml version="1.0" encoding="utf-8"?>\n<map><int name="n" value="${i}"/></map>\n`),
    ],
    (i) => [`state-${i}.json`, Buffer.from(JSON.stringify({ i, ok: i % 2 === 0 }))],
    (i) => [`blob-${i}.bin`, Buffer.from(Array.from({ length: 64 + (i % 200) }, (_, k) => (i * 31 + k * 17) & 0xff))],
  ];
  for (let i = 0; i < TREE_FILES; i++) {
    const folder = path.join(root, `app${String(i % 40).padStart(2, '0')}`, `d${Math.floor(i / 400)}`);
    fs.mkdirSync(folder, { recursive: true });
    const [name, bytes] = kinds[i % kinds.length]!(i);
    fs.writeFileSync(path.join(folder, name), bytes);
  }
}

function lines(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => l.replace(/"(startedAt|finishedAt)":"[^"]*",?/g, ''));
}

interface Status {
  extraction: string;
  state: string;
  items: number;
  retries: number;
  failedReason?: string;
  shards: Array<{ shard: number; state: string; items: number; retries: number; worker?: string }>;
}
async function status(): Promise<Status[]> {
  const r = await cli(['queue', 'status', '--redis', url, '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Status[];
}

/**
 * Waits until every one of `extractions` has ended (completed or failed), looking at the same states
 * `queue status` reads (its own describeExtraction) in this process, through one connection for the whole
 * wait: a CLI start for each look cost more CPU than the workers under test, and so did a connection for
 * each. The CLI's answer is checked after the wait.
 */
async function waitUntilEnded(extractions: readonly string[]): Promise<void> {
  const queue = new Queue(QUEUE_NAME, { connection: connectionOf(url) });
  try {
    for (let i = 0; i < 3000; i++) {
      const ended: Status[] = [];
      for (const id of extractions) {
        const d = await describeExtraction(queue, id);
        if (d && (d.state === 'completed' || d.state === 'failed')) ended.push(d);
      }
      if (ended.length === extractions.length) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await queue.close();
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evt-queue-'));
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  await new Promise<void>((resolve, reject) => {
    redis.once('error', (e) =>
      reject(new Error(`redis-server did not start (install it: bash .ci/system-deps.sh): ${e.message}`)),
    );
    const poll = () => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve();
      });
      s.on('error', () => setTimeout(poll, 100));
    };
    poll();
  });
  makeTree(path.join(dir, 'tree'));
  // w1 dies (SIGKILL, sent by its own shard scan) after 50 lines of a shard of the tree's queued scan; all three
  // wait for jobs before anything is submitted, so each takes one of the tree's shards (queued first) first.
  await Promise.all([
    startWorker('w1', { partsOf: path.join(dir, 'tree-queue.ndjson') }),
    startWorker('w2'),
    startWorker('w3'),
  ]);
});

afterAll(() => {
  for (const w of workers.values()) w.kill('SIGKILL');
  redis?.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('queue submit + workers + automatic merge', () => {
  it(
    'gives the single-machine manifests for two extractions in three shards each, with a worker killed mid-shard',
    { timeout: 600_000 },
    async () => {
      const tree = path.join(dir, 'tree');
      const single = { tree: path.join(dir, 'tree-single.ndjson'), sample: path.join(dir, 'sample-single.ndjson') };
      expect((await cli(['scan', tree, '-o', single.tree, '-f', 'ndjson', '-q'])).status).toBe(0);
      expect((await cli(['scan', sample, '-o', single.sample, '-f', 'ndjson', '-q'])).status).toBe(0);

      const out = { tree: path.join(dir, 'tree-queue.ndjson'), sample: path.join(dir, 'sample-queue.ndjson') };
      const sub1 = await cli([
        'queue',
        'submit',
        tree,
        '--shards',
        String(SHARDS),
        '--redis',
        url,
        '-o',
        out.tree,
        '-q',
      ]);
      expect(sub1.status, sub1.stderr).toBe(0);
      const sub2 = await cli([
        'queue',
        'submit',
        sample,
        '--shards',
        String(SHARDS),
        '--redis',
        url,
        '-o',
        out.sample,
        '-q',
      ]);
      expect(sub2.status, sub2.stderr).toBe(0);
      const treeId = sub1.stdout.trim();
      const sampleId = sub2.stdout.trim();

      // w1 is killed in the middle of its tree shard (it held the shard: nothing else ends a worker with SIGKILL).
      const victim = workers.get('w1')!;
      const killedBy =
        victim.exitCode !== null || victim.signalCode !== null
          ? victim.signalCode
          : await new Promise<NodeJS.Signals | null>((resolve) => victim.once('exit', (_c, signal) => resolve(signal)));
      expect(killedBy).toBe('SIGKILL');

      // Both extractions end merged; the killed worker's shard ran again elsewhere.
      await waitUntilEnded([treeId, sampleId]);
      const done = await status();
      expect(done.map((s) => s.extraction).sort()).toEqual([treeId, sampleId].sort());
      expect(done.map((s) => [s.state, s.failedReason])).toEqual([
        ['completed', undefined],
        ['completed', undefined],
      ]);
      const treeStatus = done.find((s) => s.extraction === treeId)!;
      expect(treeStatus.retries).toBeGreaterThanOrEqual(1);
      expect(treeStatus.items).toBe(TREE_FILES);
      const text = (await cli(['queue', 'status', '--redis', url])).stdout;
      expect(text).toMatch(
        new RegExp(
          `${treeId}\\s+completed\\s+shards ${SHARDS}/${SHARDS} done, 0 running, 0 waiting, 0 failed; ${TREE_FILES} items; [1-9]\\d* retr`,
        ),
      );

      for (const k of ['tree', 'sample'] as const) {
        const want = lines(single[k]);
        const got = lines(out[k]);
        expect(got.length, k).toBe(want.length);
        for (let i = 0; i < want.length; i++) expect(got[i], `${k} line ${i + 1}`).toBe(want[i]);
      }
    },
  );

  it('a worker refuses a source outside its --allow-root; the extraction fails with the error on record', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'evt-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'secret.txt'), 'not for the queue\n');
      const r = await cli([
        'queue',
        'submit',
        outside,
        '--shards',
        '2',
        '--redis',
        url,
        '-o',
        path.join(dir, 'outside.ndjson'),
        '--wait',
        '--attempts',
        '2',
      ]);
      expect(r.status).toBe(2);
      expect(r.stderr, r.stderr).toContain('outside the roots it was started with');
      expect(fs.existsSync(path.join(dir, 'outside.ndjson'))).toBe(false);
      const failed = (await status()).find((s) => s.state === 'failed');
      expect(failed?.failedReason).toContain('outside the roots');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('never prints the password of the Redis URL', async () => {
    const r = await cli(['queue', 'status', '--redis', 'redis://user:hunter2@127.0.0.1:1', '--json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot reach Redis at redis://user:***@127.0.0.1:1');
    expect(r.stderr + r.stdout).not.toContain('hunter2');
  });
});
