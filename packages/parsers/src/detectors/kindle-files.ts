/**
 * Kindle files the `mobi` detector does not read, as Kindle apps keep them:
 *
 * - **Topaz books** (.tpz, .azw1, and .azw from older Kindle apps): "TPZ0",
 *   a count of header records, each the byte 0x63, a length-prefixed tag
 *   and its [offset, length, compressed length] triples, then 0x64 where the
 *   payload begins. A `dkey` record holds the book key wrapped under the
 *   reader's PID; with it the page records are encrypted (Topaz's own byte
 *   cipher), without it the book is clear. Numbers are 7-bit big-endian
 *   groups, the high bit on every byte but the last; 0xFF before a number
 *   makes it negative.
 * - **KFX vouchers** (`<ASIN>.voucher` beside a DRMION book): Amazon Ion
 *   binary (version marker E0 01 00 EA) whose local symbol table imports
 *   Amazon's "ProtectedData" shared table, then a VoucherEnvelope struct: the
 *   book's AES key in an encrypted KeySet, under a key derived from the
 *   account secret and the device serial (the PIDv3 strategy's lock
 *   parameters). The voucher is what the DRMION book needs, locked itself.
 *
 * - **Other Amazon Ion binary** (Kindle's reading-position and metadata
 *   sidecars): the version marker, a local symbol table, then top-level
 *   values that chain to the end of the bytes read; readable.
 *
 * References: DeDRM's topazextract.py (header records, dkey, encoded
 * numbers) and ion.py (the ProtectedData symbol list, VoucherEnvelope and
 * PIDv3); Amazon Ion 1.0 binary encoding (type descriptors, VarUInt,
 * annotation wrappers, local symbol tables and imports).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, indexOf, locked, plain, startsWith } from './util.js';

/** Header records read at most: a Topaz book has a handful of tags (dkey, metadata, page, glyphs, img, …). */
const MAX_TOPAZ_RECORDS = 64;
const MAX_TAG = 16;

/** A Topaz encoded number at `at`: [value, next], or undefined when cut short or absurdly long. */
function topazNumber(b: Uint8Array, at: number): [number, number] | undefined {
  let negative = false;
  if (b[at] === 0xff) {
    negative = true;
    at++;
  }
  let value = 0;
  for (let n = 0; n < 5; n++, at++) {
    const byte = b[at];
    if (byte === undefined) return undefined;
    value = value * 128 + (byte & 0x7f);
    if (byte < 0x80) return [negative ? -value : value, at + 1];
  }
  return undefined;
}

interface TopazHeader {
  tags: string[];
  /** The end marker (0x64) was read: every header record is known. */
  complete: boolean;
}

/**
 * The Topaz header records the head holds. A header the head cuts short counts only with two whole records read:
 * four bytes of magic and one short record are too little to believe.
 */
function topazHeader(h: Uint8Array, size: number): TopazHeader | undefined {
  if (!startsWith(h, 'TPZ0')) return undefined;
  const count = topazNumber(h, 4);
  if (!count || count[0] < 1 || count[0] > MAX_TOPAZ_RECORDS) return undefined;
  let at = count[1];
  const tags: string[] = [];
  const cut = (read: string[]) => (read.length >= 2 ? { tags: read, complete: false } : undefined);
  for (let r = 0; r < count[0]; r++) {
    if (at >= h.length) return cut(tags);
    if (h[at] !== 0x63) return undefined;
    const length = topazNumber(h, at + 1);
    if (!length || length[0] < 3 || length[0] > MAX_TAG) return undefined;
    if (length[1] + length[0] > h.length) return cut(tags);
    const tag = ascii(h, length[1], length[1] + length[0]);
    if (!/^[a-z]+$/.test(tag)) return undefined; // dkey, metadata, page, glyphs, img, color, fonts, other…
    at = length[1] + length[0];
    const values = topazNumber(h, at);
    if (!values) return cut(tags);
    if (values[0] < 1) return undefined;
    at = values[1];
    // Each value: offset, length, compressed length; the offsets ascend inside the file.
    let previous = -1;
    for (let v = 0; v < values[0] * 3; v++) {
      const n = topazNumber(h, at);
      if (!n) return cut([...tags, tag]);
      if (n[0] < 0) return undefined;
      if (v % 3 === 0) {
        if (n[0] > size || n[0] < previous) return undefined;
        previous = n[0];
      }
      at = n[1];
    }
    tags.push(tag);
  }
  if (at >= h.length) return cut(tags);
  return h[at] === 0x64 ? { tags, complete: true } : undefined;
}

const ION_VERSION_MARKER = '\xe0\x01\x00\xea';
/** Ion's $ion_symbol_table annotation, and the ProtectedData import name as a field: name (sid 4), a 13-byte string. */
const ION_SYMBOL_TABLE_SID = 3;
const PROTECTED_DATA_IMPORT = '\x84\x8dProtectedData';
/**
 * VoucherEnvelope versions by symbol id when ProtectedData is the first import (its ids from 10, after Ion's system
 * symbols), as in the vouchers DeDRM reads; another layout of imports leaves the version unnamed.
 */
const VOUCHER_ENVELOPES: Record<number, number> = { 63: 1, 72: 2, 73: 3 };

/** An Ion VarUInt at `at` (high bit on the last byte): [value, next]. */
function varUInt(b: Uint8Array, at: number): [number, number] | undefined {
  let value = 0;
  for (let n = 0; n < 4; n++, at++) {
    const byte = b[at];
    if (byte === undefined) return undefined;
    value = value * 128 + (byte & 0x7f);
    if (byte & 0x80) return [value, at + 1];
  }
  return undefined;
}

/** An Ion value's type, first annotation (when wrapped) and where it ends, at `at`. */
function ionValue(
  b: Uint8Array,
  at: number,
): { type: number; annotation?: number; body: number; end: number } | undefined {
  const td = b[at];
  if (td === undefined) return undefined;
  const type = td >> 4;
  let length = td & 0x0f;
  let body = at + 1;
  if (type === 0xf) return undefined; // reserved
  // A null of any type and a boolean carry no body; a sorted struct (D1) gives its length as a VarUInt.
  if (length === 15 || type === 1) return { type, body, end: body };
  if (length === 14 || (type === 0xd && length === 1)) {
    const l = varUInt(b, body);
    if (!l) return undefined;
    [length, body] = l;
  }
  if (type !== 0xe) return { type, body, end: body + length };
  if (length < 3) return undefined; // an annotation wrapper holds its annotations' length, one annotation and a value
  const annotationsLength = varUInt(b, body);
  const first = annotationsLength && varUInt(b, annotationsLength[1]);
  if (!annotationsLength || !first) return undefined;
  const innerAt = annotationsLength[1] + annotationsLength[0];
  if ((b[innerAt] ?? 0xe0) >> 4 === 0xe) return undefined; // a wrapper never wraps a wrapper (and no deep recursion)
  const inner = ionValue(b, innerAt);
  if (!inner || inner.end !== body + length) return undefined;
  return { type: inner.type, annotation: first[0], body: inner.body, end: body + length };
}

/**
 * A KFX voucher: Ion, a symbol table importing ProtectedData, then an annotated struct (the VoucherEnvelope);
 * its envelope version when the annotation's id names one.
 */
function voucher(h: Uint8Array): { version?: number } | undefined {
  if (!startsWith(h, ION_VERSION_MARKER)) return undefined;
  const table = ionValue(h, 4);
  if (!table || table.annotation !== ION_SYMBOL_TABLE_SID || table.type !== 0xd || table.end > h.length)
    return undefined;
  const name = indexOf(h.subarray(0, table.end), PROTECTED_DATA_IMPORT, table.body);
  if (name < 0) return undefined;
  const envelope = ionValue(h, table.end);
  if (!envelope || envelope.type !== 0xd || envelope.annotation === undefined) return undefined;
  const version = VOUCHER_ENVELOPES[envelope.annotation];
  return version === undefined ? {} : { version };
}

/** Top-level values walked at most (a reading-position file has a handful; a book's fragments thousands). */
const MAX_ION_VALUES = 4096;

/**
 * Ion binary: the version marker, a local symbol table (an $ion_symbol_table struct, as every Ion writer puts first
 * when the data names anything), then top-level values each ending where the next begins, up to the head's end or
 * the file's.
 */
function ionValues(h: Uint8Array, size: number): number | undefined {
  if (!startsWith(h, ION_VERSION_MARKER)) return undefined;
  const table = ionValue(h, 4);
  if (!table || table.annotation !== ION_SYMBOL_TABLE_SID || table.type !== 0xd || table.end > size) return undefined;
  let at = table.end;
  let values = 1;
  while (at < Math.min(h.length, size) && values < MAX_ION_VALUES) {
    if (startsWith(h, ION_VERSION_MARKER, at)) {
      at += 4;
      continue;
    }
    const v = ionValue(h, at);
    if (!v || v.end > size) return undefined;
    values++;
    if (v.end > h.length) break; // goes on past the head, inside the file
    at = v.end;
  }
  return values;
}

/**
 * Where Kindle apps keep the secrets their DRM keys come from (DeDRM's androidkindlekey.py and kindlekey.py):
 * Kindle for Android's obfuscated store and account database, Kindle for PC/Mac's token stores, and DeDRM's own
 * key databases. Exported for the mobi detector's DRM kinds.
 */
export const KINDLE_KEY_FILES = [
  '**/com.amazon.kindle/shared_prefs/AmazonSecureStorage.xml',
  '**/com.amazon.kindle/databases/map_data_storage*.db',
  '**/Kindle/storage/.kinf20*',
  '**/*.k4i',
];

const TOPAZ = { id: 'topaz', name: 'Kindle Topaz book' };
const TOPAZ_DRM = { id: 'topaz-drm', name: 'Kindle Topaz book with DRM' };
const VOUCHER = { id: 'kindle-voucher', name: 'Kindle KFX DRM voucher (wrapped book key)' };
const ION = { id: 'amazon-ion', name: 'Amazon Ion binary data' };

export const kindleFilesDetector = defineDetector({
  meta: {
    id: 'kindle-files',
    version: '1.0.0',
    title: 'Kindle Topaz books, KFX DRM vouchers and Amazon Ion data',
    indexPatterns: KINDLE_KEY_FILES,
    formats: [
      { ...TOPAZ, status: 'analysable', how: 'structure', extensions: ['tpz', 'azw1', 'azw'] },
      { ...TOPAZ_DRM, status: 'encrypted', how: 'structure', extensions: ['tpz', 'azw1', 'azw'] },
      { ...VOUCHER, status: 'encrypted', how: 'structure', extensions: ['voucher'] },
      { ...ION, status: 'analysable', how: 'structure', extensions: ['ion', 'yjr', 'yjf'] },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'TPZ0' },
    { offset: 0, hex: 'e00100ea' },
  ],
  minSize: 8,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const found = voucher(h);
    if (found) {
      const { version } = found;
      return locked({
        ...VOUCHER,
        confidence: 0.95,
        code: 'KINDLE_VOUCHER',
        message: `Amazon Ion binary whose symbol table imports Amazon's ProtectedData DRM symbols, holding ${version === undefined ? 'an annotated struct (its envelope)' : `a VoucherEnvelope@${version}.0`}: the key of a KFX book in a DRMION envelope, itself encrypted for one account and device.`,
        figures: version === undefined ? {} : { envelopeVersion: version },
        scheme: 'kindle-pidv3-voucher',
        keyHint: {
          description:
            "The Kindle account secret and the device serial (DSN) or app client id the voucher's PIDv3 lock names: the Kindle app keeps them in its own storage (Android: com.amazon.kindle's databases and shared preferences; Windows/macOS: the .kinf2018 token store).",
          kind: 'keystore',
          present: 'unknown',
          lookFor: KINDLE_KEY_FILES,
        },
      });
    }
    const values = ionValues(h, probe.size);
    if (values !== undefined) {
      return plain('analysable', {
        ...ION,
        confidence: 0.85,
        code: 'ION_BINARY',
        message: `Amazon Ion binary (version marker E0 01 00 EA, a local symbol table, then ${values - 1} more top-level value(s), each ending where the next begins): self-describing data, readable with an Ion reader (Kindle apps keep reading positions and book metadata this way).`,
        figures: { topLevelValues: values },
      });
    }
    const topaz = topazHeader(h, probe.size);
    if (!topaz) return undefined;
    const tags = topaz.tags.join(', ');
    const figures = { headerRecords: topaz.tags.length, complete: topaz.complete };
    if (topaz.tags.includes('dkey')) {
      return locked({
        ...TOPAZ_DRM,
        confidence: 0.93,
        code: 'TOPAZ_DKEY',
        message: `Topaz book ("TPZ0", header records ${tags}) with a dkey record: the book key is wrapped under the reader's PID and the page records are encrypted.`,
        figures,
        scheme: 'kindle-topaz',
        keyHint: {
          description:
            "The Kindle reader's PID (from the device serial number, or the Kindle app's account data), which unwraps the book key in the dkey record.",
          kind: 'keystore',
          present: 'unknown',
          lookFor: KINDLE_KEY_FILES,
        },
      });
    }
    // Without the end marker a dkey could follow past the head: said, and believed less.
    return plain('analysable', {
      ...TOPAZ,
      confidence: topaz.complete ? 0.9 : 0.6,
      code: 'TOPAZ_CLEAR',
      message: topaz.complete
        ? `Topaz book ("TPZ0", header records ${tags}, then the payload marker) with no dkey record: not encrypted.`
        : `Topaz book ("TPZ0", header records ${tags}); the header goes on past the bytes read and no dkey record was among those.`,
      figures,
    });
  },
});
