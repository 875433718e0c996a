/**
 * Identify stage: run every detector whose declared signatures (through the
 * dispatch table, dispatch.ts) and size limits match the probe (signatures
 * first, code second), then fallback
 * detectors if nothing matched. Returns all candidates, tagged with who said it.
 *
 * Each call is isolated: a detector that throws, whose promise outlives the
 * per-call budget (`pluginTimeoutMs`), or whose answer fails `DetectionSchema`
 * becomes a failure naming the detector; the other detectors still run.
 * Limit: a detector that loops forever *synchronously* blocks the thread and
 * cannot be interrupted from it (JavaScript has no pre-emption); only async
 * work is bounded here. On the probe workers (below) a watchdog on the main
 * thread terminates such a worker and the detector's failure is reported
 * (worker-prober.ts). See docs/writing-a-plugin.md, "What the engine
 * guarantees".
 *
 * Detectors loaded from a module may also run on the probe workers
 * (identify-worker.ts, `identifyParts`); `identify(probe, remote)` then runs
 * only the others here and merges, with the same candidates and failures in
 * the same order as if all had run on this thread.
 */
import { compileDispatch, compileSignature, signatureMatches } from './dispatch.js';
import { DetectorCallContext } from './lazy-abort.js';
import { TimeoutError } from './timeout.js';
import { checkDetection } from '../plugin/contract.js';
import { quickValidDetectResult } from '../plugin/quick-check.js';
import { DetectResultSchema, firstIssue } from '../plugin/schemas.js';
import type { DeclinedSignature, DetectorPlugin, Detection, Probe, ScanLimitsView } from '../plugin/types.js';
import type { SkippedDetector } from './probe-worker-protocol.js';

export interface Candidate extends Detection {
  detector: DetectorPlugin;
}

/**
 * A detector call that failed; `code` is `PLUGIN_THREW`, `PLUGIN_TIMEOUT` or
 * `PLUGIN_BAD_RESULT`, or, for a call that took its worker thread down (the
 * watchdog's verdict, worker-prober.ts), `PLUGIN_TIMEOUT`, `MEMORY_LIMIT` or
 * `WORKER_CRASHED`.
 */
export interface DetectorFailure {
  detector: string;
  error: unknown;
  code?: 'PLUGIN_THREW' | 'PLUGIN_TIMEOUT' | 'PLUGIN_BAD_RESULT' | 'MEMORY_LIMIT' | 'WORKER_CRASHED';
}

/** A detection made on a probe worker (identify-worker.ts), named by its detector's id. */
export interface RemoteCandidate {
  detector: string;
  detection: Detection;
}

/**
 * What a worker's detectors said about one probe. `fallback` is there when
 * none of the worker's primary detectors matched (the worker cannot know
 * whether the main thread's detectors will, so it runs its fallbacks ahead).
 */
export interface RemoteIdentification {
  primary: RemoteCandidate[];
  fallback?: RemoteCandidate[];
  failures: Array<{ detector: string; code: NonNullable<DetectorFailure['code']>; message: string; fallback: boolean }>;
}

export interface Identifier {
  /**
   * Runs the detectors on a probe. With `remote` (what the worker-side
   * detectors already said), runs only the others and merges, with the same
   * result as running them all here: candidates in registry order, fallbacks
   * only when no primary detector matched.
   */
  identify(
    probe: Probe,
    remote?: RemoteIdentification,
  ): Promise<{ candidates: Candidate[]; failures: DetectorFailure[] }>;
  /**
   * The primary and (when no primary matched) fallback passes apart, for the
   * worker side. Detectors in `skip` are not called: each is reported as the
   * failure given (it stalled or crashed a worker on this probe before).
   */
  identifyParts(probe: Probe, skip?: readonly SkippedDetector[]): Promise<RemoteIdentification>;
}

export interface IdentifierOptions {
  /** Ids of detectors that run on the probe workers: skipped here when `identify` is given their answers. */
  remote?: ReadonlySet<string>;
  /** Called before each detector call (the probe worker's heartbeat for its watchdog). */
  onDetector?: (id: string) => void;
}

function skippedFor(skip: readonly SkippedDetector[], id: string): SkippedDetector | undefined {
  for (const x of skip) if (x.detector === id) return x;
  return undefined;
}

/** Default budget for one async detector call when the limits do not name one. */
const DEFAULT_DETECTOR_TIMEOUT_MS = 10_000;

/** The bytes of a signature that are neither 0x00 nor 0xFF (DeclinedSignature.identifying). */
function identifyingBytes(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if (b !== 0x00 && b !== 0xff) n++;
  return n;
}

export function createIdentifier(
  detectors: readonly DetectorPlugin[],
  limits: ScanLimitsView & { pluginTimeoutMs?: number },
  options: IdentifierOptions = {},
): Identifier {
  const compiled = detectors.map((d, index) => ({ d, index }));
  const table = compileDispatch(detectors.map((d) => d.signatures));
  const primary = compiled.filter((c) => !c.d.fallback);
  const fallback = compiled.filter((c) => c.d.fallback);
  const remote = options.remote ?? new Set<string>();
  const localPrimary = primary.filter((c) => !remote.has(c.d.meta.id));
  const localFallback = fallback.filter((c) => !remote.has(c.d.meta.id));
  const byId = new Map(detectors.map((d) => [d.meta.id, d]));
  const rank = new Map(detectors.map((d, i) => [d.meta.id, i]));
  const fromRemote = (list: readonly RemoteCandidate[]): Candidate[] =>
    list.flatMap((r) => {
      const d = byId.get(r.detector);
      return d ? [{ ...r.detection, detector: d }] : [];
    });
  const remoteFailures = (r: RemoteIdentification, isFallback: boolean): DetectorFailure[] =>
    r.failures
      .filter((f) => f.fallback === isFallback)
      .map((f) => ({ detector: f.detector, code: f.code, error: new Error(f.message) }));
  // Registry order, as if every detector had run here in turn (stable within one detector's answers).
  const inOrder = <T>(list: T[], id: (x: T) => string): T[] =>
    list
      .map((x, i) => ({ x, i }))
      .sort((a, b) => (rank.get(id(a.x)) ?? 0) - (rank.get(id(b.x)) ?? 0) || a.i - b.i)
      .map((e) => e.x);
  // Each side is already in registry order: interleave only when both have answers (the usual item has one side).
  const merged = <T>(fromWorker: T[], here: T[], id: (x: T) => string): T[] =>
    here.length === 0 ? fromWorker : fromWorker.length === 0 ? here : inOrder([...fromWorker, ...here], id);
  const mergeCandidates = (fromWorker: Candidate[], here: Candidate[]) =>
    merged(fromWorker, here, (c) => c.detector.meta.id);
  const mergeFailures = (fromWorker: DetectorFailure[], here: DetectorFailure[]) =>
    merged(fromWorker, here, (f) => f.detector);
  /** The dispatch table's answer for a probe, looked up on first use and kept. */
  const candidatesOnce = (probe: Probe) => {
    let found: Uint8Array | undefined;
    return () => (found ??= table.candidates(probe));
  };
  // The signatures anchored at the start, for telling fallbacks which ones matched a file no detector recognised.
  const anchored = primary.map(({ d, index }) => ({
    d,
    index,
    sigs: (d.signatures ?? []).filter((s) => !s.fromEnd && !s.within).map((s) => compileSignature(s, index)),
  }));
  const declinedOnce = (probe: Probe, hits: () => Uint8Array) => {
    let found: DeclinedSignature[] | undefined;
    return () => (found ??= declinedSignatures(probe, hits()));
  };
  const declinedSignatures = (probe: Probe, called: Uint8Array): DeclinedSignature[] => {
    const out: DeclinedSignature[] = [];
    for (const { d, index, sigs } of anchored) {
      if (called[index] === 0) continue;
      let best: { offset: number; length: number; identifying: number } | undefined;
      for (const sig of sigs)
        if (sig.bytes.length > (best?.length ?? 0) && signatureMatches(sig, probe))
          best = { offset: sig.offset, length: sig.bytes.length, identifying: identifyingBytes(sig.bytes) };
      if (best) out.push({ detector: d.meta.id, formats: d.meta.formats, ...best });
    }
    return out;
  };
  const timeoutMs = limits.pluginTimeoutMs ?? DEFAULT_DETECTOR_TIMEOUT_MS;
  const onDetector = options.onDetector;
  // Nothing in run's loop is captured by a closure: a variable that is makes V8 allocate a context for
  // every turn of the loop, ~30 detector calls per file (the timeout's closures live in withinBudget).
  /** An async answer raced against the call's budget; past it, the call's signal is aborted. */
  const withinBudget = async (
    answer: Promise<unknown>,
    id: string,
    ctx: DetectorCallContext<unknown, unknown>,
  ): Promise<unknown> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Reject before aborting, so a detector that settles on abort still counts as timed out.
        reject(new TimeoutError(`detector ${id}`, timeoutMs));
        DetectorCallContext.abort(ctx);
      }, timeoutMs);
    });
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  const run = async (
    list: typeof compiled,
    probe: Probe,
    hits: () => Uint8Array,
    out: Candidate[],
    failures: DetectorFailure[],
    skip?: readonly SkippedDetector[],
    declined?: () => readonly DeclinedSignature[],
  ) => {
    // Looked up only when there is a detector to run here (with all of them on the workers, none is).
    if (list.length === 0) return;
    const called = hits();
    for (const { d, index } of list) {
      if (called[index] === 0) continue;
      if (d.minSize !== undefined && probe.size < d.minSize) continue;
      if (d.maxSize !== undefined && probe.size > d.maxSize) continue;
      const skipped = skip && skippedFor(skip, d.meta.id);
      if (skipped) {
        failures.push({ detector: d.meta.id, code: skipped.code, error: new Error(skipped.message) });
        continue;
      }
      onDetector?.(d.meta.id);
      const ctx = new DetectorCallContext(limits, declined);
      try {
        let result: unknown = d.detect(probe, ctx);
        if (result && typeof (result as Promise<unknown>).then === 'function')
          result = await withinBudget(result as Promise<unknown>, d.meta.id, ctx);
        if (result === undefined || result === null) continue; // "no match", valid by the contract: no need to validate
        // The quick check proves the usual answer valid without zod; the schema judges everything else.
        const checked = quickValidDetectResult(result) ? undefined : DetectResultSchema.safeParse(result);
        if (checked && !checked.success) {
          failures.push({
            detector: d.meta.id,
            code: 'PLUGIN_BAD_RESULT',
            error: new Error(
              `detector ${d.meta.id} returned a result that fails the contract: ${firstIssue(checked.error)}`,
            ),
          });
          continue;
        }
        if (!result) continue;
        const list = Array.isArray(result) ? (result as Detection[]) : [result as Detection];
        for (const det of list) {
          // The same declaration check as the test kit: an undeclared format, status or reason code is a broken answer.
          const checkedDetection = checkDetection(d, det);
          if (!checkedDetection.ok)
            failures.push({
              detector: d.meta.id,
              code: 'PLUGIN_BAD_RESULT',
              error: new Error(checkedDetection.message),
            });
          else out.push({ ...checkedDetection.detection, detector: d });
        }
      } catch (error) {
        failures.push({
          detector: d.meta.id,
          error,
          code: error instanceof TimeoutError ? 'PLUGIN_TIMEOUT' : 'PLUGIN_THREW',
        });
      }
    }
  };
  const message = (f: DetectorFailure) => (f.error as Error)?.message ?? String(f.error);
  const strip = (list: Candidate[]): RemoteCandidate[] =>
    list.map(({ detector, ...detection }) => ({ detector: detector.meta.id, detection }));
  return {
    async identify(probe, fromWorker) {
      const candidates: Candidate[] = [];
      const failures: DetectorFailure[] = [];
      // Answers from a worker are merged only when we know which detectors gave them.
      const hits = candidatesOnce(probe);
      if (!fromWorker || remote.size === 0) {
        await run(primary, probe, hits, candidates, failures);
        if (candidates.length === 0)
          await run(fallback, probe, hits, candidates, failures, undefined, declinedOnce(probe, hits));
        return { candidates, failures };
      }
      await run(localPrimary, probe, hits, candidates, failures);
      const primaries = mergeCandidates(fromRemote(fromWorker.primary), candidates);
      const primaryFailures = mergeFailures(remoteFailures(fromWorker, false), failures);
      if (primaries.length > 0) return { candidates: primaries, failures: primaryFailures };
      const local: Candidate[] = [];
      const fallbackFailures: DetectorFailure[] = [];
      await run(localFallback, probe, hits, local, fallbackFailures, undefined, declinedOnce(probe, hits));
      return {
        candidates: mergeCandidates(fromRemote(fromWorker.fallback ?? []), local),
        failures: [...primaryFailures, ...mergeFailures(remoteFailures(fromWorker, true), fallbackFailures)],
      };
    },
    async identifyParts(probe, skip) {
      const hits = candidatesOnce(probe);
      const found: Candidate[] = [];
      const failures: DetectorFailure[] = [];
      await run(primary, probe, hits, found, failures, skip);
      const out: RemoteIdentification = {
        primary: strip(found),
        failures: failures.map((f) => ({
          detector: f.detector,
          code: f.code ?? 'PLUGIN_THREW',
          message: message(f),
          fallback: false,
        })),
      };
      if (found.length > 0) return out;
      const more: Candidate[] = [];
      const moreFailures: DetectorFailure[] = [];
      await run(fallback, probe, hits, more, moreFailures, skip, declinedOnce(probe, hits));
      out.fallback = strip(more);
      for (const f of moreFailures)
        out.failures.push({
          detector: f.detector,
          code: f.code ?? 'PLUGIN_THREW',
          message: message(f),
          fallback: true,
        });
      return out;
    },
  };
}
