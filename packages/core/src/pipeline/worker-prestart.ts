/**
 * Probe workers ready before a prober needs them. A worker thread spends
 * ~0.4 s loading its modules (and ~0.4 s more for the detectors and
 * libmagic's database); started by the prober, that load came after the
 * main thread's own (~0.5 s for the CLI's module graph) while the main thread
 * sat idle waiting for it. The CLI's entry starts one here before it loads
 * anything else, so both loads overlap; and a prober that closes hands its
 * idle workers back here, so the next scan in the same process (a library
 * scanning source after source, the CLI host) starts with them loaded. A
 * prober adopts a spare whose heap cap and loaded modules fit its scan; the
 * others wait for a scan they fit, and end after 30 s unused.
 *
 * This module imports only Node built-ins and the limits: loading it must cost nothing.
 */
import { Worker } from 'node:worker_threads';
import { builtEntry } from '../built-entry.js';
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
  return builtEntry(new URL('./probe-worker.js', import.meta.url));
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

/** A probe worker ready for the next prober: started ahead of the scan, or kept from the last one. */
interface Spare {
  worker: Worker;
  heapMb: number;
  /** Detector modules it has loaded (or was told to preload): a scan that asks for others does not get it. */
  modules: readonly string[];
  /** Set when the thread failed or exited before it was adopted. */
  failed: boolean;
}

/** Spare workers, oldest first; ended when none was adopted for this long. */
const spares: Spare[] = [];
const SPARE_IDLE_MS = 30_000;
/** At most this many are kept: the default pool's size (worker-prober.ts defaultWorkerCount). */
const SPARES_MAX = 4;
let idleTimer: NodeJS.Timeout | undefined;

function keep(worker: Worker, heapMb: number, modules: readonly string[]): void {
  const s: Spare = { worker, heapMb, modules: [...modules], failed: false };
  // Until adopted, a failure is only noted (an unheard 'error' event would be thrown); the prober starts its own.
  const fail = (): void => {
    s.failed = true;
  };
  worker.on('error', fail);
  worker.once('exit', fail);
  // Spares keep nothing alive: a command that ends without scanning (again) exits as before.
  worker.unref();
  spares.push(s);
  clearTimeout(idleTimer);
  idleTimer = setTimeout(endSpares, SPARE_IDLE_MS);
  idleTimer.unref();
}

function endSpares(): void {
  for (const s of spares.splice(0)) void s.worker.terminate();
}

/**
 * Start one probe worker with the default heap cap now, for a scan about to
 * be set up in this process, and have it start loading `preload` (the
 * detector modules the scan will most likely ask it to run), unless a spare
 * is there already.
 */
export function prestartProbeWorker(preload: readonly string[] = []): void {
  if (spares.length > 0) return;
  const entry = workerEntry();
  if (!entry) return;
  const worker = startProbeWorker(entry, DEFAULT_LIMITS.workerHeapMb, () => undefined);
  worker.removeAllListeners('error');
  const message: ProbeWorkerPreload = { type: 'preload', modules: [...preload] };
  worker.postMessage(message);
  keep(worker, DEFAULT_LIMITS.workerHeapMb, preload);
}

/**
 * Keep an idle, healthy probe worker for the next prober in this process
 * (a library scanning source after source, the CLI host running commands):
 * its modules (the detectors, libmagic's database) stay loaded, which costs
 * a new worker ~0.2-0.8 s of CPU. The next prober sends it a new init.
 * Ended when not adopted within 30 s, or at once when enough are kept.
 * `modules`: the detector modules its scan loaded there.
 */
export function parkProbeWorker(worker: Worker, heapMb: number, modules: readonly string[]): void {
  for (const event of ['message', 'error', 'exit', 'messageerror', 'online'] as const) worker.removeAllListeners(event);
  if (spares.length >= SPARES_MAX) {
    void worker.terminate();
    return;
  }
  keep(worker, heapMb, modules);
}

/**
 * A spare worker, newest first, alive, with the heap cap asked for and no
 * detector module loaded that `modules` (the scan's) does not name: another
 * scan's plugins never run beside this one's. Spares alive but loaded for
 * another scan stay; the others are ended. Undefined when none fits.
 */
export function adoptSpareWorker(workerHeapMb: number, modules: readonly string[] = []): Worker | undefined {
  for (let i = spares.length - 1; i >= 0; i--) {
    const s = spares[i]!;
    const fits = s.heapMb === workerHeapMb && s.modules.every((m) => modules.includes(m));
    if (!s.failed && !fits) continue;
    spares.splice(i, 1);
    s.worker.removeAllListeners('error');
    s.worker.removeAllListeners('exit');
    if (!s.failed) return s.worker;
    void s.worker.terminate();
  }
  return undefined;
}
