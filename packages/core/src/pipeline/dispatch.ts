/**
 * The detectors' signatures compiled into one dispatch table: for a probe,
 * which detectors to call. Signatures at a fixed offset from the start (most
 * magic numbers) are looked up by the byte at their offset, so a probe costs
 * one lookup per distinct offset rather than a comparison per signature;
 * search windows and end anchors are checked one by one; a detector that
 * declares no signature is always a candidate.
 */
import type { Probe, Signature } from '../plugin/types.js';

interface CompiledSignature {
  detector: number;
  offset: number;
  bytes: Uint8Array;
  fromEnd: boolean;
  within: number;
}

export function compileSignature(sig: Signature, detector = 0): CompiledSignature {
  const bytes =
    sig.hex !== undefined ? Buffer.from(sig.hex.replace(/\s+/g, ''), 'hex') : Buffer.from(sig.ascii ?? '', 'latin1');
  if (bytes.length === 0) throw new Error('a signature needs hex or ascii bytes');
  return { detector, offset: sig.offset, bytes, fromEnd: sig.fromEnd ?? false, within: sig.within ?? 0 };
}

function matchesAt(hay: Uint8Array, at: number, needle: Uint8Array): boolean {
  if (at < 0 || at + needle.length > hay.length) return false;
  for (let i = 0; i < needle.length; i++) if (hay[at + i] !== needle[i]) return false;
  return true;
}

/** Whether one signature matches the probe (anchored, windowed or from the end). */
export function signatureMatches(sig: CompiledSignature, probe: Probe): boolean {
  if (!sig.fromEnd) {
    if (sig.within === 0) return matchesAt(probe.head, sig.offset, sig.bytes);
    const window = probe.head.subarray(sig.offset, sig.offset + sig.within + sig.bytes.length);
    return Buffer.from(window.buffer, window.byteOffset, window.length).indexOf(sig.bytes) >= 0;
  }
  // From the end: the tail, or the head when the head holds the whole file.
  const buf = probe.tail.length > 0 ? probe.tail : probe.head;
  const last = buf.length - sig.offset - sig.bytes.length;
  for (let at = last; at >= Math.max(0, last - sig.within); at--) if (matchesAt(buf, at, sig.bytes)) return true;
  return false;
}

export interface DispatchTable {
  /** For each detector (by its index in the list compiled), whether it is to be called on this probe. */
  candidates(probe: Probe): Uint8Array;
}

export function compileDispatch(signatures: ReadonlyArray<readonly Signature[] | undefined>): DispatchTable {
  const always: number[] = [];
  /** offset -> first byte -> signatures anchored there. */
  const anchored = new Map<number, Map<number, CompiledSignature[]>>();
  const others: CompiledSignature[] = [];
  signatures.forEach((sigs, detector) => {
    if (sigs === undefined) {
      always.push(detector);
      return;
    }
    for (const sig of sigs) {
      const c = compileSignature(sig, detector);
      if (c.fromEnd || c.within > 0) {
        others.push(c);
        continue;
      }
      let byByte = anchored.get(c.offset);
      if (!byByte) anchored.set(c.offset, (byByte = new Map<number, CompiledSignature[]>()));
      const list = byByte.get(c.bytes[0]!) ?? [];
      list.push(c);
      byByte.set(c.bytes[0]!, list);
    }
  });
  const offsets = [...anchored.entries()];
  return {
    candidates(probe) {
      const out = new Uint8Array(signatures.length);
      for (const d of always) out[d] = 1;
      const head = probe.head;
      for (const [offset, byByte] of offsets) {
        if (offset >= head.length) continue;
        const list = byByte.get(head[offset]!);
        if (list)
          for (const c of list) if (out[c.detector] === 0 && matchesAt(head, offset, c.bytes)) out[c.detector] = 1;
      }
      for (const c of others) if (out[c.detector] === 0 && signatureMatches(c, probe)) out[c.detector] = 1;
      return out;
    },
  };
}
