/**
 * Universal Binary JSON (UBJSON, draft 12): JSON's data model in binary,
 * written by py-ubjson, simdjson tools and game and app caches. Self-describing
 * (any UBJSON reader decodes it), so readable, not opaque. Its top level opens
 * with `{` or `[` like JSON text, so the signature is cheap and the walk
 * decides: every value a known type marker, lengths and counts (`#`, with a
 * `$` type) non-negative and within the file, strings UTF-8, object keys
 * length-prefixed UTF-8; see binary-values.ts for the evidence rule. JSON text
 * fails at once (a key opens with a quote, not a length marker).
 * Reference: ubjson.org, "Type reference" and "Optimized format" (draft 12).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import {
  CUT,
  INVALID,
  MAX_DEPTH,
  Tally,
  decodedVerdict,
  enoughStructure,
  isUtf8,
  walkSequence,
} from './binary-values.js';

const OBJECT = 0x7b; // {
const ARRAY = 0x5b; // [
const OBJECT_END = 0x7d;
const ARRAY_END = 0x5d;
const TYPE = 0x24; // $
const COUNT = 0x23; // #
/** Payload bytes of the fixed-size markers: Z N T F (none), i U C (1), I (2), l d (4), L D (8). */
const FIXED: Record<number, number> = {
  0x5a: 0,
  0x4e: 0,
  0x54: 0,
  0x46: 0,
  0x69: 1,
  0x55: 1,
  0x43: 1,
  0x49: 2,
  0x6c: 4,
  0x64: 4,
  0x4c: 8,
  0x44: 8,
};
/** Integer markers a length or count may use, with their widths. */
const INT_WIDTH: Record<number, number> = { 0x69: 1, 0x55: 1, 0x49: 2, 0x6c: 4, 0x4c: 8 };

function opensContainer(b: Uint8Array, at: number): boolean {
  return b[at] === OBJECT || b[at] === ARRAY;
}

function decoder(b: Uint8Array, fileSize: number, t: Tally) {
  const need = (end: number) => (end > fileSize ? INVALID : end > b.length ? CUT : undefined);
  /** A length or count: an integer marker and its big-endian value, [value, offset after], INVALID or CUT. */
  const length = (at: number): [number, number] | number => {
    const cut = need(at + 1);
    if (cut !== undefined) return cut;
    const w = INT_WIDTH[b[at]!];
    if (w === undefined) return INVALID;
    const more = need(at + 1 + w);
    if (more !== undefined) return more;
    // int8, int16, int32 and int64 are signed: a negative length is not one.
    if (b[at] !== 0x55 && b[at + 1]! >= 0x80) return INVALID;
    let v = 0;
    for (let i = 0; i < w; i++) v = v * 256 + b[at + 1 + i]!;
    return [v, at + 1 + w];
  };
  /** A length-prefixed UTF-8 string from `at` (its length marker): the offset after it. */
  const string = (at: number, key: boolean): number => {
    const len = length(at);
    if (typeof len === 'number') return len;
    const end = len[1] + len[0];
    const cut = need(end);
    if (cut !== undefined) return cut;
    if (key ? !t.key(b, len[1], end) : !isUtf8(b, len[1], end)) return INVALID;
    return end;
  };
  /** A value of type `marker` whose payload starts at `at`. */
  const payload = (marker: number, at: number, depth: number): number => {
    t.values++;
    const fixed = FIXED[marker];
    if (fixed !== undefined) return need(at + fixed) ?? at + fixed;
    if (marker === 0x53) return string(at, false); // S
    if (marker === 0x48) return string(at, false); // H: a high-precision number as a string
    if (marker === OBJECT || marker === ARRAY) return container(marker, at, depth + 1);
    return INVALID;
  };
  const value = (at: number, depth: number): number => {
    const cut = need(at + 1);
    if (cut !== undefined) return cut;
    return payload(b[at]!, at + 1, depth);
  };
  /** A container's body from `at` (after `{` or `[`). */
  const container = (open: number, at: number, depth: number): number => {
    if (depth > MAX_DEPTH) return INVALID;
    const isObject = open === OBJECT;
    if (isObject) t.maps++;
    else t.arrays++;
    let pos = at;
    let type: number | undefined;
    let count: number | undefined;
    if (pos < b.length && b[pos] === TYPE) {
      if (pos + 1 >= b.length) return need(pos + 2)!;
      type = b[pos + 1]!;
      if (type === 0x4e || (FIXED[type] === undefined && type !== 0x53 && type !== 0x48 && !opensContainer(b, pos + 1)))
        return INVALID;
      pos += 2;
      if (pos >= b.length) return need(pos + 1)!;
      if (b[pos] !== COUNT) return INVALID; // a type needs a count
    }
    if (pos < b.length && b[pos] === COUNT) {
      const n = length(pos + 1);
      if (typeof n === 'number') return n;
      [count, pos] = n;
      // Every entry takes at least a byte (two for a key and a value), or its type's size.
      const size = type === undefined ? 1 : (FIXED[type] ?? 1);
      if (pos + count * (isObject ? 2 + size : size) > fileSize) return INVALID;
      if (!isObject && type !== undefined && FIXED[type] !== undefined) {
        // A typed array of fixed-size values (bytes, numbers; zero-size null/true/false): skipped whole.
        t.values += count;
        return need(pos + count * size) ?? pos + count * size;
      }
    }
    for (let i = 0; count === undefined || i < count; i++) {
      if (count === undefined) {
        const cut = need(pos + 1);
        if (cut !== undefined) return cut;
        if (b[pos] === (isObject ? OBJECT_END : ARRAY_END)) return pos + 1;
      }
      if (isObject) {
        pos = string(pos, true);
        if (pos < 0) return pos;
      }
      if (type !== undefined) pos = payload(type, pos, depth);
      else {
        // No-op markers may pad a container that has no count.
        while (count === undefined && pos < b.length && b[pos] === 0x4e) pos++;
        pos = value(pos, depth);
      }
      if (pos < 0) return pos;
    }
    return pos;
  };
  return (at: number, depth: number): number => {
    const cut = need(at + 1);
    return cut ?? container(b[at]!, at + 1, depth);
  };
}

export const ubjsonDetector = defineDetector({
  meta: {
    id: 'ubjson',
    version: '1.0.0',
    title: 'Universal Binary JSON (verified by decoding)',
    formats: [
      { id: 'ubjson', name: 'UBJSON data', status: 'analysable', how: 'structure', extensions: ['ubj', 'ubjson'] },
    ],
  },
  signatures: [
    { offset: 0, hex: '7b' },
    { offset: 0, hex: '5b' },
  ],
  minSize: 8,
  priority: 60,
  detect(probe): Detection | undefined {
    // JSON text opens a key or value with a quote, a digit or whitespace, never with a length or type marker.
    const second = probe.head[1] ?? 0;
    if (
      INT_WIDTH[second] === undefined &&
      FIXED[second] === undefined &&
      ![0x53, 0x48, 0x24, 0x23, 0x7b, 0x5b, 0x7d, 0x5d].includes(second)
    )
      return undefined;
    const t = new Tally();
    const walk = walkSequence(probe, opensContainer, decoder(probe.head, probe.size, t));
    if (!walk || !enoughStructure(t, walk)) return undefined;
    const top = probe.head[0] === OBJECT ? 'object' : 'array';
    return decodedVerdict(probe, { id: 'ubjson', name: 'UBJSON data', code: 'UBJSON_DECODED', top }, t, walk);
  },
});
