/**
 * What the self-describing binary encodings (MessagePack, CBOR, BSON) share:
 * a decode that walks the grammar over the probe's bytes and tallies what it
 * found, and the rule for when that walk is evidence. These formats have no
 * magic, so a walk is the only proof: every value must be well formed, every
 * length must fit the file, text must be UTF-8, map keys must be strings (or
 * integers), and the top level must be containers holding real structure
 * (several distinct string keys). When the probe holds the whole file the
 * decode must end exactly at its last byte.
 *
 * The detectors are not fallbacks: a map whose bytes are all printable in a
 * legacy code page (MessagePack's 0x80-0xDF type bytes are letters there)
 * would otherwise be taken by the primary `text` detector's legacy-code-page
 * guess, and a verified decode is structure, which outranks that guess. They
 * stay cheap on every other file: the first byte (MessagePack, CBOR) or the
 * first four (BSON's length, which must fit the file) reject most files
 * before any walk, and a walk stops at the first violation.
 */
import type { Detection, Probe } from '@evtriage/core/contract';
import { plain } from './util.js';

/** A grammar violation: not this encoding. */
export const INVALID = -1;
/** The value runs past the bytes the probe holds (a large file's head is cut there). */
export const CUT = -2;
/** Deeper nesting than any app writes; a walk past it is rejected, which also bounds recursion. */
export const MAX_DEPTH = 64;
/** Top-level values a sequence (a MessagePack stream, a mongodump file, a CBOR sequence) may hold in the head. */
const MAX_TOP_LEVEL = 4096;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Counts made while walking, for the evidence rule and the reason. */
export class Tally {
  values = 0;
  maps = 0;
  arrays = 0;
  stringKeys = 0;
  readonly distinct = new Set<string>();

  /** A UTF-8 map key: counted, and remembered (up to 256) for the distinct count. */
  key(bytes: Uint8Array, start: number, end: number): boolean {
    if (this.distinct.size >= 256) {
      if (!isUtf8(bytes, start, end)) return false;
    } else {
      const text = utf8At(bytes, start, end);
      if (text === undefined) return false;
      this.distinct.add(text);
    }
    this.stringKeys++;
    return true;
  }
}

/** The bytes as UTF-8 text, or undefined when they are not valid UTF-8. */
export function utf8At(bytes: Uint8Array, start: number, end: number): string | undefined {
  // Short ASCII (most keys) without the decoder's per-call cost.
  if (end - start <= 32) {
    let text = '';
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 0x80) return decodeUtf8(bytes, start, end);
      text += String.fromCharCode(c);
    }
    return text;
  }
  return decodeUtf8(bytes, start, end);
}

function decodeUtf8(bytes: Uint8Array, start: number, end: number): string | undefined {
  try {
    return UTF8.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}

/** Whether the bytes are UTF-8; an ASCII run is checked here, so most strings never reach the decoder. */
export function isUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && bytes[i]! < 0x80) i++;
  return i === end || utf8At(bytes, i, end) !== undefined;
}

/** An unsigned big-endian integer of 1, 2, 4 or 8 bytes (8-byte values above 2^53 lose precision, harmless for length checks). */
export function uintBE(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + b[at + i]!;
  return v;
}

/** One value's decoder: from `at`, the offset after the value, INVALID or CUT. */
export type DecodeValue = (at: number, depth: number) => number;

export interface SequenceWalk {
  /** Top-level values decoded whole. */
  items: number;
  /** Where decoding stopped: the file's end, or the head's end where it cut a value. */
  end: number;
  cut: boolean;
}

/**
 * Top-level values one after another from offset 0, each a container (`isContainer` on its first byte).
 * With the whole file in the head the last must end at its last byte; otherwise the head may cut one.
 */
export function walkSequence(
  probe: Probe,
  isContainer: (b: Uint8Array, at: number) => boolean,
  decode: DecodeValue,
): SequenceWalk | undefined {
  const b = probe.head;
  const whole = probe.complete && b.length === probe.size;
  let at = 0;
  let items = 0;
  while (at < b.length) {
    if (items >= MAX_TOP_LEVEL || !isContainer(b, at)) return undefined;
    const next = decode(at, 0);
    if (next === INVALID) return undefined;
    // A value the head cuts was valid up to the head's last byte.
    if (next === CUT) return whole ? undefined : { items, end: b.length, cut: true };
    items++;
    at = next;
  }
  // A large file's head that ends between two values is still only its head.
  return items > 0 ? { items, end: at, cut: !whole } : undefined;
}

/** Evidence enough: distinct UTF-8 keys, and on a cut head a good run of decoded bytes. */
export function enoughStructure(t: Tally, walk: SequenceWalk): boolean {
  if (t.distinct.size < 2) return false;
  if (walk.cut) return t.stringKeys >= 4 && walk.end >= 64;
  return true;
}

export interface Verdict {
  id: string;
  name: string;
  code: string;
  /** What the first top-level value is ("map", "array", "document"). */
  top: string;
}

/** The analysable verdict with what the decode found. */
export function decodedVerdict(probe: Probe, v: Verdict, t: Tally, walk: SequenceWalk): Detection {
  const top = `${/^[aeiou]/.test(v.top) ? 'an' : 'a'} ${v.top}`;
  // On a cut head, the value being decoded when the head ended is one more.
  const seen = walk.items + (walk.cut ? 1 : 0);
  const what =
    seen > 1
      ? `a sequence of ${seen}${walk.cut ? ' or more' : ''} top-level values, the first ${top}`
      : `${top} at the top level`;
  const where = walk.cut
    ? `The first ${walk.end} bytes of the probe decode`
    : `The whole file (${walk.end} bytes) decodes to its last byte`;
  return plain('analysable', {
    id: v.id,
    name: v.name,
    confidence: walk.cut ? 0.75 : 0.85,
    code: v.code,
    message: `${where} as ${v.name}: ${what}, ${t.values} values, ${t.maps + t.arrays} containers, ${t.stringKeys} UTF-8 string keys (${t.distinct.size}${t.distinct.size >= 256 ? '+' : ''} distinct). A self-describing encoding a general reader decodes without a schema: readable.`,
    figures: {
      top: v.top,
      topLevelValues: walk.items,
      values: t.values,
      stringKeys: t.stringKeys,
      distinctKeys: t.distinct.size,
      bytesDecoded: walk.end,
      whole: !walk.cut,
    },
    details: { top: v.top, values: t.values, distinctKeys: t.distinct.size, bytesDecoded: walk.end },
  });
}
