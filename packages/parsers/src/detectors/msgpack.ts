/**
 * MessagePack without a schema: app caches, Flutter and React Native state,
 * fluentd buffers and RPC logs. Self-describing (any msgpack reader decodes
 * it to typed values), so readable, not opaque. No magic number: the format
 * is proved by decoding (binary-values.ts says why this runs on every file).
 * The first byte must open a map or an array; every
 * value must be well formed, lengths must fit the file, str values must be
 * UTF-8, map keys strings or integers, 0xC1 (never used) rejects; see
 * binary-values.ts for the evidence rule. A stream of top-level maps or
 * arrays (as fluentd and msgpack's Unpacker write) counts.
 * Reference: the MessagePack specification (github.com/msgpack/msgpack/blob/master/spec.md).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import {
  CUT,
  INVALID,
  MAX_DEPTH,
  Tally,
  type SequenceWalk,
  decodedVerdict,
  enoughStructure,
  uintBE,
  isUtf8,
  walkSequence,
} from './binary-values.js';

/** fixmap, fixarray, array16/32, map16/32. */
function opensContainer(b: Uint8Array, at: number): boolean {
  const c = b[at]!;
  return (c >= 0x80 && c <= 0x9f) || (c >= 0xdc && c <= 0xdf);
}

/** Bytes of a fixed-size value after its type byte (nil, bool, numbers, fixext), or undefined. */
function fixedSize(c: number): number | undefined {
  if (c <= 0x7f || c >= 0xe0 || c === 0xc0 || c === 0xc2 || c === 0xc3) return 0;
  if (c >= 0xcc && c <= 0xd3) return [1, 2, 4, 8][(c - 0xcc) & 3];
  if (c === 0xca) return 4;
  if (c === 0xcb) return 8;
  if (c >= 0xd4 && c <= 0xd8) return 1 + [1, 2, 4, 8, 16][c - 0xd4]!; // fixext: type byte + data
  return undefined;
}

/** Width of the length field of str8/16/32 (0xd9-0xdb), bin8/16/32 (0xc4-0xc6), ext8/16/32 (0xc7-0xc9). */
function lengthWidth(c: number): number | undefined {
  if (c >= 0xd9 && c <= 0xdb) return 1 << (c - 0xd9);
  if (c >= 0xc4 && c <= 0xc6) return 1 << (c - 0xc4);
  if (c >= 0xc7 && c <= 0xc9) return 1 << (c - 0xc7);
  return undefined;
}

function decoder(b: Uint8Array, fileSize: number, t: Tally) {
  /** A str value's [start, end) from its type byte at `at`, INVALID or CUT. */
  const strSpan = (at: number): [number, number] | number => {
    const c = b[at]!;
    let start: number;
    let len: number;
    if (c >= 0xa0 && c <= 0xbf) {
      start = at + 1;
      len = c & 0x1f;
    } else if (c >= 0xd9 && c <= 0xdb) {
      const w = 1 << (c - 0xd9);
      if (at + 1 + w > b.length) return CUT;
      start = at + 1 + w;
      len = uintBE(b, at + 1, w);
    } else return INVALID;
    if (start + len > fileSize) return INVALID;
    if (start + len > b.length) return CUT;
    return [start, start + len];
  };
  const value = (at: number, depth: number): number => {
    if (at >= b.length) return at >= fileSize ? INVALID : CUT;
    if (depth > MAX_DEPTH) return INVALID;
    t.values++;
    const c = b[at]!;
    const fixed = fixedSize(c);
    if (fixed !== undefined) {
      const end = at + 1 + fixed;
      return end > fileSize ? INVALID : end > b.length ? CUT : end;
    }
    if ((c >= 0xa0 && c <= 0xbf) || (c >= 0xd9 && c <= 0xdb)) {
      const span = strSpan(at);
      if (typeof span === 'number') return span;
      return isUtf8(b, span[0], span[1]) ? span[1] : INVALID;
    }
    const width = lengthWidth(c);
    if (width !== undefined) {
      // bin and ext: raw bytes (ext has a type byte after the length).
      const head = at + 1 + width + (c >= 0xc7 ? 1 : 0);
      if (head > b.length) return CUT;
      const end = head + uintBE(b, at + 1, width);
      return end > fileSize ? INVALID : end > b.length ? CUT : end;
    }
    let count: number;
    let pos: number;
    if (c >= 0x80 && c <= 0x9f) {
      count = c & 0x0f;
      pos = at + 1;
    } else if (c >= 0xdc && c <= 0xdf) {
      const w = c & 1 ? 4 : 2;
      if (at + 1 + w > b.length) return CUT;
      count = uintBE(b, at + 1, w);
      pos = at + 1 + w;
    } else return INVALID; // 0xc1, never used
    const isMap = c <= 0x8f || c >= 0xde;
    // Every entry takes at least one byte (two for a map's pair): a count the file cannot hold is not msgpack.
    if (pos + count * (isMap ? 2 : 1) > fileSize) return INVALID;
    if (isMap) t.maps++;
    else t.arrays++;
    for (let i = 0; i < count; i++) {
      if (isMap) {
        if (pos >= b.length) return CUT;
        const k = b[pos]!;
        if ((k >= 0xa0 && k <= 0xbf) || (k >= 0xd9 && k <= 0xdb)) {
          const span = strSpan(pos);
          if (typeof span === 'number') return span;
          if (!t.key(b, span[0], span[1])) return INVALID;
          pos = span[1];
        } else if (k <= 0x7f || k >= 0xe0 || (k >= 0xcc && k <= 0xd3)) {
          pos = value(pos, depth + 1); // an integer key
          if (pos < 0) return pos;
        } else return INVALID; // apps key maps by strings or integers; anything else is not an app's map
      }
      pos = value(pos, depth + 1);
      if (pos < 0) return pos;
    }
    return pos;
  };
  return value;
}

/** The probe's bytes decoded as a sequence of MessagePack maps or arrays with enough structure, or undefined. */
export function decodeMsgpack(probe: Probe): { t: Tally; walk: SequenceWalk } | undefined {
  if (!opensContainer(probe.head, 0)) return undefined;
  const t = new Tally();
  const walk = walkSequence(probe, opensContainer, decoder(probe.head, probe.size, t));
  return walk && enoughStructure(t, walk) ? { t, walk } : undefined;
}

export const msgpackDetector = defineDetector({
  meta: {
    id: 'msgpack',
    version: '1.0.0',
    title: 'MessagePack data (verified by decoding)',
    formats: [
      {
        id: 'msgpack',
        name: 'MessagePack data',
        status: 'analysable',
        how: 'structure',
        extensions: ['msgpack', 'mpk', 'mp', 'msgpk'],
      },
    ],
  },
  minSize: 8,
  priority: 60,
  detect(probe): Detection | undefined {
    const decoded = decodeMsgpack(probe);
    if (!decoded) return undefined;
    const { t, walk } = decoded;
    const first = probe.head[0]!;
    const top = first <= 0x8f || first >= 0xde ? 'map' : 'array';
    return decodedVerdict(probe, { id: 'msgpack', name: 'MessagePack data', code: 'MSGPACK_DECODED', top }, t, walk);
  },
});
