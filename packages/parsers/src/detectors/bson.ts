/**
 * BSON documents (MongoDB's encoding; mongodump's .bson files are documents
 * one after another, and apps and Realm/Couchbase tools write single ones).
 * Self-describing (bsondump and any BSON library read it), so readable, not
 * opaque. No magic number: the format is proved by decoding
 * (binary-values.ts says why this runs on every file). A document is its int32 length, elements (type byte, NUL-ended
 * UTF-8 name, value) and a final NUL; the walk requires every length to end
 * exactly where its document's elements do, known element types, booleans 0
 * or 1, strings UTF-8 with their NUL, array element names "0", "1", … in
 * order; the documents must fill the file exactly. See binary-values.ts for
 * the evidence rule (array indexes are not keys).
 * Reference: the BSON specification 1.1 (bsonspec.org/spec.html).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import {
  CUT,
  INVALID,
  MAX_DEPTH,
  type SequenceWalk,
  Tally,
  decodedVerdict,
  enoughStructure,
  isUtf8,
  walkSequence,
} from './binary-values.js';

/** Bytes of each fixed-size element value by type. */
const FIXED: Record<number, number> = {
  0x01: 8, // double
  0x06: 0, // undefined (deprecated)
  0x07: 12, // ObjectId
  0x09: 8, // UTC datetime
  0x0a: 0, // null
  0x10: 4, // int32
  0x11: 8, // timestamp
  0x12: 8, // int64
  0x13: 16, // decimal128
  0xff: 0, // min key
  0x7f: 0, // max key
};
/** Element types whose value is an int32-length string with a final NUL: string, JavaScript code, symbol. */
const STRINGS = new Set([0x02, 0x0d, 0x0e]);

function i32(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
}

/** Whether the name between `start` and `end` is the decimal `index`, as BSON arrays name their elements. */
function isIndexName(b: Uint8Array, start: number, end: number, index: number): boolean {
  const digits = String(index);
  if (end - start !== digits.length) return false;
  for (let i = 0; i < digits.length; i++) if (b[start + i] !== digits.charCodeAt(i)) return false;
  return true;
}

function decoder(b: Uint8Array, fileSize: number, t: Tally) {
  /** A NUL-ended name from `at`: the offset after the NUL, INVALID or CUT. */
  const cstring = (at: number): number => {
    const nul = b.indexOf(0, at);
    if (nul < 0) return b.length >= fileSize ? INVALID : CUT;
    return isUtf8(b, at, nul) ? nul + 1 : INVALID;
  };
  /** An int32-length string (the length counts the final NUL). */
  const lengthString = (at: number): number => {
    if (at + 4 > b.length) return at + 4 > fileSize ? INVALID : CUT;
    const len = i32(b, at);
    const end = at + 4 + len;
    if (len < 1 || end > fileSize) return INVALID;
    if (end > b.length) return CUT;
    if (b[end - 1] !== 0 || !isUtf8(b, at + 4, end - 1)) return INVALID;
    return end;
  };
  const document = (at: number, depth: number, isArray: boolean): number => {
    if (depth > MAX_DEPTH) return INVALID;
    if (at + 4 > b.length) return at + 4 > fileSize ? INVALID : CUT;
    const len = i32(b, at);
    const end = at + len;
    if (len < 5 || end > fileSize) return INVALID;
    if (isArray) t.arrays++;
    else t.maps++;
    let pos = at + 4;
    for (let index = 0; ; index++) {
      if (pos >= b.length) return CUT;
      const type = b[pos]!;
      if (type === 0) return pos + 1 === end ? end : INVALID;
      if (pos + 1 >= end) return INVALID;
      const nameEnd = cstring(pos + 1);
      if (nameEnd < 0) return nameEnd;
      if (isArray) {
        if (!isIndexName(b, pos + 1, nameEnd - 1, index)) return INVALID;
      } else if (!t.key(b, pos + 1, nameEnd - 1)) return INVALID;
      t.values++;
      pos = element(type, nameEnd, depth);
      if (pos < 0) return pos;
      if (pos > end) return INVALID;
    }
  };
  const element = (type: number, at: number, depth: number): number => {
    const fixed = FIXED[type];
    if (fixed !== undefined) return at + fixed > fileSize ? INVALID : at + fixed > b.length ? CUT : at + fixed;
    if (type === 0x08) {
      if (at >= b.length) return CUT;
      return b[at]! <= 1 ? at + 1 : INVALID;
    }
    if (STRINGS.has(type)) return lengthString(at);
    if (type === 0x03 || type === 0x04) return document(at, depth + 1, type === 0x04);
    if (type === 0x05) {
      // binary: int32 length, subtype (0-9 assigned, 0x80+ user defined), bytes
      if (at + 5 > b.length) return at + 5 > fileSize ? INVALID : CUT;
      const len = i32(b, at);
      const sub = b[at + 4]!;
      const end = at + 5 + len;
      if (len < 0 || end > fileSize || (sub > 9 && sub < 0x80)) return INVALID;
      return end > b.length ? CUT : end;
    }
    if (type === 0x0b) {
      // regular expression: pattern and options, both NUL-ended
      const p = cstring(at);
      return p < 0 ? p : cstring(p);
    }
    if (type === 0x0c) {
      // DBPointer (deprecated): string and a 12-byte ObjectId
      const s = lengthString(at);
      return s < 0 ? s : s + 12 > fileSize ? INVALID : s + 12 > b.length ? CUT : s + 12;
    }
    if (type === 0x0f) {
      // code with scope: int32 total, string, document; the total must match
      if (at + 4 > b.length) return CUT;
      const total = i32(b, at);
      const s = lengthString(at + 4);
      if (s < 0) return s;
      const d = document(s, depth + 1, false);
      if (d < 0) return d;
      return d === at + total ? d : INVALID;
    }
    return INVALID;
  };
  return (at: number, depth: number) => document(at, depth, false);
}

/** A document's length that the file can hold, and a first element type (or the end of an empty document). */
function opensDocument(b: Uint8Array, at: number, fileSize: number): boolean {
  if (at + 5 > b.length) return false;
  const len = i32(b, at);
  if (len < 5 || at + len > fileSize) return false;
  const type = b[at + 4]!;
  return type === 0 || FIXED[type] !== undefined || STRINGS.has(type) || (type >= 0x03 && type <= 0x0f);
}

/**
 * A whole file that decodes as documents with one distinct key: BSON's lengths make that evidence where
 * MessagePack's and CBOR's single map would not be. Every document's int32 must end exactly where its
 * elements do and the last one at the file's last byte, so a chance match needs the file's own size in
 * its first four bytes and a grammar that lands on it (libbson's test documents are 12-64 bytes).
 */
function oneKeyWhole(t: Tally, walk: SequenceWalk): boolean {
  return !walk.cut && t.distinct.size >= 1;
}

export const bsonDetector = defineDetector({
  meta: {
    id: 'bson',
    version: '1.1.0',
    title: 'BSON documents and mongodump files (verified by decoding)',
    formats: [
      {
        id: 'bson',
        name: 'BSON data',
        status: 'analysable',
        how: 'structure',
        extensions: ['bson'],
      },
    ],
  },
  minSize: 8,
  priority: 60,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!opensDocument(h, 0, probe.size)) return undefined;
    const t = new Tally();
    const walk = walkSequence(probe, (b, at) => opensDocument(b, at, probe.size), decoder(h, probe.size, t));
    if (!walk || !(enoughStructure(t, walk) || oneKeyWhole(t, walk))) return undefined;
    return decodedVerdict(probe, { id: 'bson', name: 'BSON data', code: 'BSON_DECODED', top: 'document' }, t, walk);
  },
});
