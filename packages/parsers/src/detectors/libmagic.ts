/**
 * The breadth layer: libmagic's standard magic database (file(1)), through
 * the wasmagic WebAssembly build, for files no specific detector recognised.
 * It is a fallback detector, so it runs only when every signature detector
 * passed, and before the statistical guess decides (it outranks it).
 * What an answer means is data (libmagic-rules.ts): generic answers recognise
 * nothing; short magic that random bytes hit, and any match on bytes that are
 * uniformly random, is recorded but never wins; a claim of encryption counts
 * only where a rule says the words come from a header field.
 *
 * libmagic loads lazily, once per process or worker thread (about 25-70 ms and
 * 25-40 MB for each of its two handles: one answers the description, the other,
 * made only when a description names something, the MIME type). Cost per file: docs/performance.md, "libmagic".
 * It is not asked where its answer could only be a chance match (libmagic-gate.ts).
 */
import { defineDetector, u32be, u32le, type Detection, type Probe } from '@evtriage/core/contract';
import type { WASMagic } from 'wasmagic';
import {
  claimsEncryption,
  contentOfTag,
  MAGIC_RULES,
  formatIdFor,
  isGeneric,
  isWeak,
  ruleFor,
  type MagicRule,
} from './libmagic-rules.js';
import { DAMAGED_FILE, randomAfterHeader } from './random-body.js';
import { trialInflate, trialLzma } from './trial-decode.js';
import { tiffIfd } from './tiff-header.js';
import { plan9HeaderHolds } from './plan9-aout.js';
import { DAMAGED_MIN_BYTES, onlyChanceMatches } from './libmagic-gate.js';

/** Confidence of a rule-mapped answer: likely, below any specific detector (file-type is 0.8). */
const MAPPED = 0.75;
/** A format libmagic names and no rule maps: above the statistical guesses (at most 0.65). */
const UNMAPPED = 0.68;
/** A recognised format's magic in front of random bytes: above the statistical guesses (at most 0.55 there). */
const DAMAGED = 0.6;
/** Weak or implausible answers: kept as a candidate, never the winner. */
const WEAK = 0.2;

interface Magic {
  /** libmagic's description of the bytes. */
  describe(bytes: Uint8Array): string;
  /** libmagic's MIME type for the bytes (its handle is made on first use: most files never need it). */
  mimeOf(bytes: Uint8Array): Promise<string>;
  /** Every match libmagic finds, strongest first (MAGIC_CONTINUE; its handle too is made on first use, rarely). */
  everyMatch(bytes: Uint8Array): Promise<string[]>;
}

let loading: Promise<Magic> | undefined;
let mimeMade = false;
let everyMade = false;
let described = 0;
let trapped = 0;

/**
 * libmagic's answer, or '' (no answer) when its WebAssembly build traps on the bytes: a 100-byte Bacula label
 * with a damaged date makes it stop at `unreachable` (an abort inside the C library). The file is then judged by
 * everything else, and the handles are made anew on the next call, so a heap the abort left half-changed is never
 * used again.
 */
function guarded(detect: () => string): string {
  try {
    return detect().trim();
  } catch (err) {
    // WebAssembly.RuntimeError (the lib settings here do not type the WebAssembly namespace).
    if (!(err instanceof Error && err.name === 'RuntimeError')) throw err;
    loading = undefined;
    trapped++;
    return '';
  }
}

/** The libmagic handles of this process (or worker), made on first use. */
export function libmagic(): Promise<Magic> {
  loading ??= (async () => {
    const { WASMagic, WASMagicFlags } = await import('wasmagic');
    const describe = await WASMagic.create({ flags: WASMagicFlags.NONE });
    let mime: Promise<WASMagic> | undefined;
    let every: Promise<WASMagic> | undefined;
    return {
      describe: (bytes: Uint8Array) => (described++, guarded(() => describe.detect(bytes))),
      mimeOf: async (bytes: Uint8Array) => {
        mime ??= WASMagic.create({ flags: WASMagicFlags.MIME_TYPE });
        mimeMade = true;
        const handle = await mime;
        return guarded(() => handle.detect(bytes));
      },
      everyMatch: async (bytes: Uint8Array) => {
        every ??= WASMagic.create({ flags: WASMagicFlags.CONTINUE });
        everyMade = true;
        const handle = await every;
        // libmagic separates the matches with "\n- ", printed as the escape "\012- " (no RAW flag).
        return guarded(() => handle.detect(bytes)).split('\\012- ');
      },
    };
  })();
  return loading;
}

/** How many times libmagic's WebAssembly build trapped in this process (or worker); each time its handles were made anew. */
export function libmagicTraps(): number {
  return trapped;
}

/** Which libmagic handles this process (or worker) has made so far: each holds its own copy of the database. */
export function libmagicHandles(): { describe: boolean; mime: boolean; every: boolean } {
  return { describe: loading !== undefined, mime: mimeMade, every: everyMade };
}

/** How many descriptions libmagic has been asked for in this process (or worker): what the gate saves. */
export function libmagicDescriptions(): number {
  return described;
}

/** The format of an answer that is not taken as a recognition (the reason names what libmagic said). */
const CHANCE_MATCH = 'libmagic-chance-match';

/**
 * The first stretch of libmagic's answer printed from the file's own bytes that is not text, if any: libmagic
 * prints a string field's non-printable bytes as octal escapes, so a version or name holding control bytes
 * ("Sendmail frozen configuration - version 36854775295\\226\\034i…", "AmigaOS bitmap font "(\\265/\\375V*M\\030"")
 * shows the rule read a field where the file holds other data. High bytes alone are not enough: Latin-1 and
 * UTF-8 names and titles print the same way (a catalogue's "\\372ltimo", a font's "\\251"); tabs and line ends are text.
 */
export function quotedNonText(description: string): string | undefined {
  // libmagic writes up to three octal digits ("\\034", and "\\00" where a NUL ends its string).
  for (const m of description.matchAll(/(?:\\[0-7]{1,3}|[^\\"\s,;()])*\\[0-7]{1,3}(?:\\[0-7]{1,3}|[^\\"\s,;()])*/g)) {
    const bytes = Buffer.from(
      m[0]
        .split(/(\\[0-7]{1,3})/)
        .flatMap((part) =>
          /^\\[0-7]{1,3}$/.test(part) ? [parseInt(part.slice(1), 8)] : [...Buffer.from(part, 'utf8')],
        ),
    );
    if (bytes.some((b) => (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f)) return m[0];
  }
  return undefined;
}

function weak(id: string, name: string, description: string, mime: string, why: string): Detection {
  return {
    format: { id: CHANCE_MATCH, name: `libmagic chance match (${id}: ${name})` },
    status: 'opaque',
    confidence: WEAK,
    reasons: [
      {
        code: 'LIBMAGIC_WEAK',
        message: `libmagic says "${description}" (${mime}), but ${why}; not taken as a recognition.`,
        figures: { description, mime },
      },
    ],
  };
}

/**
 * An ARC member header (the 0x1A marker, a method byte, a 13-byte NUL-terminated name, the compressed size):
 * a printable name and a size within the file, and the next header's marker where the size says it is.
 */
function arcHeaderHolds(h: Uint8Array, size: number): boolean {
  const method = h[1];
  if (method === undefined || method > 20) return false;
  if (method === 0) return size === 2;
  const nul = h.subarray(2, 15).indexOf(0);
  if (nul < 1 || !h.subarray(2, 2 + nul).every((c) => c > 0x20 && c < 0x7f)) return false;
  const header = method === 1 ? 25 : 29;
  const packed = u32le(h, 15);
  if (packed === undefined || header + packed > size) return false;
  const next = header + packed;
  return next === size || next >= h.length || h[next] === 0x1a;
}

/**
 * A resource fork header (Inside Macintosh: More Macintosh Toolbox, "Resource File Format"): offsets and lengths of
 * the resource data and the resource map, each inside the file; a map holds at least its 28-byte header and
 * type-list count, and starts past the 16-byte header.
 */
function resourceForkHolds(h: Uint8Array, size: number): boolean {
  const [dataAt, mapAt, dataLen, mapLen] = [0, 4, 8, 12].map((o) => u32be(h, o));
  if (dataAt === undefined || mapAt === undefined || dataLen === undefined || mapLen === undefined) return false;
  return dataAt >= 16 && dataAt + dataLen <= size && mapAt >= 16 && mapLen >= 30 && mapAt + mapLen <= size;
}

/** Bytes per element of a MATLAB v4 matrix, by the type word's P digit (double, single, int32, int16, uint16, uint8). */
const MATLAB4_ELEMENT = [8, 4, 4, 2, 2, 1];

/**
 * One MATLAB v4 matrix header at `at` (type MOPT, rows, columns, imaginary flag, name length; then the
 * NUL-terminated name and the data): each field in range, the name printable, the data inside the file.
 * Returns where the next matrix starts, or undefined.
 */
function matlab4Matrix(h: Uint8Array, at: number, size: number, le: boolean): number | undefined {
  const word = (o: number) => (le ? u32le(h, at + o) : u32be(h, at + o));
  const [type, rows, cols, imag, nameLength] = [0, 4, 8, 12, 16].map(word);
  if (type === undefined || rows === undefined || cols === undefined || imag === undefined || !nameLength)
    return undefined;
  const [m, o, p, t] = [Math.floor(type / 1000), Math.floor(type / 100) % 10, Math.floor(type / 10) % 10, type % 10];
  if (m > 4 || o !== 0 || p > 5 || t > 2 || imag > 1 || nameLength > 256) return undefined;
  const name = h.subarray(at + 20, at + 20 + nameLength);
  if (name.length === nameLength) {
    if (name[nameLength - 1] !== 0 || !name.subarray(0, nameLength - 1).every((c) => c > 0x20 && c < 0x7f))
      return undefined;
  }
  const end = at + 20 + nameLength + rows * cols * MATLAB4_ELEMENT[p]! * (imag + 1);
  return end <= size ? end : undefined;
}

/** A MATLAB v4 MAT-file: its first matrix holds, and so does the next one where the bytes read show it. */
function matlab4Holds(h: Uint8Array, size: number): boolean {
  // The byte order is the writer's: a type word of 0 reads the same both ways, so both are tried.
  return [true, false].some((le) => {
    const next = matlab4Matrix(h, 0, size, le);
    if (next === undefined) return false;
    return next === size || next + 20 > h.length || matlab4Matrix(h, next, size, le) !== undefined;
  });
}

/**
 * Motorola S-records (the SREC format as objcopy writes it): each line "S", a record type 0-9, a byte count,
 * then that many bytes in hex (address, data, checksum), the checksum being the ones' complement of the low
 * byte of the sum of the count and the other bytes. The first lines read (up to eight) must all hold.
 */
export function sRecordsHold(head: Uint8Array): number {
  const lines = Buffer.from(head.buffer, head.byteOffset, head.length).toString('latin1').split(/\r?\n/);
  // The last line may be cut by the probe's end.
  const whole = lines.length > 1 ? lines.slice(0, -1) : lines;
  let checked = 0;
  for (const line of whole.slice(0, 8)) {
    if (line === '' && checked > 0) continue;
    const m = /^S([0-9])([0-9A-Fa-f]{2})((?:[0-9A-Fa-f]{2})+)$/.exec(line);
    if (!m) return 0;
    const count = parseInt(m[2]!, 16);
    const bytes = Buffer.from(m[3]!, 'hex');
    if (bytes.length !== count || count < 3) return 0;
    let sum = count;
    for (let i = 0; i < bytes.length - 1; i++) sum += bytes[i]!;
    if ((~sum & 0xff) !== bytes[bytes.length - 1]) return 0;
    checked++;
  }
  return checked;
}

/**
 * A TeX font metric file (TeX: The Program §540-565, tftopl): twelve 16-bit big-endian lengths lf, lh, bc,
 * ec, nw, nh, nd, ni, nl, nk, ne, np, each below 32768, with bc - 1 ≤ ec ≤ 255, lh ≥ 2, nw, nh, nd, ni ≥ 1,
 * ne ≤ 256 and lf = 6 + lh + (ec - bc + 1) + nw + nh + nd + ni + nl + nk + ne + np words, the file's size.
 * Returns lf, or undefined.
 */
export function tfmLengthsHold(h: Uint8Array, size: number): number | undefined {
  if (h.length < 24) return undefined;
  const w = Array.from({ length: 12 }, (_, i) => (h[2 * i]! << 8) | h[2 * i + 1]!);
  if (w.some((v) => v >= 0x8000)) return undefined;
  const [lf = 0, lh = 0, bc = 0, ec = 0, nw = 0, nh = 0, nd = 0, ni = 0, nl = 0, nk = 0, ne = 0, np = 0] = w;
  if (bc > ec + 1 || ec > 255 || lh < 2 || !nw || !nh || !nd || !ni || ne > 256) return undefined;
  const sum = 6 + lh + (ec - bc + 1) + nw + nh + nd + ni + nl + nk + ne + np;
  return sum === lf && lf * 4 === size ? lf : undefined;
}

function verified(rule: MagicRule, probe: Probe): { ok: boolean; note: string } {
  if (rule.verify === 'matlab4') {
    return matlab4Holds(probe.head, probe.size)
      ? { ok: true, note: '; the matrix header (type, rows, columns, name) holds and its data fits the file' }
      : { ok: false, note: "the matrix header's type, name or data size (rows × columns) does not fit a MAT-file" };
  }
  if (rule.verify === 'lzma') {
    const t = trialLzma(probe.head, probe.complete);
    return t.ok
      ? { ok: true, note: `; the first ${t.input} bytes decode` }
      : { ok: false, note: `the first ${t.input} bytes do not decode as LZMA (${t.error ?? 'no output'})` };
  }
  if (rule.verify === 'arc') {
    return arcHeaderHolds(probe.head, probe.size)
      ? { ok: true, note: '; the member name and compressed size hold' }
      : { ok: false, note: 'the member header has no NUL-terminated printable name or its size does not fit the file' };
  }
  if (rule.verify === 'tiff') {
    const t = tiffIfd(probe.head, probe.size);
    return t
      ? {
          ok: true,
          note:
            t.count === undefined
              ? `; its first IFD is at ${t.ifd}, inside the file past the bytes read`
              : `; its first IFD (at ${t.ifd}) holds ${t.count} entries`,
        }
      : { ok: false, note: 'its first IFD is not where the header points, or holds no possible entry' };
  }
  if (rule.verify === 'rsrc') {
    return resourceForkHolds(probe.head, probe.size)
      ? { ok: true, note: '; its resource data and map lie inside the file' }
      : { ok: false, note: 'its resource data or map (offsets and lengths in the header) would lie past the file' };
  }
  if (rule.verify === 'srec') {
    const records = sRecordsHold(probe.head);
    return records > 0
      ? { ok: true, note: `; its first ${records} records' byte counts and checksums hold` }
      : { ok: false, note: 'its first lines are not S-records whose byte counts and checksums hold' };
  }
  if (rule.verify === 'plan9') {
    const p = plan9HeaderHolds(probe.head, probe.size);
    return p
      ? {
          ok: true,
          note: `; its ${p.header}-byte header's text (${p.text}), data (${p.data}), symbol and pc/sp table sizes add up to the file's size`,
        }
      : { ok: false, note: "its header's segment sizes do not add up to the file's size" };
  }
  if (rule.verify === 'tfm') {
    const words = tfmLengthsHold(probe.head, probe.size);
    return words !== undefined
      ? { ok: true, note: `; its twelve table lengths add up to ${words} words, the file's size` }
      : { ok: false, note: "its twelve table lengths do not add up to the file's size" };
  }
  if (rule.verify !== 'zlib') return { ok: true, note: '' };
  const t = trialInflate(probe.head, 'zlib', probe.complete);
  return t.ok
    ? { ok: true, note: `; the first ${t.input} bytes inflate to ${t.output}${t.capped ? '+' : ''} bytes` }
    : { ok: false, note: `the first ${t.input} bytes do not inflate (${t.error ?? 'no output'})` };
}

/** Checks that read a header's own fields (no decoding): cheap enough to try on every weak answer. */
const STRUCTURAL_CHECKS: ReadonlySet<MagicRule['verify']> = new Set<MagicRule['verify']>([
  'arc',
  'tiff',
  'rsrc',
  'matlab4',
  'srec',
  'tfm',
  'plan9',
]);
const STRUCTURAL_RULES = MAGIC_RULES.filter((r) => STRUCTURAL_CHECKS.has(r.verify));

/**
 * A rule-mapped match libmagic found after a weak first one. libmagic prints only its strongest match, and a
 * short magic that records of small numbers hit can stand in front of the file's real format: a TeX font
 * metric file whose first length word (lf = 2308, 0x0904) is Excel's BIFF4 magic, so libmagic's answer is
 * "Excel 4 BIFF 4" and its TeX entry comes second. Only a rule whose structural check holds on these bytes can
 * take such a match, so the checks run first and libmagic is asked for its other matches (a third handle,
 * MAGIC_CONTINUE) only when one holds; the first later match such a rule maps is the answer.
 */
async function shadowedMatch(
  magic: Magic,
  probe: Probe,
): Promise<{ rule: MagicRule; description: string; note: string } | undefined> {
  const holding = STRUCTURAL_RULES.filter(
    (r) => !(r.minSize !== undefined && probe.size < r.minSize) && verified(r, probe).ok,
  );
  if (holding.length === 0) return undefined;
  const [, ...later] = await magic.everyMatch(probe.head);
  for (const description of later) {
    const rule = ruleFor(description);
    if (rule && holding.includes(rule)) return { rule, description, note: verified(rule, probe).note };
  }
  return undefined;
}

export const libmagicDetector = defineDetector({
  meta: {
    id: 'libmagic',
    version: '1.7.0',
    title: "libmagic's magic database (file(1)) for files no specific detector recognised",
    formats: [
      ...dedupe(MAGIC_RULES).map((r) => ({
        id: r.format.id,
        name: r.format.name,
        status: r.status,
        how: 'library' as const,
        ...(r.format.extensions ? { extensions: r.format.extensions } : {}),
      })),
      {
        id: CHANCE_MATCH,
        name: 'A libmagic answer not taken as a recognition (short magic random bytes match, or random bytes behind it)',
        status: 'opaque',
        how: 'library',
      },
      {
        ...DAMAGED_FILE,
        status: 'opaque',
        how: 'library',
      },
      {
        id: 'libmagic-recognised',
        name: 'Any other format libmagic names (id from its MIME type or description)',
        status: 'analysable',
        how: 'library',
      },
    ],
  },
  fallback: true,
  minSize: 1,
  priority: 85,
  // Not asked where its answer could only be a chance match (libmagic-gate.ts): random bytes, no high-entropy magic.
  detect: (probe) => (onlyChanceMatches(probe) ? undefined : judgeMagic(probe)),
});

/**
 * libmagic's answer for `probe.head`, judged by the rules table: a detection, a
 * chance match (confidence 0.2, never the winner) or undefined (libmagic named
 * nothing). Also used past the probe (deep-signatures), on a longer head.
 * With `recognitionsOnly`, an answer the description alone shows to be a chance
 * match is undefined instead, and the MIME type is not asked for: a caller that
 * keeps recognitions only (deep-signatures) then never makes the second handle
 * (~25 MiB) for the chance matches random bytes produce.
 */
export async function judgeMagic(
  probe: Probe,
  { recognitionsOnly = false }: { recognitionsOnly?: boolean } = {},
): Promise<Detection | undefined> {
  const magic = await libmagic();
  const description = magic.describe(probe.head);
  if (isGeneric(description, '')) return undefined;
  const rule = ruleFor(description);
  if (!rule && isWeak(description)) {
    const shadowed = await shadowedMatch(magic, probe);
    if (shadowed) return mapped(shadowed.rule, shadowed.description, undefined, shadowed.note, description);
  }
  const tooSmall = rule?.minSize !== undefined && probe.size < rule.minSize;
  // Below, these two are chance matches whatever the MIME type says (or nothing, when it makes the answer generic).
  if (recognitionsOnly && ((!rule && isWeak(description)) || tooSmall)) return undefined;
  const mime = await magic.mimeOf(probe.head);
  if (isGeneric(description, mime)) return undefined;
  // An ID3-tagged file no rule maps is named by the format inside the tag, not by the tag.
  const named = contentOfTag(description);
  const id = rule?.format.id ?? formatIdFor(named, mime);
  const name = rule?.format.name ?? named.split(/[,;]/)[0]!.slice(0, 80);
  if (!rule && isWeak(description))
    return weak(id, name, description, mime, 'this magic is short enough that random bytes match it');
  // Only for answers no rule maps: a mapped format's own fields may quote control bytes (a catalogue's "\007").
  const garbled = rule ? undefined : quotedNonText(description);
  if (garbled)
    return weak(
      id,
      name,
      description,
      mime,
      `the text it printed from the file ("${garbled}") holds control bytes where its rule expects a version, name or title, so the bytes its magic matched are not that format's fields`,
    );
  if (rule) {
    if (tooSmall)
      return weak(id, name, description, mime, `${probe.size} bytes are too few for that answer to mean anything`);
    const check = verified(rule, probe);
    if (!check.ok) {
      // A long magic whose structure fails before random bytes is a damaged file of that format (a TIFF overwritten
      // after its header), as for an unmapped answer; a short one is a chance match.
      const noise = randomAfterHeader(probe);
      return (
        (noise && longMagicBeforeRandom(magic, probe, { id, name }, description, mime, noise)) ||
        weak(id, name, description, mime, check.note)
      );
    }
    const noise = rule.highEntropy ? undefined : randomAfterHeader(probe);
    if (noise)
      return (
        longMagicBeforeRandom(magic, probe, { id, name }, description, mime, noise) ??
        weak(id, name, description, mime, `${noise}, which ${name} is not`)
      );
    return mapped(rule, description, mime, check.note);
  }
  const noise = randomAfterHeader(probe);
  if (noise)
    return (
      longMagicBeforeRandom(magic, probe, { id, name }, description, mime, noise) ??
      weak(id, name, description, mime, noise)
    );
  const unmapped = (status: 'opaque' | 'analysable', code: string, message: string): Detection => ({
    format: { id, name, mime },
    status,
    confidence: UNMAPPED,
    reasons: [{ code, message: `libmagic: "${description}" (${mime})${message}`, figures: { description, mime } }],
  });
  if (claimsEncryption(description))
    return unmapped(
      'opaque',
      'LIBMAGIC_UNVERIFIED_ENCRYPTION',
      '. Its words claim encryption, but no rule checks that header field: recognised, not counted as encrypted.',
    );
  return unmapped(
    'analysable',
    'LIBMAGIC',
    ': a format its magic database knows; evtriage has no specific reader, so it is handed on as readable.',
  );
}

/**
 * A rule-mapped answer taken as a recognition. `shadowing` is the weak first match libmagic printed in front of
 * it (shadowedMatch), named in the reason; then no MIME type is given (libmagic's would be the first match's).
 */
function mapped(
  rule: MagicRule,
  description: string,
  mime: string | undefined,
  note: string,
  shadowing?: string,
): Detection {
  const { id, name } = rule.format;
  const first = shadowing
    ? ` (libmagic's first match, "${shadowing}", is a short magic that records of small numbers hit; this is its next one)`
    : '';
  const detection: Detection = {
    format: {
      id,
      name,
      ...(mime ? { mime } : {}),
      ...(rule.format.extensions ? { extensions: rule.format.extensions } : {}),
    },
    status: rule.status,
    confidence: MAPPED,
    reasons: [
      {
        code: 'LIBMAGIC',
        message: `libmagic: "${description}"${mime ? ` (${mime})` : ''}${first}: ${rule.why}${note}.`,
        figures: { description, ...(mime ? { mime } : {}), ...(shadowing ? { firstMatch: shadowing } : {}) },
      },
    ],
  };
  if (rule.status === 'encrypted') {
    detection.encryption = {
      scheme: id,
      scope: 'full',
      keyHint: {
        description: `The secret ${name} was locked with (libmagic names no scheme).`,
        kind: 'unknown',
        present: 'unknown',
      },
    };
  }
  return detection;
}

/** Words of libmagic's answers for formats whose body is compressed: random bytes are what they hold. */
const COMPRESSED_BY_DESIGN = /archive|compress/i;
/** Bytes at the start whose change changes libmagic's answer that count as a signature, not a chance match. */
const SIGNATURE_BYTES = 4;
/** Of those, how many must be other than 0x00 and 0xFF ("II*\0" has three). */
const IDENTIFYING_BYTES = 3;
/** How much of the head the signature is measured on, and how far into it. */
const MEASURED_HEAD = 1024;
const MEASURED_BYTES = 64;

/**
 * How many of the first 64 bytes libmagic's answer depends on: those whose change, to two different
 * values, changes the answer's first clause ("PNG image data"). A magic number of that many bytes, if
 * IDENTIFYING_BYTES of them are neither 0x00 nor 0xFF (else fewer than SIGNATURE_BYTES are reported).
 * Run only when libmagic names a format in front of random bytes (rare): up to 128 calls on 1 KiB.
 * Exact at SIGNATURE_BYTES and above; below it, some count below SIGNATURE_BYTES (the caller's only use of it).
 */
function signatureBytes(magic: Magic, head: Uint8Array, description: string): number {
  // What kind of thing libmagic says: the first two words of the first clause, quoted strings and numbers
  // masked. "cpio archive; device 24887" reads fields after a two-byte magic, and "GeoSwath RDF "oP\214…""
  // or "TransCopy disk image D3\263…" copy the file's own bytes into the answer: a change there is no magic.
  const clause = (d: string) =>
    d
      .replace(/"(?:[^"\\]|\\.)*"?/g, '""')
      .split(/[,;]/)[0]!
      .replace(/\\[0-7]{3}|0x[0-9a-f]+|\d+/gi, '#')
      .trim()
      .split(/\s+/)
      .slice(0, 2)
      // A word with a masked byte in it was copied from the file too (a script's interpreter: "a \364\334… script").
      .map((word) => (word.includes('#') ? '#' : word))
      .join(' ');
  const bytes = Uint8Array.from(head.subarray(0, MEASURED_HEAD));
  const base = clause(description);
  // A head of at most 1 KiB is the very buffer `description` came from: libmagic would say the same again.
  if (head.length > MEASURED_HEAD && clause(magic.describe(bytes)) !== base) return 0;
  const changes = (at: number, mask: number) => {
    bytes[at]! ^= mask;
    const d = clause(magic.describe(bytes));
    bytes[at]! ^= mask;
    return d !== base;
  };
  const end = Math.min(MEASURED_BYTES, bytes.length);
  let count = 0;
  let identifying = 0;
  for (let at = 0; at < end; at++) {
    // Below SIGNATURE_BYTES the exact count decides nothing: stop once the bytes left cannot reach it.
    if (count + (end - at) < SIGNATURE_BYTES) return count;
    if (changes(at, 0xff) && changes(at, 0x01)) {
      count++;
      if (bytes[at] !== 0x00 && bytes[at] !== 0xff) identifying++;
    }
  }
  // Zero and 0xFF bytes are what headers hold by default, a cipher container's too: a magic of them and one
  // other byte ("05 00 00 00") is a version word, not a format's signature.
  return identifying >= IDENTIFYING_BYTES ? count : Math.min(count, SIGNATURE_BYTES - 1);
}

/**
 * A format libmagic names by a magic number of 4 bytes or more, in front of random bytes: not a chance
 * prefix of ciphertext, but an archive or compressed stream (whose body is random by design) or else a
 * damaged or truncated file of that format (or one holding random content). Undefined when the magic is
 * shorter, the file small or the words claim encryption: then the answer is a chance match.
 */
function longMagicBeforeRandom(
  magic: Magic,
  probe: Probe,
  format: { id: string; name: string },
  description: string,
  mime: string,
  noise: string,
): Detection | undefined {
  // On fewer bytes "random" is a weak verdict (the statistics test small samples further): a chance match then.
  if (isWeak(description) || probe.size < DAMAGED_MIN_BYTES) return undefined;
  // Random bytes behind the magic of a format whose words claim encryption are what such a format holds: the
  // statistics call them ciphertext-like, which keeps the file counted as locked.
  if (claimsEncryption(description)) return undefined;
  const fixed = signatureBytes(magic, probe.head, description);
  if (fixed < SIGNATURE_BYTES) return undefined;
  // An archive's or a compressed stream's body reads as random by design (KGB, rzip, StuffIt...), unless libmagic
  // printed control bytes from the file where its rule reads a version or name: a damaged file ("WARC Archive
  // version gP\3" before random bytes).
  if (COMPRESSED_BY_DESIGN.test(description) && !quotedNonText(description))
    return {
      format: { ...format, mime },
      status: 'analysable',
      confidence: UNMAPPED,
      reasons: [
        {
          code: 'LIBMAGIC_COMPRESSED',
          message: `libmagic: "${description}" (${mime}) from ${fixed} bytes at the start (changing any of them changes its answer): an archive or compressed format, whose body reads as random by design (${noise.replace(/^the bytes after the header /, '')}).`,
          figures: { description, mime, signatureBytes: fixed },
        },
      ],
    };
  return {
    format: { ...DAMAGED_FILE },
    status: 'opaque',
    confidence: DAMAGED,
    reasons: [
      {
        code: 'LIBMAGIC_SIGNATURE_WITHOUT_STRUCTURE',
        message: `libmagic says "${description}" (${mime}) from ${fixed} bytes at the start (changing any of them changes its answer), but ${noise}: a damaged or truncated file of that format, or one holding random content, not ciphertext.`,
        figures: { description, mime, signatureBytes: fixed },
      },
    ],
  };
}

function dedupe(rules: readonly MagicRule[]): MagicRule[] {
  const seen = new Set<string>();
  return rules.filter((r) => !seen.has(r.format.id) && seen.add(r.format.id));
}
