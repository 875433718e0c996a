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
import { createProber, makeProbe, type Prober } from './probe.js';
import { PROBE_WORKER_SOURCE } from './probe-worker-source.js';
import type { RemoteIdentification } from './identify.js';
import type { WorkerIdentifyInit } from './identify-worker.js';

// Loaded by the workers with import(): the compiled module next to this one (from dist, or
// through tsx when the CLI runs from sources; anywhere else the workers say it is unavailable).
const IDENTIFY_WORKER_URL = new URL('./identify-worker.js', import.meta.url).href;

export interface WorkerProberOptions {
  /** Worker threads (default: available cores, 1 to 4; one fewer when detectors run on them). */
  workers?: number;
  /** Digests to compute in the same read as the probe (local files only). */
  hash?: readonly HashAlgorithm[];
  /** Files sent to a worker in one message, at most (default 64). */
  batch?: number;
  /**
   * Run these detectors on the workers, right after the read (identify-worker.ts);
   * their answers are handed over with `takeIdentification`.
   */
  identify?: WorkerIdentifyInit;
}

interface WorkerBatch {
  id: number;
  buffer: ArrayBuffer;
  /** Per file, stride 6 + 3 x sampleCount: size (-1: failed), head at, head length, tail at, tail length, samples, then (offset, at, length) per sample. */
  meta: Float64Array;
  errors: Array<{ code: string; message: string } | undefined>;
  hashes?: Array<Hashes | undefined>;
  hashErrors?: Array<{ code: string; message: string } | undefined>;
  ident?: Array<RemoteIdentification | undefined>;
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
  /** Outstanding work, weighted by bytes when hashing (see weightOf). */
  load: number;
  batches: Map<number, Request[]>;
  dead: boolean;
}

/** A prober that can also hand over digests computed while probing. */
export interface HashingProber extends Prober {
  /** Digests computed in the probe's read, or the error that stopped them; undefined when not hashed there. */
  takeHashes(probe: Probe): Hashes | Error | undefined;
  /** What the worker's detectors said about the probe; undefined when they did not run there. */
  takeIdentification(probe: Probe): RemoteIdentification | undefined;
  /** Why identification on the workers is off, when it was asked for and could not start. */
  readonly identifyUnavailable: string | undefined;
  /** Probes whose detectors ran on a worker so far. */
  readonly identifiedOnWorkers: number;
}

/** Files at least this big are sent to a worker on their own when hashing. */
const BIG_FILE = 8 * 1024 * 1024;

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
  // With detectors on the workers the main thread still keeps a core busy (parsers, the manifest):
  // on 2 cores one worker beside it was faster than two (docs/performance.md) and took less memory.
  const identify = options.identify && options.identify.ids.length > 0 ? options.identify : undefined;
  const count = Math.max(1, options.workers ?? (identify ? defaultWorkerCount() - 1 : defaultWorkerCount()));
  const batchSize = Math.max(1, options.batch ?? 64);
  const hash = [...(options.hash ?? [])];
  const hashes = new WeakMap<Probe, Hashes | Error>();
  const identified = new WeakMap<Probe, RemoteIdentification>();
  let identifyUnavailable: string | undefined;
  let identifiedOnWorkers = 0;
  const pool: PoolWorker[] = [];
  let queue: Request[] = [];
  let scheduled = false;
  let nextId = 1;
  let closed = false;
  let broken = false;

  const start = (): void => {
    for (let i = 0; i < count; i++) {
      // A small young generation: each worker's heap otherwise grew to ~80 MB running detectors (peak RSS target, docs/performance.md).
      const worker = new Worker(PROBE_WORKER_SOURCE, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
      const pw: PoolWorker = { worker, outstanding: 0, load: 0, batches: new Map(), dead: false };
      pw.worker.postMessage({
        type: 'init',
        plan: {
          head: limits.probeHeadBytes,
          tail: limits.probeTailBytes,
          sampleBytes: limits.probeSampleBytes,
          sampleCount: limits.probeSampleCount,
        },
        hash,
        identify: identify ? { url: IDENTIFY_WORKER_URL, init: identify } : undefined,
      });
      pw.worker.on('message', (m: WorkerBatch | { type: 'identify-unavailable'; message: string }) => {
        if ('type' in m) identifyUnavailable ??= m.message;
        else onResults(pw, m);
      });
      pw.worker.on('error', () => onDeath(pw));
      pw.worker.on('exit', () => onDeath(pw));
      // Idle workers must not keep the process alive; pending work holds a ref (below).
      pw.worker.unref();
      pool.push(pw);
    }
  };

  const stride = 6 + 3 * limits.probeSampleCount;
  const empty = new Uint8Array(0);
  const onResults = (pw: PoolWorker, m: WorkerBatch): void => {
    const batch = pw.batches.get(m.id);
    if (!batch) return;
    pw.batches.delete(m.id);
    pw.outstanding -= batch.length;
    for (const r of batch) pw.load -= weightOf(r);
    if (pw.outstanding === 0) pw.worker.unref();
    const bytes = new Uint8Array(m.buffer);
    const meta = m.meta;
    for (let i = 0; i < batch.length; i++) {
      const req = batch[i]!;
      const o = i * stride;
      const size = meta[o]!;
      if (size < 0) {
        req.reject(errorFrom(m.errors[i] ?? { code: 'EIO', message: 'read failed' }));
        continue;
      }
      const headAt = meta[o + 1]!;
      const head = bytes.subarray(headAt, headAt + meta[o + 2]!);
      const tailLen = meta[o + 4]!;
      const tail = tailLen > 0 ? bytes.subarray(meta[o + 3], meta[o + 3]! + tailLen) : empty;
      const n = meta[o + 5]!;
      const samples: Array<{ offset: number; bytes: Uint8Array }> = [];
      for (let k = 0; k < n; k++) {
        const at = meta[o + 7 + 3 * k]!;
        samples.push({ offset: meta[o + 6 + 3 * k]!, bytes: bytes.subarray(at, at + meta[o + 8 + 3 * k]!) });
      }
      const probe = makeProbe(req.entry, size, head, tail, samples);
      const h = m.hashes?.[i];
      const he = m.hashErrors?.[i];
      if (h) hashes.set(probe, h);
      else if (he) hashes.set(probe, errorFrom(he));
      const found = m.ident?.[i];
      if (found) {
        identified.set(probe, found);
        identifiedOnWorkers++;
      }
      req.resolve(probe);
    }
  };

  const onDeath = (pw: PoolWorker): void => {
    if (pw.dead) return;
    pw.dead = true;
    if (!closed) broken = pool.every((w) => w.dead);
    // Nothing is lost: the dead worker's requests are served on the main thread.
    for (const batch of pw.batches.values()) for (const req of batch) viaFallback(req);
    pw.batches.clear();
    pw.outstanding = 0;
    pw.load = 0;
  };

  const viaFallback = (req: Request): void => {
    fallback.probe(req.entry).then(req.resolve, req.reject);
  };

  /** Work a request represents: with hashing, a file costs its bytes (1 unit per MiB) as well as its open. */
  const weightOf = (req: Request): number => (hash.length > 0 ? 1 + req.entry.size / 1048576 : 1);
  const send = (pw: PoolWorker, batch: Request[]): void => {
    const id = nextId++;
    pw.batches.set(id, batch);
    if (pw.outstanding === 0) pw.worker.ref();
    pw.outstanding += batch.length;
    for (const r of batch) pw.load += weightOf(r);
    const names = identify
      ? batch.map((r) => ({
          path: r.entry.path,
          ...(r.entry.logicalPath !== undefined ? { logicalPath: r.entry.logicalPath } : {}),
        }))
      : undefined;
    pw.worker.postMessage({ id, files: batch.map((r) => r.file), hash: hash.length > 0, names });
  };

  const flush = (): void => {
    scheduled = false;
    let pending = queue;
    queue = [];
    const live = () => pool.filter((w) => !w.dead);
    const lightest = () => live().reduce((a, b) => (b.load < a.load ? b : a));
    if (hash.length > 0) {
      // Big files hashed alone, so the small files queued behind them are not held up.
      const big = pending.filter((r) => r.entry.size >= BIG_FILE);
      if (big.length > 0) {
        pending = pending.filter((r) => r.entry.size < BIG_FILE);
        for (const r of big) {
          if (live().length === 0 || closed) viaFallback(r);
          else send(lightest(), [r]);
        }
      }
    }
    for (let i = 0; i < pending.length;) {
      const workers = live();
      if (workers.length === 0 || closed) {
        for (const req of pending.slice(i)) viaFallback(req);
        return;
      }
      // Split the turn's requests evenly over the live workers, up to the batch size.
      const share = Math.min(batchSize, Math.max(1, Math.ceil((pending.length - i) / workers.length)));
      const batch = pending.slice(i, i + share);
      i += batch.length;
      send(lightest(), batch);
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
    takeIdentification(probe: Probe): RemoteIdentification | undefined {
      const found = identified.get(probe);
      if (found) identified.delete(probe);
      return found;
    },
    get identifyUnavailable() {
      return identifyUnavailable;
    },
    get identifiedOnWorkers() {
      return identifiedOnWorkers;
    },
    workerDetectorIds: [...(identify?.ids ?? [])],
    async close(): Promise<void> {
      closed = true;
      // Queued requests are served on the main thread; in-flight ones are given up at once
      // (the scan is over or interrupted: nobody waits for them, and a worker hashing a
      // 50 GB file must not hold up the end of an interrupted scan).
      if (queue.length > 0) flush();
      await Promise.all(
        pool.map(async (pw) => {
          pw.dead = true;
          for (const batch of pw.batches.values())
            for (const req of batch)
              req.reject(
                Object.assign(new Error('the prober was closed before this file was read'), { code: 'ECLOSED' }),
              );
          pw.batches.clear();
          await pw.worker.terminate();
        }),
      );
      pool.length = 0;
    },
  };
}
