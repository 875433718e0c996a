/**
 * dar (Disk ARchive) slices, with the encryption the archive header records in clear.
 * dar output is compressed or encrypted block data behind a clear slice header, so by
 * statistics a plain archive is opaque and an encrypted one is ciphertext of no named
 * scheme; the headers say which.
 * Layout (libdar header.cpp, header_version.cpp, archive_version.cpp, header_flags.cpp;
 * integers big-endian): every slice starts with the magic 0x0000007b, a 10-byte internal
 * label, a flag ('T' last slice, 'N' not last, 'E' unknown) and an extension byte ('T':
 * a list of TLVs, u16 type and "infinint" length, carrying the slice sizes and the data
 * name; 'S' and 'N' before format 8). The first slice goes on with the archive header:
 * the format version (two digits plus 48 each, a fix digit from format 8, a NUL), the
 * compression letter, the user comment (NUL-terminated), the flags (bytes read while
 * bit 0 is set, the last one holding the oldest bits: 0x20 ciphered, 0x08 initial
 * offset, 0x04 a key wrapped by GnuPG; 0x0400 of the whole field: KDF parameters), the
 * initial offset, the cipher letter (format 9 on), the wrapped key, and the salt,
 * iteration count and KDF hash. The last slice ends with a copy of that header (the
 * trailer) and a terminator. An "infinint" is n groups of 4 bytes, announced by
 * floor((n-1)/8) zero bytes and a byte with bit 7 - ((n-1) mod 8) set.
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { isRandom } from './statistics-figures.js';
import { locked, plain, u16be } from './util.js';
import { randomnessFigures } from '@evtriage/core/helpers';

const SLICE_MAGIC = [0, 0, 0, 0x7b];
const LABEL_SIZE = 10;
const SLICE_FLAGS = 'TNE';
/** Compression letters (libdar compression.cpp): none, gzip, bzip2, lzo, xz, lzo1x variants, zstd, lz4. */
const COMPRESSION: Record<string, string> = {
  n: 'none',
  z: 'gzip',
  y: 'bzip2',
  l: 'lzo',
  x: 'xz',
  j: 'lzo1x-1-15',
  k: 'lzo1x-1',
  d: 'zstd',
  q: 'lz4',
};
/** Cipher letters (libdar crypto.cpp). */
const CIPHERS: Record<string, string> = {
  s: 'scrambling',
  b: 'blowfish',
  a: 'aes256',
  t: 'twofish256',
  p: 'serpent256',
  c: 'camellia256',
};
/** KDF hash letters (libdar hash_algo): md5, sha1, sha512, whirlpool, argon2. */
const KDF_HASHES: Record<string, string> = { m: 'md5', '1': 'sha1', '5': 'sha512', w: 'whirlpool', a: 'argon2' };
const FLAG_SCRAMBLED = 0x20;
const FLAG_INITIAL_OFFSET = 0x08;
const FLAG_CRYPTED_KEY = 0x04;
const FLAG_REF_SLICING = 0x02;
const FLAG_REF_HEADER = 0x8000;
const FLAG_REF_VERSION = 0x4000;
const FLAG_KDF = 0x0400;
/** Format versions dar has written (1 to 12 by dar 2.8); a little room for later ones. */
const MAX_EDITION = 24;
const MAX_COMMENT = 4096;
/** The trailer ends within this many bytes of the file's end (its CRC, the terminator). */
const TRAILER_SLACK = 48;
const TRAILER_WINDOW = 4096;
/** Below this many bytes after a slice header the statistics cannot tell ciphertext. */
const MIN_BODY = 256;

/** A libdar infinint at `at`: [value, next offset]; only values of up to two groups (8 bytes) are read. */
export function infinint(b: Uint8Array, at: number): [number, number] | undefined {
  if (b[at] === 0) return undefined; // more than 8 groups: no field of these headers is that large
  const m = b[at];
  if (m === undefined || (m & (m - 1)) !== 0) return undefined;
  const groups = 8 - Math.log2(m);
  if (groups > 2) return undefined;
  const end = at + 1 + groups * 4;
  if (end > b.length) return undefined;
  let v = 0;
  for (let i = at + 1; i < end; i++) v = v * 256 + b[i]!;
  return Number.isSafeInteger(v) ? [v, end] : undefined;
}

interface SliceHeader {
  flag: string;
  end: number;
  /** A TLV list (format 8 on): structure enough to name a slice without an archive header. */
  tlv: boolean;
  sliceSize?: number;
  firstSliceSize?: number;
}

/** The slice header at the start of every slice. */
function sliceHeader(h: Uint8Array): SliceHeader | undefined {
  if (h.length < 16 || SLICE_MAGIC.some((v, i) => h[i] !== v)) return undefined;
  const flag = String.fromCharCode(h[4 + LABEL_SIZE]!);
  const extension = String.fromCharCode(h[5 + LABEL_SIZE]!);
  if (!SLICE_FLAGS.includes(flag)) return undefined;
  let at = 6 + LABEL_SIZE;
  if (extension === 'N') return { flag, end: at, tlv: false };
  if (extension === 'S') {
    const size = infinint(h, at);
    return size ? { flag, end: size[1], tlv: false, sliceSize: size[0] } : undefined;
  }
  if (extension !== 'T') return undefined;
  const count = infinint(h, at);
  if (!count || count[0] === 0 || count[0] > 16) return undefined;
  at = count[1];
  const out: SliceHeader = { flag, end: at, tlv: true };
  let named = false;
  for (let i = 0; i < count[0]; i++) {
    const type = u16be(h, at);
    const length = infinint(h, at + 2);
    if (type === undefined || !length || length[0] > 64 || length[1] + length[0] > h.length) return undefined;
    const value = h.subarray(length[1], length[1] + length[0]);
    if (type === 1 || type === 2) {
      const size = infinint(value, 0);
      if (!size || size[1] !== value.length) return undefined;
      if (type === 1) out.sliceSize = size[0];
      else out.firstSliceSize = size[0];
    } else if (type === 3) {
      if (length[0] !== LABEL_SIZE) return undefined;
      named = true;
    }
    at = length[1] + length[0];
  }
  // dar 2.4 on always writes the data name (TLV 3).
  if (!named) return undefined;
  out.end = at;
  return out;
}

export interface ArchiveHeader {
  edition: string;
  compression: string;
  comment: string;
  flags: number;
  cipher?: string;
  wrappedKey: boolean;
  kdf?: { saltBytes: number; iterations: number; hash: string };
  end: number;
}

/** The archive header (header_version) at `at`, or undefined when the bytes there are not one. */
export function archiveHeader(h: Uint8Array, at: number): ArchiveHeader | undefined {
  if (at + 8 > h.length) return undefined;
  const d0 = h[at]! - 48;
  const d1 = h[at + 1]! - 48;
  if (d0 !== 0 || d1 < 1 || d1 > MAX_EDITION) return undefined;
  let p = at + 2;
  let edition = String(d1);
  if (d1 >= 8) {
    const fix = h[p]! - 48;
    if (fix < 0 || fix > 9 || h[p + 1] !== 0) return undefined;
    if (fix > 0) edition += `.${fix}`;
    p += 2;
  } else {
    if (h[p] !== 0) return undefined;
    p += 1;
  }
  const letter = String.fromCharCode(h[p]!);
  const compression = COMPRESSION[letter.toLowerCase()];
  if (!compression) return undefined;
  p += 1;
  const nul = h.indexOf(0, p);
  if (nul < 0 || nul - p > MAX_COMMENT) return undefined;
  // The comment is the command line or the user's text: no control bytes but tab and line breaks.
  for (let i = p; i < nul; i++)
    if ((h[i]! < 0x20 && h[i] !== 9 && h[i] !== 10 && h[i] !== 13) || h[i] === 0x7f) return undefined;
  const comment = Buffer.from(h.subarray(p, nul)).toString('utf8');
  p = nul + 1;
  let flags = 0;
  if (d1 > 1) {
    let n = 0;
    for (;;) {
      const byte = h[p++];
      if (byte === undefined || ++n > 3) return undefined;
      flags = flags * 256 + (byte & 0xfe);
      if ((byte & 1) === 0) break;
    }
  }
  const out: ArchiveHeader = { edition, compression, comment, flags, wrappedKey: false, end: p };
  if (flags & FLAG_INITIAL_OFFSET) {
    const offset = infinint(h, p);
    if (!offset) return undefined;
    p = offset[1];
  }
  if (flags & FLAG_SCRAMBLED) {
    if (d1 >= 9) {
      const cipher = CIPHERS[String.fromCharCode(h[p] ?? 0)];
      if (!cipher) return undefined;
      out.cipher = cipher;
      p += 1;
    } else out.cipher = 'unknown';
  }
  if (flags & FLAG_CRYPTED_KEY) {
    const size = infinint(h, p);
    if (!size) return undefined;
    out.wrappedKey = true;
    p = size[1] + size[0];
  }
  // The KDF fields follow the reference archive's header when there is one; those are not read here.
  if (flags & FLAG_KDF && !(flags & (FLAG_REF_SLICING | FLAG_REF_HEADER | FLAG_REF_VERSION))) {
    const salt = infinint(h, p);
    if (salt && salt[0] <= 1024) {
      const iterations = infinint(h, salt[1] + salt[0]);
      const hash = iterations && KDF_HASHES[String.fromCharCode(h[iterations[1]] ?? 0)];
      if (iterations && hash) {
        out.kdf = { saltBytes: salt[0], iterations: iterations[0], hash };
        p = iterations[1] + 1;
      }
    }
  }
  out.end = Math.min(p, h.length);
  return out;
}

/** The trailer (the archive header's copy) near the end of a last slice, searched from the end. */
function trailer(end: Uint8Array): ArchiveHeader | undefined {
  const from = Math.max(0, end.length - TRAILER_WINDOW);
  for (let at = end.length - 12; at >= from; at--) {
    if (end[at] !== 48 || end[at + 3] !== 0) continue;
    const header = archiveHeader(end, at);
    // The trailer's CRC and the terminator follow it, and nothing else.
    if (header && end.length - header.end <= TRAILER_SLACK) return header;
  }
  return undefined;
}

function keyHint(header: ArchiveHeader): KeyHint {
  if (header.wrappedKey)
    return {
      description: "The GnuPG private key of a recipient the archive's key was encrypted to (dar -K gnupg:…).",
      kind: 'keystore',
      present: 'unknown',
    };
  return {
    description: 'The dar passphrase (dar -K <cipher>:<pass>, or typed at the prompt).',
    kind: 'password',
    present: 'unknown',
  };
}

function describe(header: ArchiveHeader, where: string): string {
  const kdf = header.kdf
    ? `, key from the passphrase by ${header.kdf.hash} (${header.kdf.iterations} iterations, ${header.kdf.saltBytes}-byte salt)`
    : '';
  const cipher = header.cipher
    ? `cipher ${header.cipher}${header.wrappedKey ? ', key wrapped by GnuPG' : ''}${kdf}`
    : 'no cipher';
  return `dar archive header (${where}): format ${header.edition}, compression ${header.compression}, flags 0x${header.flags.toString(16)}: ${cipher}`;
}

function verdict(header: ArchiveHeader, where: string, slice: SliceHeader, confidence: number): Detection {
  const figures = {
    format: header.edition,
    compression: header.compression,
    flags: header.flags,
    sliceFlag: slice.flag,
    ...(header.kdf ? { kdfIterations: header.kdf.iterations } : {}),
  };
  if (header.cipher || header.wrappedKey) {
    return locked({
      id: 'dar-encrypted',
      name: 'dar archive, encrypted',
      confidence,
      code: 'DAR_CIPHERED',
      message: `${describe(header, where)}; the archive's data is encrypted.`,
      figures: { ...figures, cipher: header.cipher ?? 'unknown' },
      scheme: `dar-${header.cipher ?? 'unknown'}${header.wrappedKey ? '-gnupg' : ''}`,
      keyHint: keyHint(header),
    });
  }
  return plain('analysable', {
    id: 'dar',
    name: 'dar archive',
    confidence,
    code: 'DAR_NOT_CIPHERED',
    message: `${describe(header, where)}; not encrypted.`,
    figures,
  });
}

export const darDetector = defineDetector({
  meta: {
    id: 'dar',
    version: '1.0.0',
    title: 'dar (Disk ARchive) slices, with the encryption their archive header records',
    formats: [
      { id: 'dar', name: 'dar archive', status: 'analysable', how: 'header-field', extensions: ['dar'] },
      {
        id: 'dar-encrypted',
        name: 'dar archive, encrypted',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['dar'],
      },
      {
        id: 'dar-slice',
        name: 'dar archive slice, too short to tell',
        status: 'opaque',
        how: 'header-field',
        extensions: ['dar'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '0000007b' }],
  minSize: 24,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const slice = sliceHeader(h);
    if (!slice) return undefined;
    const first = archiveHeader(h, slice.end);
    if (first) return verdict(first, 'first slice', slice, 0.95);
    const end = probe.complete ? h : probe.tail;
    const last = slice.flag === 'N' ? undefined : trailer(end);
    if (last) return verdict(last, 'trailer of the last slice', slice, 0.93);
    // A middle slice holds neither: the slice header names the format; the body's bytes say whether it is ciphertext.
    // Before format 8 the slice header is four bytes of magic and two letters: too little to name a file alone.
    if (!slice.tlv) return undefined;
    const body = [h.subarray(slice.end), ...probe.samples.map((s) => s.bytes), probe.tail];
    const e = randomnessFigures(body);
    const figures = { sliceFlag: slice.flag, shannon: e.shannon, chiSquareP: e.chiSquareP };
    if (e.sampledBytes < MIN_BODY) {
      return plain('opaque', {
        id: 'dar-slice',
        name: 'dar archive slice, too short to tell',
        confidence: 0.8,
        code: 'DAR_SLICE_SHORT',
        message: `dar slice header ("${slice.flag}" slice) without the archive header, which is in the first slice, and only ${e.sampledBytes} bytes after it: too few to tell ciphertext from clear data.`,
        figures: { ...figures, bodyBytes: e.sampledBytes },
      });
    }
    if (isRandom(e)) {
      return locked({
        id: 'dar-encrypted',
        name: 'dar archive, encrypted',
        confidence: 0.6,
        code: 'DAR_SLICE_RANDOM',
        message: `dar slice header ("${slice.flag}" slice) without the archive header, which is in the first slice: the data after it is uniformly random (entropy ${e.shannon.toFixed(4)} bits/byte, chi-square p=${e.chiSquareP}), as dar's encrypted data is.`,
        figures,
        scheme: 'dar-unknown',
        keyHint: {
          description: 'The dar passphrase or GnuPG key; the first slice header names the cipher.',
          kind: 'unknown',
          present: 'unknown',
        },
      });
    }
    return plain('analysable', {
      id: 'dar',
      name: 'dar archive',
      confidence: 0.85,
      code: 'DAR_SLICE',
      message: `dar slice header ("${slice.flag}" slice) without the archive header, which is in the first slice; the data after it is not uniformly random, so not ciphertext.`,
      figures,
    });
  },
});
