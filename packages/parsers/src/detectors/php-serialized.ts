/**
 * PHP's serialize() format: session stores, caches and options tables of PHP
 * apps (WordPress, Laravel, Drupal) saved to files. Readable (unserialize's
 * grammar is self-describing; tools print it without the classes), but an
 * object's protected and private property names hold NUL bytes
 * ("\0*\0token", "\0Class\0pin"), so such a file is not text to the text
 * detector and was opaque. Proved by decoding: the top level must be an
 * array (`a:`) or object (`O:`, `C:`); every value must be well formed:
 * `s:` lengths count bytes and must land on their closing quote, counts
 * must match the entries, keys of arrays are `i:` or `s:`, property names
 * `s:`; see binary-values.ts for the evidence rule.
 * Reference: PHP's ext/standard/var_unserializer.re (the grammar unserialize() accepts).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { CUT, INVALID, MAX_DEPTH, Tally, decodedVerdict, enoughStructure, walkSequence } from './binary-values.js';

const COLON = 0x3a;
const SEMI = 0x3b;
const QUOTE = 0x22;
const OPEN = 0x7b;
const CLOSE = 0x7d;

function opensContainer(b: Uint8Array, at: number): boolean {
  const t = b[at];
  return (t === 0x61 || t === 0x4f || t === 0x43) && b[at + 1] === COLON; // a: O: C:
}

function decoder(b: Uint8Array, fileSize: number, t: Tally) {
  const end = (at: number) => (at >= b.length ? (b.length >= fileSize ? INVALID : CUT) : undefined);
  /** Decimal digits (an optional minus first) ending with `stop`: [value, offset after stop], INVALID or CUT. */
  const int = (at: number, stop: number, signed: boolean): [number, number] | number => {
    let pos = at;
    if (signed && b[pos] === 0x2d) pos++;
    const first = pos;
    let v = 0;
    for (; pos < b.length && b[pos]! >= 0x30 && b[pos]! <= 0x39; pos++) {
      if (pos - first >= 19) return INVALID;
      v = v * 10 + b[pos]! - 0x30;
    }
    const cut = end(pos);
    if (cut !== undefined) return cut;
    if (pos === first || b[pos] !== stop) return INVALID;
    return [v, pos + 1];
  };
  /** `len:"<len bytes>"` from `at` (after the type's colon): [start, end of the bytes, offset after the quote]. */
  const quoted = (at: number): [number, number, number] | number => {
    const len = int(at, COLON, false);
    if (typeof len === 'number') return len;
    const [n, q] = len;
    if (q + n + 2 > fileSize) return INVALID;
    if (q + n + 2 > b.length) return CUT;
    if (b[q] !== QUOTE || b[q + n + 1] !== QUOTE) return INVALID;
    return [q + 1, q + 1 + n, q + n + 2];
  };
  /** `len:"Class":` of an object (O:) or a Serializable (C:) from `at`: the offset after its colon, INVALID or CUT. */
  const classHeader = (at: number): number => {
    const name = quoted(at);
    if (typeof name === 'number') return name;
    if (!className(b, name[0], name[1])) return INVALID;
    const c = end(name[2]);
    if (c !== undefined) return c;
    return b[name[2]] === COLON ? name[2] + 1 : INVALID;
  };
  /** `count:{` then `count` entries, then `}`; `key` reads one key (or undefined for none). */
  const entries = (at: number, depth: number, key: 'array' | 'object'): number => {
    const count = int(at, COLON, false);
    if (typeof count === 'number') return count;
    const [n, brace] = count;
    if (brace + n * 4 > fileSize) return INVALID; // an entry takes at least `N;` and a key
    const cut = end(brace);
    if (cut !== undefined) return cut;
    if (b[brace] !== OPEN) return INVALID;
    let pos = brace + 1;
    for (let i = 0; i < n; i++) {
      const k = b[pos];
      if (k === undefined) return end(pos)!;
      if (k === 0x73 && b[pos + 1] === COLON) {
        const s = quoted(pos + 2);
        if (typeof s === 'number') return s;
        if (s[2] >= b.length) return end(s[2])!;
        if (b[s[2]] !== SEMI) return INVALID;
        t.key(b, s[0], s[1]); // PHP keys are bytes: one that is not UTF-8 is valid, only not counted
        pos = s[2] + 1;
      } else if (key === 'array' && k === 0x69 && b[pos + 1] === COLON) {
        const v = int(pos + 2, SEMI, true);
        if (typeof v === 'number') return v;
        pos = v[1];
      } else return INVALID;
      pos = value(pos, depth + 1);
      if (pos < 0) return pos;
    }
    const cut2 = end(pos);
    if (cut2 !== undefined) return cut2;
    return b[pos] === CLOSE ? pos + 1 : INVALID;
  };
  const value = (at: number, depth: number): number => {
    const cut = end(at + 1);
    if (cut !== undefined) return cut;
    if (depth > MAX_DEPTH) return INVALID;
    t.values++;
    const type = b[at]!;
    if (type === 0x4e) return b[at + 1] === SEMI ? at + 2 : INVALID; // N;
    if (b[at + 1] !== COLON) return INVALID;
    const at2 = at + 2;
    switch (type) {
      case 0x62: {
        // b:0; b:1;
        if (at2 + 2 > b.length) return end(at2 + 2) ?? CUT;
        return (b[at2] === 0x30 || b[at2] === 0x31) && b[at2 + 1] === SEMI ? at2 + 2 : INVALID;
      }
      case 0x69: // i:<int>;
      case 0x72: // r:<int>; (reference)
      case 0x52: {
        const v = int(at2, SEMI, type === 0x69);
        return typeof v === 'number' ? v : v[1];
      }
      case 0x64: {
        // d:<float>; digits, sign, point, exponent, or INF / NAN
        let pos = at2;
        while (pos < b.length && pos - at2 < 40 && /[0-9.eE+\-INFA]/.test(String.fromCharCode(b[pos]!))) pos++;
        const c = end(pos);
        if (c !== undefined) return c;
        return pos > at2 && b[pos] === SEMI ? pos + 1 : INVALID;
      }
      case 0x73: {
        // s:<len>:"<bytes>"; (any bytes: PHP strings are binary)
        const s = quoted(at2);
        if (typeof s === 'number') return s;
        const c = end(s[2]);
        if (c !== undefined) return c;
        return b[s[2]] === SEMI ? s[2] + 1 : INVALID;
      }
      case 0x45: {
        // E:<len>:"Class:Case"; (an enum case)
        const s = quoted(at2);
        if (typeof s === 'number') return s;
        const c = end(s[2]);
        if (c !== undefined) return c;
        return b[s[2]] === SEMI && b.subarray(s[0], s[1]).includes(COLON) ? s[2] + 1 : INVALID;
      }
      case 0x61: // a:<count>:{...}
        t.arrays++;
        return entries(at2, depth, 'array');
      case 0x4f: {
        // O:<len>:"Class":<count>:{...}
        const after = classHeader(at2);
        if (after < 0) return after;
        t.maps++;
        return entries(after, depth, 'object');
      }
      case 0x43: {
        // C:<len>:"Class":<len>:{<bytes>} (a Serializable's own payload)
        const after = classHeader(at2);
        if (after < 0) return after;
        const len = int(after, COLON, false);
        if (typeof len === 'number') return len;
        const close = len[1] + 1 + len[0];
        if (close >= fileSize) return INVALID;
        if (close >= b.length) return CUT;
        if (b[len[1]] !== OPEN || b[close] !== CLOSE) return INVALID;
        t.maps++;
        return close + 1;
      }
    }
    return INVALID;
  };
  return value;
}

/** A PHP class name: letters, digits, underscores, backslashes (namespaces), bytes 0x80+; not empty. */
function className(b: Uint8Array, start: number, end: number): boolean {
  if (end <= start || end - start > 256) return false;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    const ok =
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x5c;
    if (!ok && c < 0x80) return false;
  }
  return true;
}

export const phpSerializedDetector = defineDetector({
  meta: {
    id: 'php-serialized',
    version: '1.0.0',
    title: 'PHP serialize() data (verified by decoding)',
    formats: [
      {
        id: 'php-serialized',
        name: 'PHP serialized data',
        status: 'analysable',
        how: 'structure',
        extensions: ['ser', 'php', 'cache', 'session'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '613a' },
    { offset: 0, hex: '4f3a' },
    { offset: 0, hex: '433a' },
  ],
  minSize: 8,
  priority: 60,
  detect(probe): Detection | undefined {
    const t = new Tally();
    const walk = walkSequence(probe, opensContainer, decoder(probe.head, probe.size, t));
    if (!walk || !enoughStructure(t, walk)) return undefined;
    const top = probe.head[0] === 0x61 ? 'array' : 'object';
    return decodedVerdict(
      probe,
      { id: 'php-serialized', name: 'PHP serialized data', code: 'PHP_SERIALIZED_DECODED', top },
      t,
      walk,
    );
  },
});
