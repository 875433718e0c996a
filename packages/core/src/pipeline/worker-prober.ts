/**
 * The worker-pool prober: local files are probed (and, when asked, hashed)
 * by a small pool of worker threads doing synchronous reads in batches, so
 * the main thread only runs detectors. Entries without a local path (archive
 * members) go through the generic reader path of `probe.ts` on the main thread.
 *
 * Why: on the benchmark tree (docs/performance.md) one `fs.read` promise per
 * block costs far more than the read itself, and sync reads on the main
 * thread serialise I/O with detection. Workers do one open, the head, tail
 * and sample reads, one close, and send the bytes back in one transferred
 * buffer per batch. With `hash` set they read each file once, whole, and
 * compute every digest from those same bytes (all cores, one open).
 *
 * Requests issued in the same turn of the event loop are batched; a batch
 * goes to the worker with the fewest files outstanding. If a worker dies,
 * its requests are retried on the main thread, so a worker failure never
 * loses an item.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ScanLimits } from '../limits.js';
import type { Hashes } from '../model/evidence-item.js';
import type { Probe } from '../plugin/types.js';
import type { SourceEntry } from '../sources/source.js';
import type { HashAlgorithm } from './hash.js';
import { createProber, makeProbe, probePlan, type Prober } from './probe.js';
import { PROBE_WORKER_SOURCE } from './probe-worker-source.js';

export interface WorkerProberOptions {
  /** Worker threads (default: available cores, 1 to 4). */
  workers?: number;
  /** Digests to compute in the same read as the probe (local files only). */
  hash?: readonly HashAlgorithm[];
  /** Files sent to a worker in one message, at most (default 64). */
  batch?: number;
}

interface WorkerResult {
  size?: number;
  at?: number;
  head?: number;
  tail?: number;
  samples?: number[];
  sampleLengths?: number[];
  hashes?: Hashes;
  hashError?: { code: string; message: string };
  error?: { code: string; message: string };
}

interface Request {
  entry: SourceEntry;
  file: string | Buffer;
  resolve: (p: Probe) => void;
  reject: (e: unknown) => void;
}

interface PoolWorker {
  worker: Worker;
  outstanding: number;
  batches: Map<number, Request[]>;
  dead: boolean;
}

/** A prober that can also hand over digests computed while probing. */
export interface HashingProber extends Prober {
  /** Digests computed in the probe's read, or the error that stopped them; undefined when not hashed there. */
  takeHashes(probe: Probe): Hashes | Error | undefined;
}

function errorFrom(e: { code: string; message: string }): Error {
  return Object.assign(new Error(e.message), { code: e.code });
}

/** Default worker count: the cores Node may use, at least 1 and at most 4. */
export function defaultWorkerCount(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores));
}

export function createWorkerProber(limits: ScanLimits, options: WorkerProberOptions = {}): HashingProber {
  const fallback = createProber(limits);
  const count = Math.max(1, options.workers ?? defaultWorkerCount());
  const batchSize = Math.max(1, options.batch ?? 64);
  const hash = [...(options.hash ?? [])];
  const hashes = new WeakMap<Probe, Hashes | Error>();
  const pool: PoolWorker[] = [];
  let queue: Request[] = [];
  let scheduled = false;
  let nextId = 1;
  let closed = false;
  let broken = false;

  const start = (): void => {
    for (let i = 0; i < count; i++) {
      const pw: PoolWorker = { worker: new Worker(PROBE_WORKER_SOURCE, { eval: true }), outstanding: 0, batches: new Map(), dead: false };
      pw.worker.postMessage({ type: 'init', plan: { head: limits.probeHeadBytes, tail: limits.probeTailBytes, sampleBytes: limits.probeSampleBytes, sampleCount: limits.probeSampleCount }, hash });
      pw.worker.on('message', (m: { id: number; buffer: ArrayBuffer; results: WorkerResult[] }) => onResults(pw, m));
      pw.worker.on('error', () => onDeath(pw));
      pw.worker.on('exit', () => onDeath(pw));
      // Idle workers must not keep the process alive; pending work holds a ref (below).
      pw.worker.unref();
      pool.push(pw);
    }
  };

  const onResults = (pw: PoolWorker, m: { id: number; buffer: ArrayBuffer; results: WorkerResult[] }): void => {
    const batch = pw.batches.get(m.id);
    if (!batch) return;
    pw.batches.delete(m.id);
    pw.outstanding -= batch.length;
    if (pw.outstanding === 0) pw.worker.unref();
    const bytes = new Uint8Array(m.buffer);
    batch.forEach((req, i) => {
      const r = m.results[i]!;
      if (r.error) return req.reject(errorFrom(r.error));
      const at = r.at!;
      // The worker packs head | tail | samples at their planned sizes (probePlan).
      const plan = probePlan(r.size!, limits);
      const head = bytes.subarray(at, at + r.head!);
      const tail = r.tail ? bytes.subarray(at + plan.head, at + plan.head + r.tail) : new Uint8Array(0);
      let s = at + plan.head + plan.tail;
      const samples = (r.samples ?? []).map((offset, k) => {
        const sample = { offset, bytes: bytes.subarray(s, s + r.sampleLengths![k]!) };
        s += limits.probeSampleBytes;
        return sample;
      });
      const probe = makeProbe(req.entry, r.size!, head, tail, samples);
      if (r.hashes) hashes.set(probe, r.hashes);
      else if (r.hashError) hashes.set(probe, errorFrom(r.hashError));
      req.resolve(probe);
    });
  };

  const onDeath = (pw: PoolWorker): void => {
    if (pw.dead) return;
    pw.dead = true;
    if (!closed) broken = pool.every((w) => w.dead);
    // Nothing is lost: the dead worker's requests are served on the main thread.
    for (const batch of pw.batches.values()) for (const req of batch) viaFallback(req);
    pw.batches.clear();
    pw.outstanding = 0;
  };

  const viaFallback = (req: Request): void => {
    fallback.probe(req.entry).then(req.resolve, req.reject);
  };

  const flush = (): void => {
    scheduled = false;
    const pending = queue;
    queue = [];
    for (let i = 0; i < pending.length; ) {
      const live = pool.filter((w) => !w.dead);
      if (live.length === 0 || closed) {
        for (const req of pending.slice(i)) viaFallback(req);
        return;
      }
      // Split the turn's requests evenly over the live workers, up to the batch size.
      const share = Math.min(batchSize, Math.max(1, Math.ceil((pending.length - i) / live.length)));
      const pw = live.reduce((a, b) => (b.outstanding < a.outstanding ? b : a));
      const batch = pending.slice(i, i + share);
      i += batch.length;
      const id = nextId++;
      pw.batches.set(id, batch);
      if (pw.outstanding === 0) pw.worker.ref();
      pw.outstanding += batch.length;
      pw.worker.postMessage({ id, files: batch.map((r) => r.file), hash: hash.length > 0 });
    }
  };

  return {
    probe(entry: SourceEntry): Promise<Probe> {
      if (entry.localPath === undefined || closed || broken) return fallback.probe(entry);
      if (pool.length === 0) start();
      return new Promise<Probe>((resolve, reject) => {
        queue.push({ entry, file: entry.localPath!, resolve, reject });
        if (queue.length >= batchSize * pool.length) flush();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    takeHashes(probe: Probe): Hashes | Error | undefined {
      const h = hashes.get(probe);
      if (h) hashes.delete(probe);
      return h;
    },
    async close(): Promise<void> {
      closed = true;
      if (queue.length > 0) flush();
      await Promise.all(pool.map(async (pw) => {
        // Let in-flight batches finish (they are served elsewhere if the worker dies).
        while (pw.batches.size > 0 && !pw.dead) await new Promise((r) => setTimeout(r, 5));
        pw.dead = true;
        await pw.worker.terminate();
      }));
      pool.length = 0;
    },
  };
}
