/**
 * Runs a detector that lives in a module file on a worker thread, so that a
 * detector stuck in a synchronous loop can be stopped: the main thread cannot
 * interrupt its own synchronous code, but it can terminate a worker. The
 * proxy keeps the detector's declarations (signatures, sizes, priority), so
 * the engine still checks them on the main thread and only matching files
 * cross to a worker. Each worker runs one call at a time (up to
 * ISOLATED_WORKERS_MAX workers), so a stuck call blocks only its own worker:
 * when the engine's per-call budget runs out it aborts `ctx.signal`, and the
 * proxy terminates that worker; the engine records the timeout.
 *
 * Only detectors: parsers read the item through callbacks and handles that do
 * not cross threads. Plugin objects that were not loaded from a module (made
 * in a JS config, passed to `scan()` directly) run on the main thread.
 * Reference: https://nodejs.org/api/worker_threads.html (`worker.terminate()`).
 */
import { Worker } from 'node:worker_threads';
import type { DetectorContext, DetectorPlugin, DetectResult, Probe } from './types.js';

/** The worker: imports the module once, finds the detector by id, answers calls in order. Plain JS (an eval'd CommonJS worker). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const KINDS = new Set(['detector', 'parser', 'app-rules']);
const isPlugin = (v) => v && typeof v === 'object' && KINDS.has(v.kind) && v.meta && typeof v.meta === 'object';
const found = import(workerData.url).then((mod) => {
  const seen = [];
  const add = (v) => { if (Array.isArray(v)) v.forEach(add); else if (isPlugin(v)) seen.push(v); else if (v && typeof v === 'object' && Array.isArray(v.plugins)) v.plugins.forEach(add); };
  for (const v of Object.values(mod)) add(v);
  const d = seen.find((p) => p.kind === 'detector' && p.meta.id === workerData.id);
  if (!d) throw new Error('the module no longer exports detector ' + workerData.id);
  return d;
});
found.then(() => parentPort.postMessage({ ready: true }), (err) => parentPort.postMessage({ loadError: (err && err.message) || String(err) }));
parentPort.on('message', async ({ call, probe, limits }) => {
  try {
    const d = await found;
    const result = await d.detect(probe, { limits });
    parentPort.postMessage({ call, result });
  } catch (err) {
    parentPort.postMessage({ call, error: (err && err.message) || String(err) });
  }
});
`;

interface Call {
  id: number;
  probe: Probe;
  limits: DetectorContext['limits'];
  resolve(value: DetectResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** The call it runs; a worker runs one call at a time, so a stuck call blocks only its own worker. */
  call?: Call | undefined;
  /** Whether the worker could load the module (set once it reports). */
  loaded?: { ok: true } | { ok: false; why: string };
  waiters: Array<() => void>;
}

/** An isolated detector: a `DetectorPlugin` plus `close()` to stop its workers. */
export interface IsolatedDetector extends DetectorPlugin {
  /** Starts a worker and waits until it has loaded the detector; rejects, saying why, when the module cannot be loaded on a worker. */
  ready(): Promise<void>;
  /** Terminates the workers (calls in flight fail). */
  close(): Promise<void>;
}

/** Workers per isolated detector, at most (each runs one call at a time). */
export const ISOLATED_WORKERS_MAX = 4;

/**
 * Wraps a detector loaded from `moduleUrl` so each `detect` call runs on a
 * worker thread that is terminated when the call overruns its budget.
 *
 * @example
 * const url = pathToFileURL('./acme-vault.mjs').href;
 * const { acmeVault } = await import(url);
 * const isolated = isolateDetector(acmeVault, url);
 * const run = scan(source, { plugins: [...builtinPlugins, isolated] });
 * // ... iterate, then:
 * await isolated.close();
 */
export function isolateDetector(
  plugin: DetectorPlugin,
  moduleUrl: string,
  maxWorkers: number = ISOLATED_WORKERS_MAX,
): IsolatedDetector {
  let nextCall = 0;
  const slots: Slot[] = [];
  const queue: Call[] = [];

  const retire = (slot: Slot) => {
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    void slot.worker.terminate();
  };
  const spawn = (): Slot => {
    const slot: Slot = {
      waiters: [],
      worker: new Worker(WORKER_SOURCE, { eval: true, workerData: { url: moduleUrl, id: plugin.meta.id } }),
    };
    slot.worker.on(
      'message',
      ({
        call,
        result,
        error,
        ready,
        loadError,
      }: {
        call: number;
        result?: DetectResult;
        error?: string;
        ready?: true;
        loadError?: string;
      }) => {
        if (ready || loadError !== undefined) {
          slot.loaded = loadError === undefined ? { ok: true } : { ok: false, why: loadError };
          for (const w of slot.waiters.splice(0)) w();
          return;
        }
        const c = slot.call;
        if (!c || c.id !== call) return;
        slot.call = undefined;
        slot.worker.unref();
        if (error !== undefined) c.reject(new Error(error));
        else c.resolve(result);
        dispatch();
      },
    );
    slot.worker.on('error', (err) => {
      // The worker died (a throw at import, out of memory): fail its call, replace it on demand.
      const c = slot.call;
      slot.call = undefined;
      retire(slot);
      c?.reject(new Error(`the detector's worker failed: ${err.message}`));
      dispatch();
    });
    slots.push(slot);
    return slot;
  };
  const dispatch = () => {
    while (queue.length > 0) {
      const slot = slots.find((s) => !s.call) ?? (slots.length < maxWorkers ? spawn() : undefined);
      if (!slot) return;
      const c = queue.shift()!;
      slot.call = c;
      slot.worker.ref();
      slot.worker.postMessage({
        call: c.id,
        probe: { ...c.probe, samples: c.probe.samples.map((x) => ({ ...x })) },
        limits: { ...c.limits },
      });
    }
    // Keep one idle worker warm, so a call that arrives while the others are busy (or stuck) does not pay a worker's start-up against its budget.
    if (!slots.some((s) => !s.call) && slots.length < maxWorkers) spawn().worker.unref();
  };
  /** The budget ran out: a waiting call leaves the queue; a running one takes its worker down with it. */
  const abandon = (c: Call) => {
    const q = queue.indexOf(c);
    if (q >= 0) queue.splice(q, 1);
    const slot = slots.find((s) => s.call === c);
    if (slot) {
      slot.call = undefined;
      retire(slot);
    }
    c.reject(new Error('abandoned'));
    dispatch();
  };

  // `detect` is only dropped from the copy here, never called detached.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const { kind: _kind, detect: _detect, ...declarations } = plugin;
  return {
    kind: 'detector',
    ...declarations,
    detect(probe, ctx) {
      return new Promise<DetectResult>((resolve, reject) => {
        const c: Call = { id: nextCall++, probe, limits: ctx.limits, resolve, reject };
        ctx.signal?.addEventListener('abort', () => abandon(c), { once: true });
        queue.push(c);
        dispatch();
      });
    },
    async ready() {
      // Two workers from the start: one can be stuck while the other answers.
      while (slots.length < Math.min(2, maxWorkers)) spawn();
      for (const slot of [...slots]) {
        if (!slot.loaded) await new Promise<void>((resolve) => slot.waiters.push(resolve));
        if (!slot.call) slot.worker.unref();
        if (slot.loaded && !slot.loaded.ok) {
          for (const s of slots.splice(0)) void s.worker.terminate();
          throw new Error(slot.loaded.why);
        }
      }
    },
    async close() {
      for (const c of queue.splice(0)) c.reject(new Error('the isolated detector was closed'));
      const all = slots.splice(0);
      for (const s of all) s.call?.reject(new Error('the isolated detector was closed'));
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
