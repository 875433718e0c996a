/**
 * Probe workers started before the scan is set up. A worker thread spends
 * ~0.4 s loading its modules; started by the prober, that load came after the
 * main thread's own (~0.5 s for the CLI's module graph) while the main thread
 * sat idle waiting for it. The CLI's entry starts one here before it loads
 * anything else, so both loads overlap; the prober adopts it when its heap
 * cap matches, and otherwise ends it and starts its own.
 *
 * This module imports only Node built-ins and the limits: loading it must cost nothing.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { DEFAULT_LIMITS } from '../limits.js';
import type { ProbeWorkerPreload } from './probe-worker-protocol.js';

/** A probe worker's heap cap, as a multiple of `limits.workerHeapMb`. */
export const PROBE_HEAP_FACTOR = 4;

/**
 * The compiled worker entry: next to this module in `dist`. Run from the
 * TypeScript sources (vitest), the build's copy; with neither, no workers
 * and every probe is read on the main thread.
 */
export function workerEntry(): URL | undefined {
  const here = new URL('./probe-worker.js', import.meta.url);
  if (fs.existsSync(here)) return here;
  const built = new URL(here.href.replace(/\/src\/pipeline\/probe-worker\.js$/, '/dist/pipeline/probe-worker.js'));
  return built.href !== here.href && fs.existsSync(built) ? built : undefined;
}

/** A probe worker thread as started, before any message; `onError` hears its 'error' events. */
export function startProbeWorker(entry: URL, workerHeapMb: number, onError: (err: Error) => void): Worker {
  const worker = new Worker(entry, {
    resourceLimits: {
      // A small young generation: each worker's heap otherwise grew to ~80 MB running detectors (peak RSS target).
      maxYoungGenerationSizeMb: 8,
      // Four times a parse child's cap (2 GiB by default): under 2 GiB, V8 ran the detectors with ~20% more CPU
      // (5,000-file mobile tree: 11.3 s vs 9.5 s at 512 MiB; no difference at 2,048). A probe holds a few KiB,
      // so only a runaway detector comes near either figure.
      maxOldGenerationSizeMb: PROBE_HEAP_FACTOR * workerHeapMb,
    },
  });
  worker.on('error', onError);
  return worker;
}

interface Prestarted {
  worker: Worker;
  heapMb: number;
  /** Set when the thread failed or exited before it was adopted. */
  failed: boolean;
}

let prestarted: Prestarted | undefined;

/**
 * Start one probe worker with the default heap cap now, for a scan about to
 * be set up in this process, and have it start loading `preload` (the
 * detector modules the scan will most likely ask it to run). It keeps
 * nothing alive: a command that ends without scanning exits as before.
 */
export function prestartProbeWorker(preload: readonly string[] = []): void {
  if (prestarted) return;
  const entry = workerEntry();
  if (!entry) return;
  // Until adopted, a failure is only noted (an unheard 'error' event would be thrown); the prober starts its own.
  const fail = (): void => {
    p.failed = true;
  };
  const p: Prestarted = {
    worker: startProbeWorker(entry, DEFAULT_LIMITS.workerHeapMb, fail),
    heapMb: DEFAULT_LIMITS.workerHeapMb,
    failed: false,
  };
  const { worker } = p;
  worker.once('exit', fail);
  worker.unref();
  const message: ProbeWorkerPreload = { type: 'preload', modules: [...preload] };
  worker.postMessage(message);
  prestarted = p;
}

/**
 * The prestarted worker, once, when it is alive and has the heap cap asked
 * for; otherwise it is ended and undefined is returned.
 */
export function adoptPrestartedWorker(workerHeapMb: number): Worker | undefined {
  const p = prestarted;
  prestarted = undefined;
  if (!p) return undefined;
  p.worker.removeAllListeners('error');
  p.worker.removeAllListeners('exit');
  if (!p.failed && p.heapMb === workerHeapMb) return p.worker;
  void p.worker.terminate();
  return undefined;
}
