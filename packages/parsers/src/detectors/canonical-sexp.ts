/**
 * S-expressions in the canonical form (Rivest's S-expression draft §6.1; libgcrypt's `GCRYSEXP_FMT_CANON`):
 * lists in parentheses of length-prefixed byte strings (`7:sig-val`, `256:<bytes>`), an optional display hint
 * in brackets before a string. GnuPG's agent, libgcrypt and Sequoia hand signatures (`sig-val`), public keys
 * (`public-key`), hashed data (`data`) and public-key-encrypted session keys (`enc-val`) across in this form,
 * and programs keep them as files. The strings hold raw big numbers, so a signature is dense and reached the
 * statistics (Sequoia's `rsa-signature.sexp` was called encrypted); the whole file must parse as one list.
 * An `enc-val` holds a value encrypted to a public key (a session key): encrypted; the rest are readable.
 * gpg-agent's secret key files are the same form and left to `gnupg-agent-key`.
 * Reference: R. Rivest, "S-Expressions" (draft-rivest-sexp-00, 1997) §4.3, §6.1; libgcrypt manual §"Used
 * S-expressions" (sig-val, enc-val, public-key, data).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, plain } from './util.js';

/** gpg-agent key files, read by `gnupg-agent-key`. */
const AGENT_KEYS = new Set(['private-key', 'protected-private-key', 'shadowed-private-key']);
/** The list's first string names what it is: lowercase letters, digits and `-_.` (libgcrypt's and SPKI's names). */
const NAME = /^[a-z][a-z0-9._-]{0,31}$/;
const MAX_DEPTH = 32;
/** A verbatim length of more than 9 digits would not fit any file read here (and `parseInt` stays exact). */
const MAX_LENGTH_DIGITS = 9;

type Parsed = { name: string; algorithm?: string; strings: number; depth: number };

/** Reads a decimal length that starts at `at` (no leading zero but "0" itself); returns [value, next]. */
function length(b: Uint8Array, at: number): [number, number] | undefined {
  let i = at;
  let v = 0;
  while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39 && i - at < MAX_LENGTH_DIGITS) v = v * 10 + b[i++]! - 0x30;
  if (i === at || (b[at] === 0x30 && i - at > 1) || b[i] !== 0x3a) return undefined;
  return [v, i + 1];
}

const text = (b: Uint8Array, from: number, to: number) => Buffer.from(b.subarray(from, to)).toString('latin1');

/**
 * Parses `b` as exactly one canonical list (a single trailing line feed allowed, as a file written by hand or
 * by `echo` has). Returns the first string of the outer list, the first string of the first inner list (the
 * algorithm of a sig-val, enc-val or public-key), and the counts; undefined at the first byte out of place.
 */
export function parseCanonical(b: Uint8Array): Parsed | undefined {
  if (b[0] !== 0x28) return undefined;
  let depth = 0;
  let deepest = 0;
  let strings = 0;
  let name: string | undefined;
  let algorithm: string | undefined;
  let listStart = false; // the next string is the first of a list
  let at = 0;
  while (at < b.length) {
    const c = b[at]!;
    if (c === 0x28) {
      if (++depth > MAX_DEPTH || (depth === 1 && at !== 0)) return undefined;
      deepest = Math.max(deepest, depth);
      listStart = true;
      at++;
      continue;
    }
    if (c === 0x29) {
      if (depth === 0 || listStart) return undefined; // an empty list is not canonical
      at++;
      if (--depth === 0) break;
      continue;
    }
    if (depth === 0) return undefined;
    let start = at;
    if (c === 0x5b) {
      // A display hint: "[" string "]" before the string it qualifies.
      const hint = length(b, at + 1);
      if (!hint || hint[1] + hint[0] >= b.length || b[hint[1] + hint[0]] !== 0x5d) return undefined;
      start = hint[1] + hint[0] + 1;
    }
    const token = length(b, start);
    if (!token || token[1] + token[0] > b.length) return undefined;
    const [size, body] = token;
    if (listStart && depth === 1) name = text(b, body, body + size);
    else if (listStart && depth === 2 && algorithm === undefined) algorithm = text(b, body, body + size);
    listStart = false;
    strings++;
    at = body + size;
  }
  if (depth !== 0 || name === undefined || !NAME.test(name)) return undefined;
  const rest = b.length - at;
  if (rest > 1 || (rest === 1 && b[at] !== 0x0a)) return undefined;
  return { name, ...(algorithm && NAME.test(algorithm) ? { algorithm } : {}), strings, depth: deepest };
}

const FORMAT = { id: 'canonical-sexp', name: 'S-expression in canonical form (libgcrypt, GnuPG, SPKI)' };
const ENCRYPTED = { id: 'sexp-enc-val', name: 'Public-key encrypted value (canonical S-expression enc-val)' };

export const canonicalSexpDetector = defineDetector({
  meta: {
    id: 'canonical-sexp',
    version: '1.0.0',
    title: 'S-expressions in canonical form: signatures, public keys, data and encrypted values (libgcrypt, GnuPG)',
    formats: [
      { ...FORMAT, status: 'analysable', how: 'structure', extensions: ['sexp', 'sig', 'pub'] },
      { ...ENCRYPTED, status: 'encrypted', how: 'structure', extensions: ['sexp'] },
    ],
  },
  minSize: 6,
  priority: 30,
  signatures: ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => ({ offset: 0, ascii: `(${d}` })),
  detect(probe): Detection | undefined {
    if (!probe.complete) return undefined;
    const s = parseCanonical(probe.head);
    if (!s || AGENT_KEYS.has(s.name) || s.strings < 2) return undefined;
    const figures = { name: s.name, algorithm: s.algorithm ?? '', strings: s.strings, depth: s.depth };
    const what = `${s.name}${s.algorithm ? ` (${s.algorithm})` : ''}`;
    const shape = `one canonical S-expression list of ${s.strings} length-prefixed strings, ${s.depth} deep, spanning all ${probe.size} bytes`;
    if (s.name === 'enc-val')
      return locked({
        ...ENCRYPTED,
        confidence: 0.85,
        code: 'SEXP_ENC_VAL',
        message: `${shape}, an ${what}: a value (a session key) encrypted to a public key, as libgcrypt and gpg-agent exchange it.`,
        figures,
        scheme: `gcrypt-enc-val${s.algorithm ? `-${s.algorithm}` : ''}`,
        keyHint: {
          description: `The recipient's ${s.algorithm ?? 'public-key'} secret key (a gpg-agent key file or an OpenPGP secret key); the value is usually a session key for a message beside it.`,
          kind: 'key-file',
          present: 'unknown',
        },
      });
    return plain('analysable', {
      ...FORMAT,
      confidence: 0.85,
      code: 'SEXP_CANONICAL',
      message: `${shape}, a ${what}: readable data (its strings are numbers and names, not ciphertext).`,
      figures,
    });
  },
});
