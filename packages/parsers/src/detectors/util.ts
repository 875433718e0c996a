/**
 * Small helpers shared by detectors: byte comparisons, bounded integer reads
 * and text sniffing over probe bytes.
 */
import { isUtf8 } from 'node:buffer';
import type { Detection, KeyHint, PluginReason, Probe } from '@evtriage/core/contract';

// The bounded byte readers are part of the public contract, so plugin authors use the same ones.
import { ascii, u32be, u32le } from '@evtriage/core/contract';
import { bomlessUtf16, bomlessUtf32, codePoint32 } from './unicode-text.js';
export { startsWith, u16be, u16le, u32be, u32le } from '@evtriage/core/contract';

/**
 * Whether bytes look like text: valid UTF-8 (allowing a sequence cut at the
 * end of the probe) or UTF-16 with a BOM, with few control characters.
 */
export function textInfo(bytes: Uint8Array): TextInfo | undefined {
  // Several detectors sniff the same probe head: decode it once.
  const known = textInfoCache.get(bytes);
  if (known !== undefined) return known ?? undefined;
  // Text followed by NULs is judged without them, also when they lie past the first 512 bytes (where the text
  // reading would keep them as characters, and a detector's pattern anchored at the end would fail): a NUL a copy
  // appended, slack after a long text.
  const info =
    (bytes[bytes.length - 1] === 0 ? paddedUtf8Text(bytes) : undefined) ?? sniffText(bytes) ?? paddedUtf8Text(bytes);
  textInfoCache.set(bytes, info ?? null);
  return info;
}

/** Fewest bytes of text before trailing NULs for them to be read as padding rather than a binary record's zeros. */
const MIN_TEXT_BEFORE_PADDING = 16;

/**
 * UTF-8 text followed only by NUL bytes (a carved file with its slack, a file pre-allocated by a program that
 * stopped, a device export rounded up to its block): the text alone is judged, the NULs set aside and counted
 * in `zeroPadding`. Tried first when the bytes end in a NUL; UTF-16 (whose last code unit may end in a NUL) is
 * never taken here (a NUL among the first 512 bytes left), and text that ends in no NUL is unchanged.
 */
function paddedUtf8Text(bytes: Uint8Array): TextInfo | undefined {
  if (bytes[bytes.length - 1] !== 0) return undefined;
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  if (end < MIN_TEXT_BEFORE_PADDING) return undefined;
  const body = bytes.subarray(0, end);
  // UTF-8 only: a NUL among the first bytes left means UTF-16 or binary, not text with padding.
  if (body.subarray(0, 512).indexOf(0) >= 0) return undefined;
  const info = sniffText(body);
  return info?.encoding === 'utf-8' ? { ...info, zeroPadding: bytes.length - end } : undefined;
}

/**
 * The reason a detection on text gives when `textInfo` set trailing NUL padding aside, so the answer says so.
 * Undefined when the text had none.
 */
export function zeroPaddingNote(
  info: { zeroPadding?: number; trailingBytes?: number } | undefined,
  judged = 'the text before them',
): PluginReason | undefined {
  if (info?.trailingBytes)
    return {
      code: 'TRAILING_DATA',
      message: `The ${info.trailingBytes} bytes after the structure's own end (where its length fields close it) are not part of it (data appended to the file, or a carve that ran on into the next file) and were set aside; ${judged} was judged.`,
      figures: { trailingBytes: info.trailingBytes },
    };
  const n = info?.zeroPadding;
  if (!n) return undefined;
  return {
    code: 'TRAILING_ZERO_PADDING',
    message: `The ${n} NUL bytes that end the bytes read were set aside as padding (slack, pre-allocated space); ${judged} was judged.`,
    figures: { zeroPaddingBytes: n },
  };
}

/**
 * NUL padding after a binary structure whose own length fields say where it ends (DER's outer length, an OpenPGP
 * packet sequence, a key store's entry walk): `{ zeroPadding }` when every byte from `end` to the end of the file
 * was read (in the head, or in the tail where the head stops short) and is a NUL; undefined otherwise, and when
 * nothing follows `end`. The structure's end comes from its own fields, so no NUL inside it is ever set aside.
 */
export function zeroPaddingAfter(
  probe: { head: Uint8Array; tail: Uint8Array; size: number },
  end: number,
): { zeroPadding: number } | undefined {
  const { head, tail, size } = probe;
  if (!(end >= 1 && end < size)) return undefined;
  const tailStart = size - tail.length;
  if (head.length < size && tailStart > Math.max(end, head.length)) return undefined; // bytes between not read
  for (let i = end; i < head.length; i++) if (head[i] !== 0) return undefined;
  for (let i = Math.max(0, end - tailStart); i < tail.length; i++) if (tail[i] !== 0) return undefined;
  return { zeroPadding: size - end };
}

/**
 * What follows a binary structure whose own length fields say where it ends, before `size`: NUL padding
 * (`zeroPaddingAfter`), or else other bytes (`{ trailingBytes }`: data appended to the file, a carve that ran on
 * into the next file). Undefined when nothing follows. For structures checked deeply enough that bytes after
 * them cannot make a chance match (an outer element whose children fill it and whose content names the format).
 */
export function afterStructureEnd(
  probe: { head: Uint8Array; tail: Uint8Array; size: number },
  end: number,
): { zeroPadding: number } | { trailingBytes: number } | undefined {
  if (!(end >= 1 && end < probe.size)) return undefined;
  return zeroPaddingAfter(probe, end) ?? { trailingBytes: probe.size - end };
}

/**
 * Where a body of whole `block`-byte cipher blocks from `start` ends, with `fixed` bytes the format keeps after the
 * blocks: the file's size when `size - start - fixed` is a multiple of `block`; else, when the bytes past the last
 * whole block (fewer than one block) are one line end (LF, CR LF) or NULs only, read in the probe (a text tool's line
 * feed, a byte a copy added, slack), the size without them. Undefined otherwise, and when the body is negative.
 * NULs count only when the last block's last byte is not one (zeros that run on past a block boundary, as a disk
 * image's empty end does, are no bytes appended). Chance passes the second test for about 2 in 256 sizes that are no whole
 * number of blocks (a line feed or a NUL last), so it only widens a check that carries other evidence;
 * `afterStructureEnd` then names the bytes.
 */
export function wholeBlocksEnd(probe: Probe, start: number, block: number, fixed = 0): number | undefined {
  const body = probe.size - start - fixed;
  if (body < 0) return undefined;
  const over = body % block;
  if (over === 0) return probe.size;
  const after = probeBytes(probe, probe.size - over, over);
  if (!after || after.length < over) return undefined;
  const lineEnd = (over === 1 && after[0] === 0x0a) || (over === 2 && after[0] === 0x0d && after[1] === 0x0a);
  // NULs only when the last block does not end in one: a file whose zeros run on past a block boundary (a disk
  // image's empty end, a zero-filled file) is no ciphertext followed by a few NULs.
  const before = probeBytes(probe, probe.size - over - fixed - 1, 1);
  const nuls = after.every((b) => b === 0) && before !== undefined && before[0] !== 0;
  return lineEnd || nuls ? probe.size - over : undefined;
}

/**
 * Where a chain of length-prefixed records or chunks with no end marker stops short of the end of the file
 * (the walk met bytes that are no record: a length past the end, no chunk id, fewer bytes than a header), whether
 * the bytes from there to the end are what a copy, slack or a carve adds: NULs only, or text only (printable ASCII,
 * tabs, line ends). Such a structure says where each record ends but not where the chain does, so only these bytes
 * are set aside (`afterStructureEnd` then names them), never other bytes: a record cut short, or damaged, still
 * refuses the file. False unless the probe holds every byte from `end` to the end (in the head or the tail).
 */
export function appendedAfterRecords(probe: Probe, end: number): boolean {
  if (!(end >= 1 && end < probe.size)) return false;
  const rest = probeBytes(probe, end, probe.size - end);
  if (!rest || rest.length !== probe.size - end) return false;
  if (rest.every((b) => b === 0)) return true;
  return rest.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
}

/**
 * Where a file of whole `block`-byte pages from offset 0 ends: `wholeBlocksEnd` (a line end or NULs short of a
 * page), or else, when the bytes past the last whole page are text only, at least MIN_APPENDED_TEXT of them, read to
 * the end of the file (`appendedAfterRecords`: a note appended, a carve that ran on into a log), the size without
 * them. A page cut short starts with its binary page header, so it is never all text. Undefined otherwise.
 */
export function wholePagesEnd(probe: Probe, block: number): number | undefined {
  const end = wholeBlocksEnd(probe, 0, block);
  if (end !== undefined) return end;
  const over = probe.size % block;
  const at = probe.size - over;
  if (over < MIN_APPENDED_TEXT || at < block || probeBytes(probe, at, 1)?.[0] === 0) return undefined;
  return appendedAfterRecords(probe, at) ? at : undefined;
}

/** The fewest text bytes after ciphertext to set aside: 32 random ciphertext bytes are all text about once in 10^13. */
const MIN_APPENDED_TEXT = 32;
/** The fewest NULs to set aside: ciphertext ends in four zero bytes about once in 4 billion files. */
const MIN_APPENDED_ZEROS = 4;

/**
 * What a file held whole whose content runs to its end as ciphertext (no length field ends it: gocryptfs blocks, an
 * AES-GCM body and its tag) ends in that ciphertext does not: a run of NULs (`zeroPadding`, at least
 * MIN_APPENDED_ZEROS) or of text bytes (`trailingBytes`, printable ASCII, tabs and line ends, at least
 * MIN_APPENDED_TEXT): slack, a note appended, a carve that ran on into a log. Undefined otherwise, and for a file
 * read in part.
 */
export function appendedAfterCiphertext(probe: Probe): { zeroPadding: number } | { trailingBytes: number } | undefined {
  const h = probe.head;
  if (!probe.complete || h.length !== probe.size) return undefined;
  let zeros = 0;
  while (zeros < h.length && h[h.length - 1 - zeros] === 0) zeros++;
  if (zeros >= MIN_APPENDED_ZEROS) return { zeroPadding: zeros };
  const isText = (b: number) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f);
  let text = 0;
  while (text < h.length && isText(h[h.length - 1 - text]!)) text++;
  return text >= MIN_APPENDED_TEXT ? { trailingBytes: text } : undefined;
}

/** `detection` with the padding note of `info` added to its reasons, when there is one. */
export function notingZeroPadding<D extends Detection | undefined>(
  detection: D,
  info: { zeroPadding?: number; trailingBytes?: number } | undefined,
  judged?: string,
): D {
  const note = zeroPaddingNote(info, judged);
  if (!detection || !note || detection.reasons.some((r) => r.code === note.code)) return detection;
  return { ...detection, reasons: [...detection.reasons, note] };
}

/**
 * A quick test for text-only detectors, before they decode the head: whether it starts like text (a printable
 * ASCII byte, whitespace, a UTF-8 lead byte or a byte-order mark) and holds one of `marks` in its own byte
 * form (UTF-16LE when it has a byte-order mark or a NUL among its first two bytes, else ASCII).
 */
export function textMarks(marks: readonly string[]): (head: Uint8Array) => boolean {
  const ascii = marks.map((m) => Buffer.from(m, 'latin1'));
  const utf16 = marks.map((m) => Buffer.from(m, 'utf16le'));
  return (head) => {
    const c = head[0];
    if (c === undefined || !(c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c < 0x7f) || c >= 0xc2)) {
      return false;
    }
    const h = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
    const wide = (c === 0xff && h[1] === 0xfe) || (c === 0xfe && h[1] === 0xff) || h[1] === 0;
    return (wide ? utf16 : ascii).some((m) => h.includes(m));
  };
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';
/** `zeroPadding`: NUL bytes after the text that were set aside (paddedUtf8Text). */
type TextInfo = { text: string; encoding: TextEncoding; bomless?: boolean; zeroPadding?: number };
const textInfoCache = new WeakMap<Uint8Array, TextInfo | null>();

function sniffText(bytes: Uint8Array): TextInfo | undefined {
  if (bytes.length === 0) return undefined;
  // UTF-32's marks first: FF FE 00 00 would otherwise read as UTF-16's mark and a NUL.
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0)
    return utf32Text(bytes.subarray(4), 'utf-32le');
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff)
    return utf32Text(bytes.subarray(4), 'utf-32be');
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return controlled16(Buffer.from(bytes.subarray(2)).toString('utf16le'), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    swapped.swap16();
    return controlled16(swapped.toString('utf16le'), 'utf-16be');
  }
  const end = completeUtf8End(bytes);
  // Same answer as `controlled` below (a NUL in the first 512 characters means binary), before any decoding.
  if (bytes.subarray(0, 512).indexOf(0) >= 0) return bomless(bytes);
  const valid = bytes.subarray(0, end);
  // Validate before decoding: a strict decoder throws on binary, and an Error with its stack per
  // binary file cost more than the rest of text sniffing (CPU profile, docs/performance.md).
  if (!isUtf8(valid)) return bomless(bytes);
  const text = Buffer.from(valid.buffer, valid.byteOffset, valid.length).toString('utf8');
  return controlled(text.startsWith('\ufeff') ? text.slice(1) : text, 'utf-8');
}

/** Where `bytes` end without an incomplete multi-byte UTF-8 sequence cut at the probe boundary. */
function completeUtf8End(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = bytes[end - back]!;
    if ((b & 0xc0) === 0xc0) return back < (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) ? end - back : end;
    if ((b & 0xc0) !== 0x80) break;
  }
  return end;
}

/** A C0 control code other than tab, line feed, carriage return, form feed and escape (which text uses). */
function isControl(c: number): boolean {
  return c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27;
}

/**
 * Whether a window cut from inside a file (a probe's tail) is UTF-8 text: valid between character
 * boundaries, under 2% control characters. A NUL there is counted, not taken as proof of binary: Info
 * files mark index entries with NUL and backspace, logs embed the odd binary field.
 */
export function isUtf8TextWindow(bytes: Uint8Array): boolean {
  let start = 0;
  while (start < 3 && start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  const text = bytes.subarray(start, completeUtf8End(bytes));
  if (text.length === 0 || !isUtf8(text)) return false;
  let control = 0;
  for (const b of text) if (isControl(b)) control++;
  return control / text.length < 0.02;
}

/** UTF-16 without a byte-order mark: ASCII in it has a NUL in every other byte. */
function bomless(bytes: Uint8Array): TextInfo | undefined {
  const order16 = bomlessUtf16(bytes);
  const order32 = order16 ? undefined : bomlessUtf32(bytes);
  const found = order16 ? utf16Text(bytes, order16) : order32 ? utf32Text(bytes, order32) : undefined;
  return found && { ...found, bomless: true };
}

/** `bytes` (whole code points from the first) decoded as UTF-32 in `order`, when they read as text. */
export function utf32Text(bytes: Uint8Array, order: 'utf-32le' | 'utf-32be'): TextInfo | undefined {
  const points: number[] = [];
  for (let at = 0; at + 4 <= bytes.length; at += 4) {
    const c = codePoint32(bytes, at, order === 'utf-32le');
    if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return undefined;
    points.push(c);
  }
  return controlled(String.fromCodePoint(...points), order);
}

/** `bytes` (whole code units from the first) decoded as UTF-16 in `order`, when they read as text. */
export function utf16Text(bytes: Uint8Array, order: 'utf-16le' | 'utf-16be'): TextInfo | undefined {
  const even = Buffer.from(bytes.subarray(0, bytes.length & ~1));
  if (order === 'utf-16be') even.swap16();
  return controlled16(even.toString('utf16le'), order);
}

/**
 * UTF-16 read as text only when well formed and made of characters text uses: random bytes behind a
 * byte-order mark (1 file in 32,768) decode to almost no C0 controls, but to unpaired surrogates (3 % of
 * random units) and private-use or C1 code points (10 %). A pair cut at either end of a window is allowed.
 */
function controlled16<E extends 'utf-16le' | 'utf-16be'>(text: string, encoding: E): TextInfo | undefined {
  let unlikely = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else if (i + 1 < text.length) return undefined;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      if (i > 0) return undefined;
    } else if ((c >= 0x7f && c <= 0x9f) || (c >= 0xe000 && c <= 0xf8ff) || (c >= 0xfdd0 && c <= 0xfdef) || c >= 0xfffe)
      unlikely++;
  }
  return unlikely / text.length < 0.02 ? controlled(text, encoding) : undefined;
}

function controlled<E extends TextEncoding>(text: string, encoding: E): { text: string; encoding: E } | undefined {
  if (text.length === 0) return undefined;
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A NUL near the start means binary; a few later ones occur in logs and dumps that embed a binary field.
    if (c === 0 && i < 512) return undefined;
    if (isControl(c)) control++;
  }
  return control / text.length < 0.02 ? { text, encoding } : undefined;
}

/** Index of `needle` in `hay` from `from`, or -1. */
export function indexOf(hay: Uint8Array, needle: string | Uint8Array, from = 0): number {
  const n = typeof needle === 'string' ? Buffer.from(needle, 'latin1') : needle;
  return Buffer.from(hay.buffer, hay.byteOffset, hay.length).indexOf(n, from);
}

/** A 64-bit little-endian integer as a number (exact up to 2^53), or undefined when out of the bytes. */
export function u64le(b: Uint8Array, at: number): number | undefined {
  const lo = u32le(b, at);
  const hi = u32le(b, at + 4);
  if (lo === undefined || hi === undefined) return undefined;
  return hi * 0x1_0000_0000 + lo;
}

/** A 64-bit big-endian integer as a number (exact up to 2^53). */
export function u64be(b: Uint8Array, at: number): number | undefined {
  const hi = u32be(b, at);
  const lo = u32be(b, at + 4);
  if (lo === undefined || hi === undefined) return undefined;
  return hi * 0x1_0000_0000 + lo;
}

// Bytes as latin1 text (one char per byte), for magic strings: the contract's helper, for the detectors here.
export { ascii };

/** The whole file's bytes when the probe holds them, else the head and the tail joined (for keyword searches). */
export function headAndTail(probe: { head: Uint8Array; tail: Uint8Array }): string {
  return probe.tail.length > 0 ? `${ascii(probe.head)}\n${ascii(probe.tail)}` : ascii(probe.head);
}

/** Decodes base64 (ignoring whitespace), or returns undefined when the text is not base64. */
export function fromBase64(text: string): Buffer | undefined {
  const clean = text.replace(/\s+/g, '');
  if (clean.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined;
  return Buffer.from(clean.slice(0, clean.length - (clean.length % 4 === 1 ? 1 : 0)), 'base64');
}

/**
 * The bytes of an ASCII-armored block (RFC 4880 §6.2) whose BEGIN line ends at `at` (after its line
 * break): armor headers up to the first blank line are skipped, and the base64 body runs to the
 * checksum line or the END line; at most `maxChars` base64 characters are decoded.
 */
export function dearmor(text: string, at: number, maxChars = Infinity): Buffer | undefined {
  const rest = text.slice(at);
  const blank = rest.search(/\r?\n\r?\n|^\r?\n/);
  const body = (blank >= 0 ? rest.slice(blank) : rest).split('-----END')[0]!.split(/\r?\n=/)[0]!;
  const clean = body.replace(/\s+/g, '');
  const n = Math.min(clean.length, maxChars);
  return fromBase64(clean.slice(0, n - (n % 4)));
}

/** Lowercase extension of a file name before a trailing split-volume number, e.g. `a.7z.002` -> `7z`. */
export function isSplitVolumeName(name: string): boolean {
  // A bare three-digit extension from 002 on is the usual split naming too (7-Zip -v, HJSplit, split -d): .001 holds the
  // header. .263 to .266 are raw H.263-H.266 video streams, not volumes.
  return (
    /\.(7z|zip|rar|tar|gz|tgz|xz|bz2|zst|dmg|img|bin|iso|e01|aff)\.\d{2,4}$/i.test(name) ||
    /\.(z|r)\d{2}$/i.test(name) ||
    /\.part\d+\.rar$/i.test(name) ||
    /\.(?!000|001|26[3-6]$)\d{3}$/.test(name)
  );
}

/** What the detectors below need to build a detection without repeating the shape each time. */
export interface VerdictInput {
  id: string;
  name: string;
  mime?: string;
  confidence: number;
  code: string;
  message: string;
  figures?: Record<string, string | number | boolean>;
  details?: Record<string, unknown>;
}

/** An `analysable` or `opaque` detection with one reason. */
export function plain(status: 'analysable' | 'opaque', v: VerdictInput): Detection {
  const d: Detection = {
    format: v.mime ? { id: v.id, name: v.name, mime: v.mime } : { id: v.id, name: v.name },
    status,
    confidence: v.confidence,
    reasons: [
      v.figures ? { code: v.code, message: v.message, figures: v.figures } : { code: v.code, message: v.message },
    ],
  };
  if (v.details) d.details = v.details;
  return d;
}

/** An `encrypted` detection with its scheme and key hint. */
export function locked(v: VerdictInput & { scheme: string; scope?: 'full' | 'partial'; keyHint: KeyHint }): Detection {
  return {
    ...plain('analysable', v),
    status: 'encrypted',
    encryption: { scheme: v.scheme, scope: v.scope ?? 'full', keyHint: v.keyHint },
  };
}

/** A key hint for a secret a person types (a password or passphrase): never a file in the extraction. */
export function passwordHint(description: string): KeyHint {
  return { description, kind: 'password', present: 'unknown' };
}

/** One protobuf field read without a schema. */
export interface ProtoField {
  field: number;
  wire: number;
  /** The varint value (wire type 0), else the length or fixed width. */
  value: number;
  /** The field's bytes for length-delimited fields. */
  bytes?: Uint8Array;
}

/** A little-endian base-128 varint (protobuf, RAR5 vint): [value, next offset], or undefined when cut short. */
export function varint(b: Uint8Array, at: number): [number, number] | undefined {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    const c = b[at + i];
    if (c === undefined) return undefined;
    v += (c & 0x7f) * mul;
    mul *= 128;
    if ((c & 0x80) === 0) return [v, at + i + 1];
  }
  return undefined;
}

/** Group nesting beyond this is not a message any app writes (and bounds the walk's stack). */
const MAX_GROUP_DEPTH = 64;

/**
 * Walks a protobuf message without a schema. Returns undefined unless the
 * bytes parse exactly into at most `maxFields` fields with valid wire types.
 * With `groups`, proto2 groups (wire types 3 and 4) are read too: each start
 * is a field, and its end must close the innermost open group of the same
 * field number before the message ends.
 */
export function protoFields(
  b: Uint8Array,
  start = 0,
  end = b.length,
  maxFields = 256,
  groups = false,
): ProtoField[] | undefined {
  const out: ProtoField[] = [];
  const open: number[] = [];
  let at = start;
  while (at < end) {
    if (out.length >= maxFields) return undefined;
    const key = varint(b, at);
    if (!key) return undefined;
    const [k, next] = key;
    const field = Math.floor(k / 8);
    const wire = k % 8;
    if (field === 0) return undefined;
    at = next;
    if (wire === 0) {
      const v = varint(b, at);
      if (!v) return undefined;
      out.push({ field, wire, value: v[0] });
      at = v[1];
    } else if (wire === 2) {
      const len = varint(b, at);
      if (!len || len[1] + len[0] > end) return undefined;
      out.push({ field, wire, value: len[0], bytes: b.subarray(len[1], len[1] + len[0]) });
      at = len[1] + len[0];
    } else if (wire === 1 || wire === 5) {
      const w = wire === 1 ? 8 : 4;
      if (at + w > end) return undefined;
      out.push({ field, wire, value: w });
      at += w;
    } else if (groups && wire === 3 && open.length < MAX_GROUP_DEPTH) {
      open.push(field);
      out.push({ field, wire, value: 0 });
    } else if (groups && wire === 4 && open[open.length - 1] === field) {
      open.pop();
    } else return undefined;
  }
  return at === end && open.length === 0 ? out : undefined;
}

/** One DER TLV: tag byte, value start and end (exclusive). */
export interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/**
 * The TLV header at `at`: tag, value start and length, or length -1 for BER's
 * indefinite form (a constructed value ended by two zero bytes); at most four
 * length bytes.
 */
function tlvHeader(b: Uint8Array, at: number): { tag: number; start: number; length: number } | undefined {
  const tag = b[at];
  const first = b[at + 1];
  if (tag === undefined || first === undefined) return undefined;
  if (first === 0x80) return { tag, start: at + 2, length: -1 };
  if (!(first & 0x80)) return { tag, start: at + 2, length: first };
  const n = first & 0x7f;
  if (n > 4) return undefined;
  let length = 0;
  for (let i = 0; i < n; i++) {
    const c = b[at + 2 + i];
    if (c === undefined) return undefined;
    length = length * 256 + c;
  }
  return { tag, start: at + 2 + n, length };
}

/** Reads the DER TLV at `at`; undefined when malformed or past the bytes' end (unless `allowTruncated`). */
export function derTlv(b: Uint8Array, at: number, allowTruncated = false): Tlv | undefined {
  const h = tlvHeader(b, at);
  if (!h || h.length < 0) return undefined;
  const end = h.start + h.length;
  if (end > b.length && !allowTruncated) return undefined;
  return { tag: h.tag, start: h.start, end };
}

/** A BER element's header at `at`: as derTlv (the end may lie past the bytes), or no end for an indefinite length. */
export function berTlv(b: Uint8Array, at: number): { tag: number; start: number; end?: number } | undefined {
  const h = tlvHeader(b, at);
  if (!h || (h.length < 0 && (h.tag & 0x20) === 0)) return undefined;
  return h.length < 0 ? { tag: h.tag, start: h.start } : { tag: h.tag, start: h.start, end: h.start + h.length };
}

/** Bytes `from` to `to` as lowercase hex (magic numbers, OIDs, salts in reasons). */
export function hexOf(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.subarray(from, to)).toString('hex');
}

/** A binary GUID (little-endian first three fields) as text; 'unknown' when it runs past the bytes. */
export function guidAt(b: Uint8Array, at: number): string {
  const le = (from: number, len: number) =>
    Buffer.from(b.subarray(from, from + len))
      .reverse()
      .toString('hex');
  if (at + 16 > b.length) return 'unknown';
  return `${le(at, 4)}-${le(at + 4, 2)}-${le(at + 6, 2)}-${hexOf(b, at + 8, at + 10)}-${hexOf(b, at + 10, at + 16)}`;
}

/** `n` bytes at absolute offset `at` of the file, from the probe's head or tail, when the probe holds them. */
export function probeBytes(probe: Probe, at: number, n: number): Uint8Array | undefined {
  return probeFrom(probe, at, n)?.subarray(0, n);
}

/** The probe's bytes from absolute offset `at` to the end of the head or tail that holds at least `min` of them. */
export function probeFrom(probe: Probe, at: number, min: number): Uint8Array | undefined {
  if (at < 0 || at + min > probe.size) return undefined;
  if (at + min <= probe.head.length) return probe.head.subarray(at);
  const tailStart = probe.size - probe.tail.length;
  if (probe.tail.length > 0 && at >= tailStart) return probe.tail.subarray(at - tailStart);
  return undefined;
}

/**
 * The file's last bytes the probe holds, with the absolute offset of the first: the tail, joined to the head
 * when the two meet (a file a little longer than the head has a short tail), or the head when it is the file.
 */
export function endOfFile(probe: Probe): { bytes: Uint8Array; at: number } {
  const { head, tail, size } = probe;
  if (tail.length === 0) return { bytes: head, at: 0 };
  if (head.length + tail.length >= size && tail.length < head.length) {
    const joined = new Uint8Array(size);
    joined.set(head.subarray(0, size - tail.length), 0);
    joined.set(tail, size - tail.length);
    return { bytes: joined, at: 0 };
  }
  return { bytes: tail, at: size - tail.length };
}

/**
 * The first TAR header's checksum (bytes 148-155, octal digits ended by NUL or space): the sum
 * of the header's 512 bytes with that field counted as spaces (some old tars summed signed
 * bytes). Five letters at offset 257 are weak: text that mentions "ustar" there is not a TAR.
 */
export function tarChecksumOk(h: Uint8Array): boolean {
  if (h.length < 512) return false;
  const field = ascii(h, 148, 156).replace(/^[ \0]+|[ \0]+$/g, '');
  if (!/^[0-7]{1,8}$/.test(field)) return false;
  const stored = parseInt(field, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** A stretch of the file the probe read: the head, each sample, the tail. */
export interface ProbeWindow {
  /** Offset of the window in the file. */
  at: number;
  bytes: Uint8Array;
}

/** The probe's bytes as windows at their offsets in the file (head, samples, tail). */
export function probeWindows(probe: Probe): ProbeWindow[] {
  const out: ProbeWindow[] = [{ at: 0, bytes: probe.head }];
  for (const s of probe.samples) out.push({ at: s.offset, bytes: s.bytes });
  if (probe.tail.length > 0) out.push({ at: probe.size - probe.tail.length, bytes: probe.tail });
  return out;
}

/** A byte of plain ASCII text: printable, tab, line feed or carriage return. */
export const isAsciiTextByte = (c: number): boolean =>
  (c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d;

/** RC4 over `data` (OpenSSL 3 keeps RC4 in its legacy provider): Office 97-2003, PDF, Access and Defender use it. */
export function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

/** The first `length` bytes of RC4's key stream under `key`. */
export function rc4Keystream(key: Uint8Array, length: number): Buffer {
  return rc4(key, new Uint8Array(length));
}
