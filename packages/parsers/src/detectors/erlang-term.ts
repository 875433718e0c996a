/**
 * Erlang's external term format as `term_to_binary/1,2` writes it to a file (`file:write_file(F,
 * term_to_binary(T))`): version byte 131, then one term, or tag 80 ('P'), the inflated size and a zlib stream
 * holding the term (the `compressed` option). Erlang and Elixir programs keep state this way: Mix's compile
 * manifests (`_build/<env>/lib/<app>/.mix/compile.elixir`), OTP's compiled SNMP MIBs (`.bin`), lock-counter saves (`.lcnt`),
 * caches and exports of RabbitMQ, ejabberd or CouchDB tools. libmagic and file-type name none of it ("data"),
 * so dense terms (binaries, big integers, floats, compressed terms) fell to the statistics as unknown binary.
 * Claimed when the whole file (or, for a compressed term, the whole inflated stream) parses as exactly one term
 * ending at the last byte; a file longer than the probe's head when its head parses to the cut with at least
 * 64 terms. A term that is one binary filling the file is not claimed: its bytes are someone else's format.
 * Reference: Erlang/OTP, erts/doc/src/erl_ext_dist.xml ("External Term Format", OTP 25).
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u16be, u32be } from './util.js';

const VERSION = 131;
const COMPRESSED = 80;
/** Inflated terms are read up to this size (the probe head is smaller; a compressed term's size is declared). */
const MAX_INFLATED = 16 << 20;
/** A head cut from a longer file must show this much structure before it is believed. */
const MIN_CUT_TERMS = 64;
/** Below this many terms a whole file must be at least this long (a few bytes parse as a small integer by chance). */
const MIN_BYTES = 16;

interface Walk {
  /** Offset after the last whole term, or where the bytes ran out. */
  end: number;
  terms: number;
  /** True when the bytes ran out inside the term (a head cut from a longer file). */
  cut: boolean;
  /** The top term's kind, and the first atoms met (for the message). */
  top: string;
  atoms: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads an atom (ATOM_EXT, SMALL_ATOM_EXT and their UTF-8 forms, or a distribution cache reference) at `at`. */
function atom(b: Uint8Array, at: number, atoms: string[]): number | 'cut' | undefined {
  const tag = b[at];
  if (tag === undefined) return 'cut';
  if (tag === 82) return at + 2 <= b.length ? at + 2 : 'cut';
  const wide = tag === 100 || tag === 118;
  if (!wide && tag !== 115 && tag !== 119) return undefined;
  const len = wide ? u16be(b, at + 1) : b[at + 1];
  if (len === undefined) return 'cut';
  const start = at + (wide ? 3 : 2);
  // An atom holds at most 255 characters: 255 bytes in Latin-1, four bytes each in UTF-8.
  if (len > (tag === 118 || tag === 119 ? 1020 : 255)) return undefined;
  if (start + len > b.length) return 'cut';
  const bytes = b.subarray(start, start + len);
  let text: string;
  try {
    text = tag === 118 || tag === 119 ? utf8.decode(bytes) : Buffer.from(bytes).toString('latin1');
  } catch {
    return undefined;
  }
  if (atoms.length < 6) atoms.push(text);
  return start + len;
}

/** Fixed bytes after a node atom: PID_EXT, NEW_PID_EXT, PORT_EXT, NEW_PORT_EXT, V4_PORT_EXT, REFERENCE_EXT. */
const AFTER_NODE: Record<number, number> = { 103: 9, 88: 12, 102: 5, 89: 8, 120: 12, 101: 5 };
const KIND: Record<number, string> = {
  104: 'tuple',
  105: 'tuple',
  116: 'map',
  108: 'list',
  106: 'empty list',
  107: 'string',
  109: 'binary',
  77: 'bit string',
  100: 'atom',
  115: 'atom',
  118: 'atom',
  119: 'atom',
  97: 'integer',
  98: 'integer',
  110: 'integer',
  111: 'integer',
  70: 'float',
  99: 'float',
  113: 'fun',
  112: 'fun',
};

/**
 * Walks one term from `start` without recursion: `need` counts the terms still to read (a tuple adds its arity,
 * a list its length and tail, a map two per pair). Every term takes at least one byte, so the loop is bounded
 * by the bytes. Returns undefined at the first byte no term can hold.
 */
export function walkTerm(b: Uint8Array, start: number): Walk | undefined {
  let at = start;
  let need = 1;
  let terms = 0;
  const atoms: string[] = [];
  const top = KIND[b[start] ?? -1] ?? 'term';
  const cut = (): Walk => ({ end: b.length, terms, cut: true, top, atoms });
  while (need > 0) {
    // More terms owed than bytes left: a whole file cannot hold them; a cut head may.
    if (at >= b.length) return cut();
    const tag = b[at]!;
    need--;
    terms++;
    let next: number | 'cut' | undefined;
    switch (tag) {
      case 97: // SMALL_INTEGER_EXT
        next = at + 2;
        break;
      case 98: // INTEGER_EXT
        next = at + 5;
        break;
      case 70: {
        // NEW_FLOAT_EXT: an IEEE double; Erlang has no infinities or NaNs.
        const hi = u16be(b, at + 1);
        if (hi !== undefined && (hi & 0x7ff0) === 0x7ff0) return undefined;
        next = at + 9;
        break;
      }
      case 99: {
        // FLOAT_EXT: 31 bytes of "%.20e" text padded with NULs.
        const s = b.subarray(at + 1, Math.min(at + 32, b.length));
        if (!s.every((c) => c === 0 || (c >= 0x2b && c <= 0x39) || c === 0x65)) return undefined;
        next = at + 32;
        break;
      }
      case 100:
      case 115:
      case 118:
      case 119:
      case 82:
        next = atom(b, at, atoms);
        break;
      case 104: // SMALL_TUPLE_EXT
        need += b[at + 1] ?? 0;
        next = at + 2;
        break;
      case 105: // LARGE_TUPLE_EXT
        need += u32be(b, at + 1) ?? 0;
        next = at + 5;
        break;
      case 116: // MAP_EXT
        need += 2 * (u32be(b, at + 1) ?? 0);
        next = at + 5;
        break;
      case 106: // NIL_EXT
        next = at + 1;
        break;
      case 107: // STRING_EXT
        next = at + 3 + (u16be(b, at + 1) ?? 0);
        break;
      case 108: // LIST_EXT: the elements, then the tail
        need += (u32be(b, at + 1) ?? 0) + 1;
        next = at + 5;
        break;
      case 109: // BINARY_EXT
        next = at + 5 + (u32be(b, at + 1) ?? 0);
        break;
      case 77: {
        // BIT_BINARY_EXT: the last byte holds 1 to 8 bits
        const bits = b[at + 5];
        if (bits !== undefined && (bits < 1 || bits > 8)) return undefined;
        next = at + 6 + (u32be(b, at + 1) ?? 0);
        break;
      }
      case 110: // SMALL_BIG_EXT: n, sign 0 or 1, n digits
      case 111: {
        // LARGE_BIG_EXT
        const small = tag === 110;
        const n = small ? b[at + 1] : u32be(b, at + 1);
        const sign = b[at + (small ? 2 : 5)];
        if (sign !== undefined && sign > 1) return undefined;
        next = at + (small ? 3 : 6) + (n ?? 0);
        break;
      }
      case 113: // EXPORT_EXT: module, function, arity
        need += 3;
        next = at + 1;
        break;
      case 112: {
        // NEW_FUN_EXT: its size field counts itself and everything after it
        const size = u32be(b, at + 1);
        if (size !== undefined && size < 33) return undefined;
        next = at + 1 + (size ?? 0);
        break;
      }
      case 114: // NEW_REFERENCE_EXT: Len, node, creation (1 byte), Len words
      case 90: {
        // NEWER_REFERENCE_EXT: creation is 4 bytes
        const words = u16be(b, at + 1);
        if (words !== undefined && (words < 1 || words > 5)) return undefined;
        const node = atom(b, at + 3, atoms);
        if (typeof node !== 'number') {
          next = node;
          break;
        }
        next = node + (tag === 114 ? 1 : 4) + 4 * (words ?? 0);
        break;
      }
      default: {
        const fixed = AFTER_NODE[tag];
        if (fixed === undefined) return undefined;
        const node = atom(b, at + 1, atoms);
        next = typeof node === 'number' ? node + fixed : node;
      }
    }
    if (next === undefined) return undefined;
    if (next === 'cut' || next > b.length) return cut();
    at = next;
  }
  return { end: at, terms, cut: false, top, atoms };
}

function summary(w: Walk): string {
  const names = w.atoms.length ? `; atoms ${w.atoms.map((a) => `'${a}'`).join(', ')}` : '';
  return `a ${w.top} of ${w.terms} terms${names}`;
}

function termFile(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (h[0] !== VERSION) return undefined;
  let body = h;
  let from = 1;
  let inflated: number | undefined;
  let cutInflate = false;
  if (h[1] === COMPRESSED) {
    const declared = u32be(h, 2);
    // zlib's two-byte header: deflate, its check bits right, no preset dictionary.
    if (declared === undefined || declared < 2 || (h[6]! & 0x0f) !== 8 || ((h[6]! << 8) | h[7]!) % 31 !== 0)
      return undefined;
    if (h[7]! & 0x20) return undefined;
    try {
      body = zlib.inflateSync(h.subarray(6), {
        finishFlush: probe.complete ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
        maxOutputLength: Math.min(declared + 1, MAX_INFLATED),
      });
    } catch {
      return undefined;
    }
    // Whole: the stream inflates to exactly the declared size (or to the cap of a larger declared one).
    cutInflate = !probe.complete || declared > MAX_INFLATED;
    if (!cutInflate && body.length !== declared) return undefined;
    if (cutInflate && body.length > declared) return undefined;
    from = 0;
    inflated = declared;
  }
  const w = walkTerm(body, from);
  if (!w) return undefined;
  const whole = !w.cut && w.end === body.length && probe.complete && !cutInflate;
  const cutHead = w.cut && (!probe.complete || cutInflate) && w.terms >= MIN_CUT_TERMS;
  if (!whole && !cutHead) return undefined;
  if (whole && w.terms < 4 && probe.size < MIN_BYTES) return undefined;
  // One binary filling the file says nothing of its bytes: leave them to the detectors that read them.
  if (w.terms === 1 && (w.top === 'binary' || w.top === 'bit string')) return undefined;
  const compressed = inflated !== undefined ? `, compressed (zlib, ${inflated} bytes inflated)` : '';
  return plain('analysable', {
    id: 'erlang-term',
    name: 'Erlang external term format (term_to_binary)',
    confidence: whole ? 0.9 : 0.8,
    code: whole ? 'ERLANG_TERM_WHOLE' : 'ERLANG_TERM_HEAD',
    message: whole
      ? `Erlang external term format (version byte 131${compressed}): one term, ${summary(w)}, ending at the last byte; binary_to_term reads it.`
      : `Erlang external term format (version byte 131${compressed}): the first ${body.length} bytes parse as the start of one term, ${summary(w)} so far, cut where the probe ends.`,
    figures: { terms: w.terms, top: w.top, compressed: inflated !== undefined ? 'zlib' : 'no' },
  });
}

export const erlangTermDetector = defineDetector({
  meta: {
    id: 'erlang-term',
    version: '1.0.0',
    title: "Erlang's external term format in a file (term_to_binary)",
    formats: [
      {
        id: 'erlang-term',
        name: 'Erlang external term format (term_to_binary)',
        status: 'analysable',
        how: 'structure',
        extensions: ['bin', 'lcnt', 'etf', 'term'],
        mime: 'application/x-erlang-binary',
      },
    ],
  },
  // 131, then a term's tag: the tags that open a stored term, and 80 for a compressed one.
  signatures: [80, 97, 98, 70, 99, 100, 104, 105, 106, 107, 108, 109, 110, 111, 116, 118, 119].map((t) => ({
    offset: 0,
    hex: `83${t.toString(16).padStart(2, '0')}`,
  })),
  minSize: 3,
  priority: 40,
  detect: termFile,
});
