/**
 * Identify stage: run every detector whose declared signatures and size
 * limits match the probe (signatures first, code second), then fallback
 * detectors if nothing matched. Returns all candidates, tagged with who said it.
 */
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

export interface Identifier {
  identify(probe: Probe): Promise<{ candidates: Candidate[]; failures: Array<{ detector: string; error: unknown }> }>;
}

export function createIdentifier(detectors: readonly DetectorPlugin[], limits: ScanLimitsView): Identifier {
  const compiled = detectors.map((d) => ({ d, sigs: d.signatures?.map(compile) }));
  const primary = compiled.filter((c) => !c.d.fallback);
  const fallback = compiled.filter((c) => c.d.fallback);
  const ctx = { limits };
  const run = async (list: typeof compiled, probe: Probe, out: Candidate[], failures: Array<{ detector: string; error: unknown }>) => {
    for (const { d, sigs } of list) {
      if (d.minSize !== undefined && probe.size < d.minSize) continue;
      if (d.maxSize !== undefined && probe.size > d.maxSize) continue;
      if (sigs && !sigs.some((s) => signatureMatches(s, probe))) continue;
      try {
        let result = d.detect(probe, ctx);
        if (result && typeof (result as Promise<unknown>).then === 'function') result = await result;
        if (!result) continue;
        const list = Array.isArray(result) ? (result as Detection[]) : [result as Detection];
        for (const det of list) out.push({ ...det, detector: d });
      } catch (error) {
        failures.push({ detector: d.meta.id, error });
      }
    }
  };
  return {
    async identify(probe) {
      const candidates: Candidate[] = [];
      const failures: Array<{ detector: string; error: unknown }> = [];
      await run(primary, probe, candidates, failures);
      if (candidates.length === 0) await run(fallback, probe, candidates, failures);
      return { candidates, failures };
    },
  };
}
