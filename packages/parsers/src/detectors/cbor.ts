/**
 * CBOR (RFC 8949), with or without the self-describe tag 55799 (libmagic
 * knows only the tagged form): WebAuthn attestation objects, wallet key stores, app
 * caches. Self-describing (any CBOR reader decodes it), so readable, not
 * opaque. No magic number: the format is proved by decoding
 * (binary-values.ts says why this runs on every file). The top level must be a map or an array (tags before it are
 * allowed); every data item must be well formed: no reserved additional
 * information (28-30), no break outside an indefinite-length item, chunks
 * of indefinite strings of their string's type, text strings UTF-8, no
 * unassigned simple values, lengths that fit the file, map keys text or
 * integers; see binary-values.ts for the evidence rule. A CBOR sequence
 * (RFC 8742) of top-level maps or arrays counts.
 * Reference: RFC 8949 §3 (major types, additional information), RFC 8742.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import {
  CUT,
  INVALID,
  MAX_DEPTH,
  Tally,
  decodedVerdict,
  enoughStructure,
  uintBE,
  isUtf8,
  walkSequence,
} from './binary-values.js';

const BREAK = 0xff;
const INDEFINITE = 31;
/** Tags allowed before the top-level container (self-describe 55799 and app tags alike); bounded. */
const MAX_TAGS = 4;

/** A map or array, possibly behind tags (each 0xc0-0xdb). */
function opensContainer(b: Uint8Array, at: number): boolean {
  for (let i = 0; i <= MAX_TAGS; i++) {
    const c = b[at];
    if (c === undefined) return false;
    const major = c >> 5;
    if (major === 4 || major === 5) return (c & 31) < 28 || (c & 31) === INDEFINITE;
    if (major !== 6 || (c & 31) >= 28) return false;
    const ai = c & 31;
    at += 1 + (ai < 24 ? 0 : 1 << (ai - 24));
  }
  return false;
}

/** The major type of the first container, after any tags. */
function firstContainerMajor(b: Uint8Array): number {
  let at = 0;
  for (let i = 0; i < MAX_TAGS && b[at]! >> 5 === 6; i++) {
    const ai = b[at]! & 31;
    at += 1 + (ai < 24 ? 0 : 1 << (ai - 24));
  }
  return b[at]! >> 5;
}

function decoder(b: Uint8Array, fileSize: number, t: Tally) {
  /** The head's argument: [value, offset after it], INVALID or CUT. `ai` 31 gives value -1 (indefinite). */
  const argument = (at: number): [number, number] | number => {
    const ai = b[at]! & 31;
    if (ai < 24) return [ai, at + 1];
    if (ai === INDEFINITE) return [-1, at + 1];
    if (ai >= 28) return INVALID;
    const w = 1 << (ai - 24);
    if (at + 1 + w > b.length) return at + 1 + w > fileSize ? INVALID : CUT;
    return [uintBE(b, at + 1, w), at + 1 + w];
  };
  /** A byte or text string of `major` (2 or 3), definite or in definite chunks. */
  const string = (at: number, major: number, key: boolean): number => {
    const arg = argument(at);
    if (typeof arg === 'number') return arg;
    const [len, start] = arg;
    if (len === -1) {
      let pos = start;
      for (;;) {
        if (pos >= b.length) return pos >= fileSize ? INVALID : CUT;
        if (b[pos] === BREAK) return pos + 1;
        if (b[pos]! >> 5 !== major || (b[pos]! & 31) === INDEFINITE) return INVALID;
        pos = string(pos, major, false);
        if (pos < 0) return pos;
      }
    }
    const end = start + len;
    if (end > fileSize) return INVALID;
    if (end > b.length) return CUT;
    if (major === 3 && (key ? !t.key(b, start, end) : !isUtf8(b, start, end))) return INVALID;
    return end;
  };
  const value = (at: number, depth: number): number => {
    if (at >= b.length) return at >= fileSize ? INVALID : CUT;
    if (depth > MAX_DEPTH) return INVALID;
    t.values++;
    const c = b[at]!;
    const major = c >> 5;
    if (major === 2 || major === 3) return string(at, major, false);
    const arg = argument(at);
    if (typeof arg === 'number') return arg;
    const [n, next] = arg;
    switch (major) {
      case 0:
      case 1:
        return n === -1 ? INVALID : next;
      case 6:
        return n === -1 ? INVALID : value(next, depth + 1);
      case 7: {
        const ai = c & 31;
        // false, true, null, undefined, half/single/double floats; a one-byte simple value must be 32 or more.
        if (ai >= 20 && ai <= 23) return next;
        if (ai === 24) return n >= 32 ? next : INVALID;
        if (ai >= 25 && ai <= 27) return next;
        return INVALID; // unassigned simple values, and a break outside an indefinite item
      }
    }
    const isMap = major === 5;
    if (isMap) t.maps++;
    else t.arrays++;
    // Every entry takes at least one byte (two for a map's pair): a count the file cannot hold is not CBOR.
    if (n !== -1 && next + n * (isMap ? 2 : 1) > fileSize) return INVALID;
    let pos = next;
    for (let i = 0; n === -1 || i < n; i++) {
      if (n === -1) {
        if (pos >= b.length) return pos >= fileSize ? INVALID : CUT;
        if (b[pos] === BREAK) return pos + 1;
      }
      if (isMap) {
        if (pos >= b.length) return CUT;
        const km = b[pos]! >> 5;
        if (km === 3) pos = string(pos, 3, true);
        else if (km === 0 || km === 1)
          pos = value(pos, depth + 1); // an integer key (COSE keys, CTAP maps)
        else return INVALID; // apps key maps by text or integers; anything else is not an app's map
        if (pos < 0) return pos;
      }
      pos = value(pos, depth + 1);
      if (pos < 0) return pos;
    }
    return pos;
  };
  return value;
}

export const cborDetector = defineDetector({
  meta: {
    id: 'cbor',
    version: '1.0.0',
    title: 'CBOR data (verified by decoding)',
    formats: [
      {
        id: 'cbor',
        name: 'CBOR data',
        status: 'analysable',
        how: 'structure',
        extensions: ['cbor', 'cbr'],
      },
    ],
  },
  minSize: 8,
  priority: 60,
  detect(probe): Detection | undefined {
    if (!opensContainer(probe.head, 0)) return undefined;
    const t = new Tally();
    const walk = walkSequence(probe, opensContainer, decoder(probe.head, probe.size, t));
    if (!walk || !enoughStructure(t, walk)) return undefined;
    const top = firstContainerMajor(probe.head) === 5 ? 'map' : 'array';
    return decodedVerdict(probe, { id: 'cbor', name: 'CBOR data', code: 'CBOR_DECODED', top }, t, walk);
  },
});
