/**
 * A quick, hand-written check of a detector's answer that runs before the zod
 * schema (`DetectResultSchema`) on the probe worker's hot path. It accepts
 * only answers it can prove valid and is stricter than the schema everywhere
 * (plain objects only, no explicit `undefined` for an optional key, no
 * default filled in: an encryption's `scope` must be given); anything it does not accept goes
 * to the schema, which gives the verdict and the message. So the contract is
 * unchanged: the quick check never accepts what the schema rejects
 * (quick-check.test.ts compares the two on valid and broken answers).
 * Why: zod's walk of every detection cost ~5 % of the probe worker's time.
 */
import { EVIDENCE_BASES } from './types.js';

const CODE = /^[A-Z][A-Z0-9_]*$/;
const FORMAT_ID = /^[a-z0-9][a-z0-9.+-]*$/;
const STATUSES: ReadonlySet<unknown> = new Set(['analysable', 'encrypted', 'opaque', 'unreadable']);
const BASES: ReadonlySet<unknown> = new Set(EVIDENCE_BASES);
const DETECTION_KEYS: ReadonlySet<string> = new Set([
  'format',
  'status',
  'confidence',
  'reasons',
  'details',
  'entropy',
  'encryption',
  'basis',
]);
const FORMAT_KEYS: ReadonlySet<string> = new Set(['id', 'name', 'mime', 'extensions']);
const REASON_KEYS: ReadonlySet<string> = new Set(['code', 'message', 'figures']);

/** An object made by a literal (or `Object.create(null)`), with no symbol keys. */
function plain(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return (proto === Object.prototype || proto === null) && Object.getOwnPropertySymbols(x).length === 0;
}

/** An own `__proto__` key (JSON.parse makes one): left to the schema. */
const hasProtoKey = (x: Record<string, unknown>): boolean => Object.keys(x).includes('__proto__');

/** Every own key is in `allowed` and none holds `undefined` (zod would accept that; we leave it to zod). */
function onlyKeys(o: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const k of Object.keys(o)) if (!allowed.has(k) || o[k] === undefined) return false;
  return true;
}

/** Every element, holes included (`every` skips holes; the schema sees them as `undefined`). */
function all(x: unknown, test: (e: unknown) => boolean): boolean {
  if (!Array.isArray(x)) return false;
  for (let i = 0; i < x.length; i++) if (!test(x[i])) return false;
  return true;
}

const nonEmpty = (x: unknown): boolean => typeof x === 'string' && x.length > 0;
const between = (x: unknown, lo: number, hi: number): boolean =>
  typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi;
const count = (x: unknown): boolean => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

function figure(x: unknown): boolean {
  return typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));
}

function figures(x: unknown): boolean {
  if (!plain(x)) return false;
  for (const k of Object.keys(x)) if (k === '__proto__' || !figure(x[k])) return false;
  return true;
}

function reason(x: unknown): boolean {
  if (!plain(x) || !onlyKeys(x, REASON_KEYS)) return false;
  if (typeof x['code'] !== 'string' || !CODE.test(x['code'])) return false;
  if ('message' in x && !nonEmpty(x['message'])) return false;
  return !('figures' in x) || figures(x['figures']);
}

function format(x: unknown): boolean {
  if (!plain(x) || !onlyKeys(x, FORMAT_KEYS)) return false;
  if (typeof x['id'] !== 'string' || !FORMAT_ID.test(x['id']) || !nonEmpty(x['name'])) return false;
  if ('mime' in x && typeof x['mime'] !== 'string') return false;
  const ext = x['extensions'];
  return ext === undefined || all(ext, (e) => typeof e === 'string');
}

/** `EntropyFigures` is not strict: other keys pass (as they do through the schema). */
function entropy(x: unknown): boolean {
  if (!plain(x) || hasProtoKey(x)) return false;
  const ratio = x['compressionRatio'];
  return (
    between(x['shannon'], 0, 8) &&
    between(x['chiSquare'], 0, Number.MAX_VALUE) &&
    between(x['chiSquareP'], 0, 1) &&
    (!('compressionRatio' in x) || between(ratio, 0, Number.MAX_VALUE)) &&
    count(x['sampledBytes']) &&
    count(x['blocks'])
  );
}

const SCOPES: ReadonlySet<unknown> = new Set(['full', 'partial']);
const KEY_KINDS: ReadonlySet<unknown> = new Set(['password', 'key-file', 'keystore', 'hardware', 'unknown']);
const PRESENT: ReadonlySet<unknown> = new Set(['yes', 'no', 'unknown']);

const strings = (x: Record<string, unknown>, key: string): boolean =>
  !(key in x) || all(x[key], (e) => typeof e === 'string');

/** `Encryption` and `KeyHint` are not strict either. */
function encryption(x: unknown): boolean {
  if (!plain(x) || hasProtoKey(x) || !nonEmpty(x['scheme']) || !SCOPES.has(x['scope'])) return false;
  if (!('keyHint' in x)) return true;
  const k = x['keyHint'];
  return (
    plain(k) &&
    !hasProtoKey(k) &&
    typeof k['description'] === 'string' &&
    KEY_KINDS.has(k['kind']) &&
    PRESENT.has(k['present']) &&
    strings(k, 'foundAt') &&
    strings(k, 'lookFor')
  );
}

function detection(x: unknown): boolean {
  if (!plain(x) || !onlyKeys(x, DETECTION_KEYS)) return false;
  if (!format(x['format']) || !STATUSES.has(x['status']) || !between(x['confidence'], 0, 1)) return false;
  const reasons = x['reasons'];
  if (!Array.isArray(reasons) || reasons.length === 0 || !all(reasons, reason)) return false;
  if ('details' in x && !(plain(x['details']) && !hasProtoKey(x['details']))) return false;
  if ('entropy' in x && !entropy(x['entropy'])) return false;
  if ('encryption' in x && !encryption(x['encryption'])) return false;
  return !('basis' in x) || BASES.has(x['basis']);
}

/**
 * True when `result` (not null or undefined) is certainly a valid answer: one detection or an array of
 * them. False means "ask the schema", not "invalid".
 */
export function quickValidDetectResult(result: unknown): boolean {
  return Array.isArray(result) ? all(result, detection) : detection(result);
}
