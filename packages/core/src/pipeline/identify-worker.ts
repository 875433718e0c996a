/**
 * Identification on a probe worker thread: the worker that has just read a
 * file's probe blocks runs the detectors on them too, so the main thread
 * only merges their answers (identify.ts, `identify(probe, remote)`).
 *
 * Why: a CPU profile of the 100,000-file scan (docs/performance.md) showed
 * the main thread busy 100% of the time while the probe workers mostly
 * waited; detectors were the largest share of that time. Moving them to the
 * workers spreads the work over every core.
 *
 * Only detectors loaded from a module can run here: the worker imports the
 * same modules (by URL) and takes the detectors with the given ids, in the
 * given order. The scan checks on the main thread that each of those ids is
 * the very object the module exports (scan.ts, `workerDetectorIds`), so a
 * worker never runs a different detector than the registry holds.
 */
import type { DetectorPlugin, Plugin, Probe, ScanLimitsView } from '../plugin/types.js';
import { createIdentifier, type IdentifierOptions, type RemoteIdentification } from './identify.js';
import type { SkippedDetector } from './probe-worker-protocol.js';
import { makeProbe } from './probe.js';
import type { SourceEntry } from '../sources/source.js';

export interface WorkerIdentifyInit {
  /** Module URLs to import; their exported detectors (also inside arrays and `{ plugins }` objects) are candidates. */
  modules: readonly string[];
  /** Detector ids to run, in registry order. */
  ids: readonly string[];
  limits: ScanLimitsView & { pluginTimeoutMs?: number };
}

/** One file's identity as the main thread knows it (for the probe's name and extension). */
export interface WorkerIdentifyFile {
  path: string;
  logicalPath?: string;
}

export type WorkerIdentify = (
  file: WorkerIdentifyFile,
  size: number,
  head: Uint8Array,
  tail: Uint8Array,
  samples: Probe['samples'],
  skip?: readonly SkippedDetector[],
) => Promise<RemoteIdentification>;

const KINDS = new Set(['detector', 'parser', 'app-rules']);

/** Every plugin a module exports, as scan.ts, the probe workers and the parse children find them. */
export function exportedPlugins(mod: Record<string, unknown>): Plugin[] {
  const seen: Plugin[] = [];
  const add = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(add);
    else if (isPlugin(v)) seen.push(v);
    else if (v && typeof v === 'object' && Array.isArray((v as { plugins?: unknown }).plugins))
      (v as { plugins: unknown[] }).plugins.forEach(add);
  };
  for (const v of Object.values(mod)) add(v);
  return seen;
}

function isPlugin(v: unknown): v is Plugin {
  const p = v as Partial<Plugin> | null;
  return (
    !!p &&
    typeof p === 'object' &&
    typeof p.kind === 'string' &&
    KINDS.has(p.kind) &&
    !!p.meta &&
    typeof p.meta === 'object'
  );
}

/** Loads the detectors and returns the function the worker calls per file. Throws when a module or id is missing. */
export async function createWorkerIdentify(
  init: WorkerIdentifyInit,
  hooks: Pick<IdentifierOptions, 'onDetector'> = {},
): Promise<WorkerIdentify> {
  const found = new Map<string, DetectorPlugin>();
  for (const url of init.modules) {
    for (const p of exportedPlugins((await import(url)) as Record<string, unknown>))
      if (p.kind === 'detector' && !found.has(p.meta.id)) found.set(p.meta.id, p);
  }
  const detectors = init.ids.map((id) => {
    const d = found.get(id);
    if (!d) throw new Error(`no module exports detector ${id}`);
    return d;
  });
  const identifier = createIdentifier(detectors, init.limits, hooks);
  return (file, size, head, tail, samples, skip) =>
    identifier.identifyParts(makeProbe(file as SourceEntry, size, head, tail, samples), skip);
}
