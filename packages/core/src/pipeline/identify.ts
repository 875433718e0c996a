/**
 * Identify stage: run every detector whose declared signatures and size
 * limits match the probe (signatures first, code second), then fallback
 * detectors if nothing matched. Returns all candidates, tagged with who said it.
 *
 * Each call is isolated: a detector that throws, whose promise outlives the
 * per-call budget (`pluginTimeoutMs`), or whose answer fails `DetectionSchema`
 * becomes a failure naming the detector; the other detectors still run.
 * Limit: a detector that loops forever *synchronously* blocks the thread and
 * cannot be interrupted from it (JavaScript has no pre-emption); only async
 * work is bounded here. `isolateDetector` (plugin/isolated-detector.ts) runs a
 * detector from a module on worker threads that can be terminated; the CLI
 * uses it for `--plugin` detectors. See docs/writing-a-plugin.md, "What the
 * engine guarantees".
 */
import { DetectResultSchema, firstIssue } from '../plugin/schemas.js';
import type { DetectorPlugin, Detection, Probe, ScanLimitsView, Signature } from '../plugin/types.js';

export interface Candidate extends Detection {
  detector: DetectorPlugin;
}

interface CompiledSignature {
  offset: number;
  bytes: Uint8Array;
  fromEnd: boolean;
}

function compile(sig: Signature): CompiledSignature {
  const bytes = sig.hex !== undefined ? Buffer.from(sig.hex.replace(/\s+/g, ''), 'hex') : Buffer.from(sig.ascii ?? '', 'latin1');
  if (bytes.length === 0) throw new Error('a signature needs hex or ascii bytes');
  return { offset: sig.offset, bytes, fromEnd: sig.fromEnd ?? false };
}

function matchesAt(hay: Uint8Array, at: number, needle: Uint8Array): boolean {
  if (at < 0 || at + needle.length > hay.length) return false;
  for (let i = 0; i < needle.length; i++) if (hay[at + i] !== needle[i]) return false;
  return true;
}

function signatureMatches(sig: CompiledSignature, probe: Probe): boolean {
  if (!sig.fromEnd) return matchesAt(probe.head, sig.offset, sig.bytes);
  // From the end: the tail, or the head when the head holds the whole file.
  const buf = probe.tail.length > 0 ? probe.tail : probe.head;
  return matchesAt(buf, buf.length - sig.offset - sig.bytes.length, sig.bytes);
}

/** A detector call that failed; `code` is `PLUGIN_THREW`, `PLUGIN_TIMEOUT` or `PLUGIN_BAD_RESULT`. */
export interface DetectorFailure {
  detector: string;
  error: unknown;
  code?: 'PLUGIN_THREW' | 'PLUGIN_TIMEOUT' | 'PLUGIN_BAD_RESULT';
}

export interface Identifier {
  identify(probe: Probe): Promise<{ candidates: Candidate[]; failures: DetectorFailure[] }>;
}

/** Default budget for one async detector call when the limits do not name one. */
const DEFAULT_DETECTOR_TIMEOUT_MS = 10_000;

export function createIdentifier(detectors: readonly DetectorPlugin[], limits: ScanLimitsView & { pluginTimeoutMs?: number }): Identifier {
  const compiled = detectors.map((d) => ({ d, sigs: d.signatures?.map(compile) }));
  const primary = compiled.filter((c) => !c.d.fallback);
  const fallback = compiled.filter((c) => c.d.fallback);
  const timeoutMs = limits.pluginTimeoutMs ?? DEFAULT_DETECTOR_TIMEOUT_MS;
  const run = async (list: typeof compiled, probe: Probe, out: Candidate[], failures: DetectorFailure[]) => {
    for (const { d, sigs } of list) {
      if (d.minSize !== undefined && probe.size < d.minSize) continue;
      if (d.maxSize !== undefined && probe.size > d.maxSize) continue;
      if (sigs && !sigs.some((s) => signatureMatches(s, probe))) continue;
      // The abort signal is made only when a detector reads it: an AbortController per call
      // cost more than most detectors (measured: ~6% of the scan's main-thread time).
      let controller: AbortController | undefined;
      let aborted = false;
      const ctx = {
        limits,
        get signal(): AbortSignal {
          controller ??= new AbortController();
          if (aborted) controller.abort();
          return controller.signal;
        },
      };
      let timer: NodeJS.Timeout | undefined;
      try {
        let result: unknown = d.detect(probe, ctx);
        if (result && typeof (result as Promise<unknown>).then === 'function') {
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              // Reject before aborting, so a detector that settles on abort still counts as timed out.
              reject(new DetectorTimeout(d.meta.id, timeoutMs));
              aborted = true;
              controller?.abort();
            }, timeoutMs);
          });
          result = await Promise.race([result as Promise<unknown>, timeout]);
        }
        if (result === undefined || result === null) continue; // "no match", valid by the contract: no need to validate
        const checked = DetectResultSchema.safeParse(result);
        if (!checked.success) {
          failures.push({ detector: d.meta.id, code: 'PLUGIN_BAD_RESULT', error: new Error(`detector ${d.meta.id} returned a result that fails the contract: ${firstIssue(checked.error)}`) });
          continue;
        }
        if (!result) continue;
        const list = Array.isArray(result) ? (result as Detection[]) : [result as Detection];
        for (const det of list) out.push({ ...det, detector: d });
      } catch (error) {
        failures.push({ detector: d.meta.id, error, code: error instanceof DetectorTimeout ? 'PLUGIN_TIMEOUT' : 'PLUGIN_THREW' });
      } finally {
        clearTimeout(timer);
      }
    }
  };
  return {
    async identify(probe) {
      const candidates: Candidate[] = [];
      const failures: DetectorFailure[] = [];
      await run(primary, probe, candidates, failures);
      if (candidates.length === 0) await run(fallback, probe, candidates, failures);
      return { candidates, failures };
    },
  };
}

class DetectorTimeout extends Error {
  constructor(id: string, ms: number) {
    super(`detector ${id} took longer than ${ms} ms and was abandoned`);
    this.name = 'TimeoutError';
  }
}
