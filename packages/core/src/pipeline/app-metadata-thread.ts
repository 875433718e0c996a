/**
 * The app metadata readers (`containerMetadata.resolve`, `packageLists.read`)
 * under supervision: one thread, started when the first metadata file is met,
 * runs them with a deadline and a heap cap, as the detectors' threads do. A
 * reader that passes the deadline, reaches the cap or crashes ends the thread
 * (the next file gets a new one) and its file gets a warning naming the plugin
 * (`PLUGIN_TIMEOUT`, `MEMORY_LIMIT`, `WORKER_CRASHED`); the scan goes on.
 *
 * Only rules of plugins that the scan's modules export as the very same
 * objects run here (the rule of `workerDetectorIds`); rules made in code run
 * on the main thread, bounded by their `maxBytes` and `MAX_APPS_PER_LIST` only.
 */
import { Worker } from 'node:worker_threads';
import { builtEntry } from '../built-entry.js';
import type { AppRulesPlugin } from '../plugin/types.js';
import type { AppMetadataReply, AppMetadataRequest } from './app-metadata-protocol.js';
import { exportedPlugins } from './identify-worker.js';

export interface AppMetadataThread {
  /** Whether this plugin's rules run on the thread. */
  runs(plugin: AppRulesPlugin): boolean;
  /** One reader call; rejects with an error whose `code` says why the thread was ended, if it was. */
  ask(request: AppMetadataRequest): Promise<AppMetadataReply>;
  close(): Promise<void>;
}

/** Time a new thread has, on top of the deadline, to import the modules before its first answer. */
const START_ALLOWANCE_MS = 10_000;

export interface AppMetadataThreadLimits {
  pluginTimeoutMs: number;
  workerHeapMb: number;
}

/** How long one reader call may take: the plugin timeout and a grace of half of it (at least 1 s), as for detectors. */
export function appMetadataDeadlineMs(limits: AppMetadataThreadLimits): number {
  return limits.pluginTimeoutMs + Math.max(1000, Math.floor(limits.pluginTimeoutMs / 2));
}

/** The thread, or undefined when no module exports one of these plugins or the entry is not built (tsx). */
export async function createAppMetadataThread(
  plugins: readonly AppRulesPlugin[],
  modules: readonly string[],
  limits: AppMetadataThreadLimits,
): Promise<AppMetadataThread | undefined> {
  const entry = builtEntry(new URL('./app-metadata-worker.js', import.meta.url));
  if (!entry || modules.length === 0) return undefined;
  const exported = new Set<unknown>();
  for (const url of modules) {
    try {
      for (const p of exportedPlugins((await import(url)) as Record<string, unknown>)) exported.add(p);
    } catch {
      // Not loadable here, so not on the thread either.
    }
  }
  const remote = new Set(plugins.filter((p) => exported.has(p) && (p.containerMetadata || p.packageLists)));
  if (remote.size === 0) return undefined;
  const deadline = appMetadataDeadlineMs(limits);
  let worker: Worker | undefined;
  /** Calls run one after another: the thread answers one at a time, and each call's deadline starts at its turn. */
  let queue: Promise<unknown> = Promise.resolve();

  const start = (): Worker => {
    const w = new Worker(entry, {
      workerData: { modules: [...modules] },
      resourceLimits: { maxOldGenerationSizeMb: limits.workerHeapMb, maxYoungGenerationSizeMb: 16 },
    });
    // Errors are heard by ask(); between calls an ended thread is just replaced.
    w.on('error', () => undefined);
    w.once('exit', () => {
      if (worker === w) worker = undefined;
    });
    w.unref();
    return w;
  };

  const end = (w: Worker): void => {
    if (worker === w) worker = undefined;
    void w.terminate();
  };

  return {
    runs: (plugin) => remote.has(plugin),
    ask(request) {
      const turn = queue.then(() => call(request));
      queue = turn.catch(() => undefined);
      return turn;
    },
    async close() {
      await queue;
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
    },
  };

  function call(request: AppMetadataRequest): Promise<AppMetadataReply> {
    // A new thread first imports the modules (~0.5-1 s here): its first call is allowed that too.
    const limit = worker ? deadline : deadline + START_ALLOWANCE_MS;
    const w = (worker ??= start());
    w.ref();
    return new Promise<AppMetadataReply>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        w.unref();
      };
      const fail = (code: string, message: string): void => {
        done();
        end(w);
        reject(Object.assign(new Error(message), { code }));
      };
      const onMessage = (r: AppMetadataReply): void => {
        done();
        resolve(r);
      };
      const onError = (err: Error & { code?: string }): void =>
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? fail('MEMORY_LIMIT', `exceeded the heap cap of ${limits.workerHeapMb} MiB; its thread was ended`)
          : fail('WORKER_CRASHED', `its thread failed: ${err.message}`);
      const onExit = (code: number): void => fail('WORKER_CRASHED', `its thread exited (code ${code})`);
      const timer = setTimeout(
        () => fail('PLUGIN_TIMEOUT', `no answer within ${limit} ms; its thread was ended`),
        limit,
      );
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      w.postMessage(request);
    });
  }
}
