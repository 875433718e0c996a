/**
 * The worker-pool prober: local files are probed (and, when asked, hashed)
 * by a small pool of worker threads doing synchronous reads in batches, so
 * the main thread only runs detectors. Plain members of a local ZIP are read
 * the same way, by location (`entry.location`: the worker reads the local
 * header, inflates and hashes the member itself, sources/zip-member.ts); other
 * archive members are read on the main thread through their reader (`probe.ts`)
 * and only their probes go to a worker, for the detectors.
 *
 * Why: on the benchmark tree (docs/performance.md) one `fs.read` promise per
 * block costs far more than the read itself, and sync reads on the main
 * thread serialise I/O with detection. Workers do one open, the head, tail
 * and sample reads, one close, and send the bytes back in one transferred
 * buffer per batch. With `hash` set they read each file once, whole, and
 * compute every digest from those same bytes (all cores, one open).
 *
 * Requests issued in the same turn of the event loop are batched; a batch
 * goes to the worker with the fewest files outstanding. While every worker
 * has two full batches in hand, a partial batch of files waits to fill up
 * (sent on the next reply): fewer messages, each a fixed cost on both threads.
 *
 * Supervision (no file can stall or swell the scan): each worker has a heap
 * cap (`limits.workerHeapMb`) and writes its progress into a shared array
 * (probe-worker-protocol.ts). A watchdog terminates a worker whose heartbeat
 * stops past the stage's deadline (a detector: its call budget plus a
 * margin; a read: the item budget). A worker that is terminated, runs out
 * of heap or crashes is replaced; the file it held is blamed — a detector's
 * stall or crash becomes that detector's failure (`PLUGIN_TIMEOUT`,
 * `MEMORY_LIMIT`, `WORKER_CRASHED`) and the file is identified again without
 * it; a stalled read fails the file — and every other file it held is sent
 * again. Nothing falls back to the main thread, where a stuck detector could
 * not be stopped, unless workers die without any file in hand.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ScanLimits } from '../limits.js';
import type { Hashes } from '../model/evidence-item.js';
import type { Probe } from '../plugin/types.js';
import type { SourceEntry } from '../sources/source.js';
import type { MemberLocation } from '../sources/zip-member.js';
import type { HashAlgorithm } from './hash.js';
import type { RemoteIdentification } from './identify.js';
import type { WorkerIdentifyInit } from './identify-worker.js';
import { createProber, makeProbe, type Prober } from './probe.js';
import {
  PROGRESS,
  STAGE,
  type IdentifyUnavailable,
  type ProbeWorkerBatch,
  type ProbeWorkerInit,
  type ProbeWorkerResult,
  type SkippedDetector,
} from './probe-worker-protocol.js';
import {
  adoptSpareWorker,
  parkProbeWorker,
  PROBE_HEAP_FACTOR,
  startProbeWorker,
  workerEntry,
} from './worker-prestart.js';

export interface WorkerProberOptions {
  /** Worker threads (default: available cores, 1 to 4; one fewer when detectors run on them). */
  workers?: number;
  /** Digests to compute in the same read as the probe (local files and members read by location). */
  hash?: readonly HashAlgorithm[];
  /** Files sent to a worker in one message, at most (default 16: an archive member waits on the batch ahead of it). */
  batch?: number;
  /**
   * Run these detectors on the workers, right after the read (identify-worker.ts);
   * their answers are handed over with `takeIdentification`.
   */
  identify?: WorkerIdentifyInit;
  /** Called once when the workers cannot load those detectors (the main thread then runs them). */
  onIdentifyUnavailable?: (why: string) => void;
}

interface Request {
  entry: SourceEntry;
  /**
   * The local file to read, or where an archive member lies in one (read and inflated on the worker);
   * unused when `given` holds the probe already read on the main thread: detectors only.
   */
  file: string | Buffer | MemberLocation;
  given?: Probe;
  resolve: (p: Probe) => void;
  reject: (e: unknown) => void;
  /** Detectors that took a worker down on this file: reported as failures, not run again. */
  skip?: SkippedDetector[];
}

interface PoolWorker {
  worker: Worker;
  progress: Int32Array;
  outstanding: number;
  /** Outstanding work, weighted by bytes when hashing (see weightOf). */
  load: number;
  batches: Map<number, Request[]>;
  dead: boolean;
  /** The heartbeat last seen by the watchdog, and when it changed. */
  beat: number;
  beatAt: number;
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
  /** Workers stopped by the watchdog or lost to a crash or their heap cap, and replaced. */
  readonly workersReplaced: number;
  /** Batches sent to the workers so far (each is a message there and a reply back). */
  readonly batchesSent: number;
}

/** Files at least this big are sent to a worker on their own when hashing. */
const BIG_FILE = 8 * 1024 * 1024;
/** Workers that die with no file in hand, in a row, before the rest is read on the main thread. */
const UNEXPLAINED_DEATHS_MAX = 3;

function errorFrom(e: { code: string; message: string }): Error {
  return Object.assign(new Error(e.message), { code: e.code });
}

/** Default worker count: the cores Node may use, at least 1 and at most 4. */
export function defaultWorkerCount(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores));
}

/** How long a heartbeat may stop in each stage before the watchdog steps in. */
export function stallDeadlines(limits: ScanLimits): { detect: number; read: number; tick: number } {
  // Past the detector's own budget, so an async detector's timeout is reported by the identifier itself.
  const detect = limits.pluginTimeoutMs + Math.max(1000, Math.ceil(limits.pluginTimeoutMs / 2));
  const read = limits.itemTimeoutMs;
  return { detect, read, tick: Math.max(25, Math.min(1000, Math.floor(Math.min(detect, read) / 8))) };
}

export function createWorkerProber(limits: ScanLimits, options: WorkerProberOptions = {}): HashingProber {
  const fallback = createProber(limits);
  // With detectors on the workers the main thread still keeps a core busy (parsers, the manifest):
  // on 2 cores one worker beside it was faster than two (docs/performance.md) and took less memory.
  const identify = options.identify && options.identify.ids.length > 0 ? options.identify : undefined;
  const count = Math.max(1, options.workers ?? (identify ? defaultWorkerCount() - 1 : defaultWorkerCount()));
  const batchSize = Math.max(1, options.batch ?? 16);
  const hash = [...(options.hash ?? [])];
  const deadlines = stallDeadlines(limits);
  const entry = workerEntry();
  const hashes = new WeakMap<Probe, Hashes | Error>();
  const identified = new WeakMap<Probe, RemoteIdentification>();
  let identifyUnavailable: string | undefined;
  let identifiedOnWorkers = 0;
  let workersReplaced = 0;
  let batchesSent = 0;
  let unexplainedDeaths = 0;
  const pool: PoolWorker[] = [];
  let queue: Request[] = [];
  let scheduled = false;
  let nextId = 1;
  let closed = false;
  let broken = entry === undefined;
  let watchdog: NodeJS.Timeout | undefined;

  const spawn = (): PoolWorker => {
    const progress = new Int32Array(new SharedArrayBuffer(PROGRESS.length * Int32Array.BYTES_PER_ELEMENT));
    const onError = (err: Error & { code?: string }): void =>
      onDeath(pw, err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'MEMORY_LIMIT' : 'WORKER_CRASHED', err.message);
    // Started already, while the CLI was loading, or kept from an earlier scan (worker-prestart.ts).
    const adopted = adoptSpareWorker(limits.workerHeapMb, identify?.modules);
    adopted?.on('error', onError);
    const worker = adopted ?? startProbeWorker(entry!, limits.workerHeapMb, onError);
    const pw: PoolWorker = {
      worker,
      progress,
      outstanding: 0,
      load: 0,
      batches: new Map(),
      dead: false,
      beat: 0,
      beatAt: Date.now(),
    };
    const init: ProbeWorkerInit = {
      type: 'init',
      plan: {
        probeHeadBytes: limits.probeHeadBytes,
        probeTailBytes: limits.probeTailBytes,
        probeSampleBytes: limits.probeSampleBytes,
        probeSampleCount: limits.probeSampleCount,
      },
      hash,
      progress: progress.buffer,
      ...(identify ? { identify } : {}),
    };
    worker.postMessage(init);
    worker.on('message', (m: ProbeWorkerResult | IdentifyUnavailable) => {
      if (!('type' in m)) onResults(pw, m);
      else if (identifyUnavailable === undefined) {
        identifyUnavailable = m.message;
        options.onIdentifyUnavailable?.(m.message);
      }
    });
    worker.on('exit', (code) => onDeath(pw, 'WORKER_CRASHED', `the worker thread exited with code ${code}`));
    // Idle workers must not keep the process alive; pending work holds a ref (below).
    worker.unref();
    return pw;
  };

  const start = (): void => {
    for (let i = 0; i < count; i++) pool.push(spawn());
    watchdog = setInterval(inspect, deadlines.tick);
    watchdog.unref();
  };

  /** The watchdog's round: a busy worker whose heartbeat has stopped past its stage's deadline is stopped. */
  const inspect = (): void => {
    const now = Date.now();
    for (const pw of pool) {
      if (pw.dead || pw.outstanding === 0) continue;
      const beat = Atomics.load(pw.progress, PROGRESS.beat);
      if (beat !== pw.beat) {
        pw.beat = beat;
        pw.beatAt = now;
        continue;
      }
      const stage = Atomics.load(pw.progress, PROGRESS.stage);
      const deadline = stage === STAGE.detect ? deadlines.detect : stage === STAGE.read ? deadlines.read : Infinity;
      if (now - pw.beatAt > deadline) {
        onDeath(pw, 'PLUGIN_TIMEOUT', `no progress for ${deadline} ms`);
        void pw.worker.terminate();
      }
    }
  };

  const stride = 6 + 3 * limits.probeSampleCount;
  const empty = new Uint8Array(0);
  const onResults = (pw: PoolWorker, m: ProbeWorkerResult): void => {
    const batch = pw.batches.get(m.id);
    if (!batch) return;
    pw.batches.delete(m.id);
    pw.outstanding -= batch.length;
    for (const r of batch) pw.load -= weightOf(r);
    if (pw.outstanding === 0) pw.worker.unref();
    unexplainedDeaths = 0;
    const bytes = new Uint8Array(m.buffer);
    const meta = m.meta;
    for (let i = 0; i < batch.length; i++) {
      const req = batch[i]!;
      if (req.given) {
        const found = m.ident?.[i];
        if (found) {
          identified.set(req.given, found);
          identifiedOnWorkers++;
        }
        req.resolve(req.given);
        continue;
      }
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
    // Files held back while the worker was busy (flush) go now.
    if (queue.length > 0) schedule();
  };

  /** What a worker's end means for the file it held (from its progress array), in words for the item. */
  const blame = (
    pw: PoolWorker,
    code: SkippedDetector['code'],
    why: string,
  ): { batch: number; file: number; detector?: SkippedDetector } | undefined => {
    const stage = Atomics.load(pw.progress, PROGRESS.stage);
    if (stage === STAGE.idle) return undefined;
    const batch = Atomics.load(pw.progress, PROGRESS.batch);
    const file = Atomics.load(pw.progress, PROGRESS.file);
    if (stage !== STAGE.detect) return { batch, file };
    const id = identify?.ids[Atomics.load(pw.progress, PROGRESS.detector) - 1];
    if (id === undefined) return { batch, file };
    const what =
      code === 'PLUGIN_TIMEOUT'
        ? `detector ${id} ran on past its deadline (${why}; a synchronous loop?)`
        : code === 'MEMORY_LIMIT'
          ? `detector ${id} went past the worker's ${PROBE_HEAP_FACTOR * limits.workerHeapMb} MiB heap cap (${why})`
          : `detector ${id} crashed its worker thread (${why})`;
    return {
      batch,
      file,
      detector: {
        detector: id,
        code,
        message: `${what}; the worker was stopped and replaced, and the other detectors ran without it.`,
      },
    };
  };

  const onDeath = (pw: PoolWorker, code: SkippedDetector['code'], why: string): void => {
    if (pw.dead) return;
    pw.dead = true;
    const i = pool.indexOf(pw);
    if (i >= 0) pool.splice(i, 1);
    if (closed) return;
    const blamed = blame(pw, code, why);
    const again: Request[] = [];
    for (const [id, batch] of pw.batches)
      batch.forEach((req, k) => {
        if (!blamed || id !== blamed.batch || k !== blamed.file) again.push(req);
        else if (blamed.detector && !req.skip?.some((x) => x.detector === blamed.detector!.detector)) {
          (req.skip ??= []).push(blamed.detector);
          again.push(req);
        } else
          req.reject(
            Object.assign(
              new Error(
                code === 'PLUGIN_TIMEOUT'
                  ? `the probe worker made no progress on this file (${why}); the worker was replaced`
                  : `the probe worker failed on this file (${why}); the worker was replaced`,
              ),
              { code: code === 'PLUGIN_TIMEOUT' ? 'ITEM_TIMEOUT' : code },
            ),
          );
      });
    pw.batches.clear();
    unexplainedDeaths = blamed ? 0 : unexplainedDeaths + 1;
    // Deaths nobody can be blamed for, over and over: read the rest on the main thread rather than loop.
    if (unexplainedDeaths >= UNEXPLAINED_DEATHS_MAX) broken = true;
    else {
      pool.push(spawn());
      workersReplaced++;
    }
    for (const req of again) {
      if (broken) viaFallback(req);
      else queue.push(req);
    }
    // The requests given up here, and any held back while this worker was busy (flush).
    if (queue.length > 0) schedule();
  };

  const viaFallback = (req: Request): void => {
    if (req.given) req.resolve(req.given);
    else fallback.probe(req.entry).then(req.resolve, req.reject);
  };

  /** Work a request represents: with hashing, a file costs its bytes (1 unit per MiB) as well as its open. */
  const weightOf = (req: Request): number => (hash.length > 0 ? 1 + req.entry.size / 1048576 : 1);
  const send = (pw: PoolWorker, batch: Request[]): void => {
    const id = nextId++;
    pw.batches.set(id, batch);
    if (pw.outstanding === 0) {
      pw.worker.ref();
      // The heartbeat is judged from the moment work arrives, not from the worker's last busy spell.
      pw.beat = Atomics.load(pw.progress, PROGRESS.beat);
      pw.beatAt = Date.now();
    }
    pw.outstanding += batch.length;
    batchesSent++;
    for (const r of batch) pw.load += weightOf(r);
    const given = batch[0]!.given ? packProbes(batch.map((r) => r.given!)) : undefined;
    const message: ProbeWorkerBatch = given
      ? { id, files: [], given, hash: false }
      : { id, files: batch.map((r) => r.file), hash: hash.length > 0 };
    if (identify) {
      message.names = batch.map((r) => ({
        path: r.entry.path,
        ...(r.entry.logicalPath !== undefined ? { logicalPath: r.entry.logicalPath } : {}),
      }));
      if (batch.some((r) => r.skip)) message.skip = batch.map((r) => r.skip);
    }
    pw.worker.postMessage(message, given ? [given.buffer, given.meta.buffer] : []);
  };

  /** Probes in the workers' result layout (one buffer, one meta array), to be transferred. */
  const packProbes = (probes: Probe[]): { buffer: ArrayBuffer; meta: Float64Array<ArrayBuffer> } => {
    let total = 0;
    for (const p of probes) total += p.head.length + p.tail.length + p.samples.reduce((n, x) => n + x.bytes.length, 0);
    const bytes = new Uint8Array(total);
    const meta = new Float64Array(probes.length * stride);
    let at = 0;
    const put = (b: Uint8Array): number => {
      bytes.set(b, at);
      at += b.length;
      return at - b.length;
    };
    probes.forEach((p, i) => {
      const o = i * stride;
      meta[o] = p.size;
      meta[o + 1] = put(p.head);
      meta[o + 2] = p.head.length;
      meta[o + 3] = put(p.tail);
      meta[o + 4] = p.tail.length;
      const samples = p.samples.slice(0, limits.probeSampleCount);
      meta[o + 5] = samples.length;
      samples.forEach((x, k) => {
        meta[o + 6 + 3 * k] = x.offset;
        meta[o + 7 + 3 * k] = put(x.bytes);
        meta[o + 8 + 3 * k] = x.bytes.length;
      });
    });
    return { buffer: bytes.buffer, meta };
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  // While every worker has this many files in hand, a partial batch of files waits to fill up: each message
  // costs both threads ~0.2 ms whatever it holds, and turns of the event loop often queue only a few files.
  const holdAt = 2 * batchSize;
  const busy = (): boolean => {
    const workers = pool.filter((w) => !w.dead);
    return workers.length > 0 && workers.every((w) => w.outstanding >= holdAt);
  };

  const flush = (): void => {
    scheduled = false;
    // Sent when full (enqueue), on the next reply (onResults), a death (onDeath) or close. Probes read
    // elsewhere go at once: an archive member's item waits on its answer.
    if (!closed && queue.length < batchSize * pool.length && !queue.some((r) => r.given) && busy()) return;
    const all = queue;
    queue = [];
    // Files to read and probes read already go in separate batches (two layouts of message).
    const given = all.filter((r) => r.given);
    spread(given.length > 0 ? all.filter((r) => !r.given) : all);
    if (given.length > 0) spread(given);
  };

  const spread = (requests: Request[]): void => {
    let pending = requests;
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

  const enqueue = (entry: SourceEntry, file: string | Buffer | MemberLocation, given?: Probe): Promise<Probe> => {
    if (pool.length === 0) start();
    return new Promise<Probe>((resolve, reject) => {
      queue.push({ entry, file, resolve, reject, ...(given ? { given } : {}) });
      if (queue.length >= batchSize * pool.length) flush();
      else schedule();
    });
  };

  return {
    probe(entry: SourceEntry): Promise<Probe> {
      if (closed || broken) return fallback.probe(entry);
      if (entry.localPath !== undefined) return enqueue(entry, entry.localPath);
      // A member of a local archive: the worker reads, inflates and hashes it where it lies.
      if (entry.location) return enqueue(entry, entry.location);
      // Read here, through the container's reader; the detectors still run on a worker, under its watchdog.
      if (!identify) return fallback.probe(entry);
      return fallback.probe(entry).then((given) => (closed || broken ? given : enqueue(entry, '', given)));
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
    get workersReplaced() {
      return workersReplaced;
    },
    get batchesSent() {
      return batchesSent;
    },
    workerDetectorIds: [...(identify?.ids ?? [])],
    async close(): Promise<void> {
      closed = true;
      clearInterval(watchdog);
      // Queued requests are served on the main thread; in-flight ones are given up at once
      // (the scan is over or interrupted: nobody waits for them, and a worker hashing a
      // 50 GB file must not hold up the end of an interrupted scan).
      if (queue.length > 0) flush();
      const all = pool.splice(0);
      await Promise.all(
        all.map(async (pw) => {
          pw.dead = true;
          for (const batch of pw.batches.values())
            for (const req of batch)
              req.reject(
                Object.assign(new Error('the prober was closed before this file was read'), { code: 'ECLOSED' }),
              );
          // An idle, healthy worker is kept for the next scan in this process; one interrupted mid-batch is ended.
          if (pw.batches.size === 0 && !broken)
            parkProbeWorker(pw.worker, limits.workerHeapMb, identify?.modules ?? []);
          else await pw.worker.terminate();
          pw.batches.clear();
        }),
      );
    },
  };
}
