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
    return inWindow(probe.head, undefined, sig.offset, sig.within, sig.bytes);
  }
  // From the end: the tail, or the head when the head holds the whole file.
  const buf = probe.tail.length > 0 ? probe.tail : probe.head;
  const last = buf.length - sig.offset - sig.bytes.length;
  const first = Math.max(0, last - sig.within);
  if (last - first < SHORT_WINDOW) {
    for (let at = last; at >= first; at--) if (matchesAt(buf, at, sig.bytes)) return true;
    return false;
  }
  // A long window (a footer within the last KiBs) is searched natively: compared start by start, 16 KiB cost ~80 µs.
  return asBuffer(buf)
    .subarray(first, last + sig.bytes.length)
    .includes(asBuffer(sig.bytes));
}

/**
 * Windows up to this many start positions are compared in place: a native search costs a fixed
 * ~0.6 µs a call (the view it needs, the call), more than comparing a few dozen starts.
 */
const SHORT_WINDOW = 64;

/** Leading 0x00 bytes of a needle that has other bytes: searched for after them (zeros are common in binary data). */
function leadingZeros(bytes: Uint8Array): number {
  let n = 0;
  while (n < bytes.length - 1 && bytes[n] === 0) n++;
  return n;
}

/**
 * Whether `needle` starts anywhere from `offset` to `offset + within` and ends inside `head`. `view`
 * is `head` as a Buffer when the caller has one (one per probe, shared by its searches).
 */
function inWindow(
  head: Uint8Array,
  view: Buffer | undefined,
  offset: number,
  within: number,
  needle: Uint8Array,
  zeros = leadingZeros(needle),
): boolean {
  const last = Math.min(offset + within, head.length - needle.length);
  if (last < offset) return false;
  if (last - offset < SHORT_WINDOW) {
    for (let at = offset; at <= last; at++) if (matchesAt(head, at, needle)) return true;
    return false;
  }
  const all = view ?? asBuffer(head);
  // The window ends where a needle starting at `last` ends: no search runs past it.
  const end = last + needle.length;
  const hay = end < all.length ? all.subarray(0, end) : all;
  const rest = zeros === 0 ? needle : needle.subarray(zeros);
  for (let at = hay.indexOf(rest, offset + zeros); at >= 0; at = hay.indexOf(rest, at + 1)) {
    let ok = true;
    for (let i = at - zeros; i < at; i++) if (head[i] !== 0) ok = false;
    if (ok) return true;
  }
  return false;
}

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);

export interface DispatchTable {
  /** For each detector (by its index in the list compiled), whether it is to be called on this probe. */
  candidates(probe: Probe): Uint8Array;
}

export function compileDispatch(signatures: ReadonlyArray<readonly Signature[] | undefined>): DispatchTable {
  /** 1 for each detector that declares no signature: always called. */
  const always = new Uint8Array(signatures.length);
  /** offset -> first byte -> signatures anchored there. */
  const anchored = new Map<number, Array<CompiledSignature[] | undefined>>();
  const windows: Array<CompiledSignature & { zeros: number }> = [];
  const fromEnd: CompiledSignature[] = [];
  signatures.forEach((sigs, detector) => {
    if (sigs === undefined) {
      always[detector] = 1;
      return;
    }
    for (const sig of sigs) {
      const c = compileSignature(sig, detector);
      if (c.fromEnd) {
        fromEnd.push(c);
        continue;
      }
      if (c.within > 0) {
        windows.push({ ...c, zeros: leadingZeros(c.bytes) });
        continue;
      }
      let byByte = anchored.get(c.offset);
      if (!byByte) anchored.set(c.offset, (byByte = new Array<CompiledSignature[] | undefined>(256)));
      (byByte[c.bytes[0]!] ??= []).push(c);
    }
  });
  const offsets = [...anchored.entries()];
  return {
    candidates(probe) {
      const out = always.slice();
      const head = probe.head;
      for (const [offset, byByte] of offsets) {
        if (offset >= head.length) continue;
        const list = byByte[head[offset]!];
        if (list)
          for (const c of list) if (out[c.detector] === 0 && matchesAt(head, offset, c.bytes)) out[c.detector] = 1;
      }
      // One Buffer view of the head for all the searches of this probe, made when the first needs it.
      let view: Buffer | undefined;
      for (const c of windows) {
        if (out[c.detector] !== 0) continue;
        if (c.within >= SHORT_WINDOW && view === undefined) view = asBuffer(head);
        if (inWindow(head, view, c.offset, c.within, c.bytes, c.zeros)) out[c.detector] = 1;
      }
      for (const c of fromEnd) if (out[c.detector] === 0 && signatureMatches(c, probe)) out[c.detector] = 1;
      return out;
    },
  };
}
