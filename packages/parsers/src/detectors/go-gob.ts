/**
 * Go gob streams (encoding/gob): what Go programs write to cache, persist and
 * exchange state, and what Go libraries keep test vectors in. Self-describing
 * (the stream carries every type's definition, so a decoder reads it without
 * the program's source), so readable, not opaque. No magic number: the format
 * is proved by walking the stream.
 *
 * A stream is messages, each a byte count then a type id (both gob integers).
 * A negative id defines that type: its body is a wireType whose first field
 * (ArrayT…TextMarshalerT, delta 1-7) opens with the CommonType, whose Id field
 * repeats the id being defined. A positive id is a value of a type defined
 * earlier in the stream (or a built-in one, below 65). The rule: the first
 * message defines a user type (ids from 65) and names its own id; every
 * message's count fits the file and the next message starts where it ends;
 * values name defined types; and the walk ends at the file's last byte, or
 * (for a large file) leaves the head inside a message the file can hold.
 * Reference: Go's encoding/gob package documentation ("Encoding details") and
 * type.go (firstUserId = 64, so the first user type id is 65).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

/** Ids below this are gob's built-in types, which a stream never defines. */
const FIRST_USER_ID = 65;
/** Messages walked in the head: enough for any header of definitions. */
const MAX_MESSAGES = 4096;
/** A type id beyond this is not one a process registers. */
const MAX_TYPE_ID = 1 << 24;

/** A gob unsigned integer at `at`: its value and the offset after it, or undefined. */
function gobUint(b: Uint8Array, at: number): { value: number; next: number } | undefined {
  if (at >= b.length) return undefined;
  const first = b[at]!;
  if (first < 0x80) return { value: first, next: at + 1 };
  // A byte count, negated: 0xff is one byte, 0xf8 eight. Above 2^48 is no length or id a file holds.
  const n = 256 - first;
  if (n > 6 || at + 1 + n > b.length) return undefined;
  let value = 0;
  for (let i = 1; i <= n; i++) value = value * 256 + b[at + i]!;
  // Gob writes the shortest form; a longer one is not the encoder's.
  if (value < 0x80 || (n > 1 && b[at + 1] === 0)) return undefined;
  return { value, next: at + 1 + n };
}

/** A gob signed integer: the low bit of the unsigned form is the sign (complemented). */
function gobInt(b: Uint8Array, at: number): { value: number; next: number } | undefined {
  const u = gobUint(b, at);
  if (!u) return undefined;
  const half = Math.floor(u.value / 2);
  return { value: u.value % 2 === 1 ? -half - 1 : half, next: u.next };
}

/** Whether the name bytes are printable ASCII (Go type names, map[string]int and the like). */
function printableName(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i]! < 0x20 || b[i]! > 0x7e) return false;
  return true;
}

/**
 * The CommonType at the start of a definition body defining `id`: its name ('' when absent) when its Id
 * field repeats `id`, else undefined.
 */
function definedName(b: Uint8Array, body: number, end: number, id: number): string | undefined {
  const kind = b[body];
  if (kind === undefined || kind < 1 || kind > 7 || b[body + 1] !== 1) return undefined;
  let at = body + 2;
  let name = '';
  if (b[at] === 1) {
    const len = gobUint(b, at + 1);
    if (!len || len.value > 1024 || len.next + len.value > end) return undefined;
    if (!printableName(b, len.next, len.next + len.value)) return undefined;
    name = String.fromCharCode(...b.subarray(len.next, len.next + len.value));
    at = len.next + len.value;
    if (b[at] !== 1) return undefined;
  } else if (b[at] !== 2) return undefined;
  const own = gobInt(b, at + 1);
  return own && own.next <= end && own.value === id ? name : undefined;
}

interface GobWalk {
  messages: number;
  definitions: number;
  values: number;
  names: string[];
  /** The walk reached the file's last byte (else it left the head inside a message the file holds). */
  whole: boolean;
}

function walkGob(b: Uint8Array, size: number): GobWalk | undefined {
  const defined = new Set<number>();
  const names: string[] = [];
  let values = 0;
  let messages = 0;
  const result = (whole: boolean): GobWalk => ({ messages, definitions: defined.size, values, names, whole });
  /** A message the head cuts: evidence stops there, which is no proof against the stream. */
  const cut = (at: number): GobWalk | undefined =>
    messages > 0 && b.length < size && at + 16 > b.length ? result(false) : undefined;
  let at = 0;
  while (messages < MAX_MESSAGES) {
    if (at === size) return result(true);
    const count = gobUint(b, at);
    if (!count) return cut(at);
    const end = count.next + count.value;
    if (count.value < 2 || end > size) return undefined;
    const id = gobInt(b, count.next);
    if (!id) return cut(count.next);
    if (id.next >= end) return undefined;
    if (id.value < 0) {
      const own = -id.value;
      if (own < FIRST_USER_ID || own > MAX_TYPE_ID || defined.has(own)) return undefined;
      // A definition the head cuts after earlier messages: the walk ends there.
      if (end > b.length) return messages > 0 ? result(false) : undefined;
      const name = definedName(b, id.next, end, own);
      if (name === undefined) return undefined;
      defined.add(own);
      if (name && names.length < 8) names.push(name);
    } else {
      if (messages === 0 || id.value === 0 || (id.value >= FIRST_USER_ID && !defined.has(id.value))) return undefined;
      values++;
    }
    messages++;
    if (end > b.length) return result(false);
    at = end;
  }
  return result(false);
}

export const goGobDetector = defineDetector({
  meta: {
    id: 'go-gob',
    version: '1.0.0',
    title: 'Go gob streams (verified by walking their messages)',
    formats: [
      {
        id: 'go-gob',
        name: 'Go gob stream',
        status: 'analysable',
        how: 'structure',
        extensions: ['gob', 'bin', 'dat', 'cache', 'db'],
      },
    ],
  },
  minSize: 6,
  priority: 60,
  detect(probe): Detection | undefined {
    const h = probe.head;
    // Cheap gate: a count, then a negative id at or below -65 (0xff 0x81… or two bytes and more).
    if (h[0] === undefined || h[0] < 4 || (h[0] >= 0x80 && h[0] < 0xfa)) return undefined;
    const walk = walkGob(h, probe.size);
    // A definition alone is a stream's header; a value of a defined type (or the file's exact end) completes it.
    if (!walk || walk.definitions === 0 || (walk.values === 0 && !walk.whole)) return undefined;
    const named = walk.names.length ? ` (${walk.names.join(', ')})` : '';
    return plain('analysable', {
      id: 'go-gob',
      name: 'Go gob stream',
      confidence: walk.whole && walk.values > 0 ? 0.95 : 0.9,
      code: 'GO_GOB_STREAM',
      message:
        `Go gob stream: ${walk.definitions} type definition(s)${named} that name their own ids, ` +
        `${walk.values} value message(s) of defined types, ` +
        (walk.whole
          ? 'message counts ending exactly at the file end'
          : 'message counts chained through the head into a message the file holds') +
        '; self-describing, readable by a gob decoder.',
      figures: {
        messages: walk.messages,
        typeDefinitions: walk.definitions,
        values: walk.values,
        wholeFile: walk.whole,
      },
    });
  },
});
