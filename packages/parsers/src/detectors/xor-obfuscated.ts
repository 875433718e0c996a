/**
 * Files XORed whole with one constant byte or a short repeating key (2–16 bytes): how WeChat keeps
 * received pictures (`FileStorage/Image/…/<md5>.dat`, one byte), how cheap vault apps hide files and how
 * droppers carry payloads. The bytes read as noise to the statistics, yet the key is in the file itself:
 * XORing a known format's fixed first bytes (its magic and header fields that never vary) with the file's
 * first bytes gives it. Such a file is not encrypted (no secret is needed) and not analysable as it
 * stands (no viewer opens it): opaque, with the key and the format found in the reason.
 *
 * Random bytes must not pass. The key is derived from at least 4 known bytes; every known byte beyond
 * the key's length must agree with it (8 bits each), and the format's structure past the magic is then
 * checked on the de-XORed bytes (a JPEG's segment chain, a PNG's IHDR CRC, a ZIP's end record, an ftyp
 * box's brand and next box, …). Each format states how many bits its structure check is worth at the
 * least, and a key length is tried only while agreement plus structure give at least MIN_BITS: a random
 * file passes one format's test with a chance below 2^-48. The seeded-random test measures it.
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { tflite } from './ml-models.js';
import { endsWithIend, jpegSegmentsFrom, TOP_BOXES } from './obfuscated-media.js';
import { locked, passwordHint, plain, u16le, u32be, u32le } from './util.js';

const FORMAT = { id: 'xor-obfuscated', name: 'File XORed with a fixed key (obfuscated, not encrypted)' } as const;
const LOCKED = {
  id: 'xor-obfuscated-encrypted',
  name: 'Encrypted file (archive, PDF, Office) XORed with a fixed key',
} as const;
const CONFIDENCE = 0.8;
const MAX_KEY = 16;
/** Agreement bits plus structure bits a key length must reach (chance for random bytes below 2^-48). */
const MIN_BITS = 48;

/** The file's head and last bytes with the key removed. */
interface Plain {
  head: Uint8Array;
  /** The last bytes (the tail, or the head when it holds the whole file). */
  last: Uint8Array;
  size: number;
}

type Known = readonly (readonly [number, number])[];

interface Template {
  /** What the de-XORed file is, for the reason. */
  format: string;
  /** Offsets and values every file of the format has there. */
  known: Known;
  /** Where the file's size (less `minus`) is kept as a little-endian 32-bit number: four more known bytes. */
  sized?: { at: number; minus: number };
  /** Bits the structure check is worth at the least (its chance on random bytes is below 2^-bits). */
  bits: number;
  /** What the structure past the magic shows, or undefined when it does not hold. */
  check(p: Plain): string | undefined;
  /** The format's end marker in the file's last bytes (where the format has one). */
  end?: (last: Uint8Array) => boolean;
  /** A garbled header on an intact body is obfuscated-media's to report (pictures and videos). */
  prefixIsMedia?: true;
  /** The de-XORed file's own encryption mark, where the format has one in the bytes read: the scheme and what shows it. */
  lock?: (p: Plain) => { scheme: string; shows: string } | undefined;
}

const ascii = (s: string, at = 0): [number, number][] => [...s].map((c, i) => [at + i, c.charCodeAt(0)]);
const zeros = (from: number, to: number): [number, number][] =>
  Array.from({ length: to - from }, (_, i) => [from + i, 0]);
const printable = (b: Uint8Array, from: number, to: number) => {
  for (let i = from; i < to; i++) if (b[i]! < 0x20 || b[i]! > 0x7e) return false;
  return to > from;
};
const lastIndexOfAscii = (b: Uint8Array, s: string, within: number) => {
  const from = Math.max(0, b.length - within);
  for (let i = b.length - s.length; i >= from; i--) if ([...s].every((c, j) => b[i + j] === c.charCodeAt(0))) return i;
  return -1;
};

// --- Structure checks on de-XORed bytes -----------------------------------------------------------

function jpeg(p: Plain): string | undefined {
  const chain = jpegSegmentsFrom(p.head, 2);
  if (!chain) return undefined;
  const eoi = lastIndexOfAscii(p.last, '\xff\xd9', 32) >= 0;
  return `${chain.segments} header segments chain from the start-of-image marker to the scan header${eoi ? ', and the end-of-image marker ends it' : ''}`;
}

function png(p: Plain): string | undefined {
  if (p.head.length < 33 || zlib.crc32(p.head.subarray(12, 29)) !== u32be(p.head, 29)) return undefined;
  return `the IHDR chunk's CRC checks (${u32be(p.head, 16)} × ${u32be(p.head, 20)} pixels)`;
}

function gif(p: Plain): string | undefined {
  const h = p.head;
  if (h.length < 14) return undefined;
  const table = h[10]! & 0x80 ? 3 << ((h[10]! & 7) + 1) : 0;
  const next = h[13 + table];
  const w = u16le(h, 6)!;
  const ht = u16le(h, 8)!;
  if ((next !== 0x21 && next !== 0x2c) || w === 0 || ht === 0 || p.last[p.last.length - 1] !== 0x3b) return undefined;
  return `a ${w} × ${ht} screen whose colour table leads to a block, and the trailer 0x3B ending the file`;
}

function ftyp(p: Plain): string | undefined {
  const h = p.head;
  const len = u32be(h, 0)!;
  if (len < 16 || len > 255 || len % 4 !== 0 || len + 8 > h.length) return undefined;
  if (![8, 9, 10, 11].every((i) => /[a-z0-9 ]/i.test(String.fromCharCode(h[i]!)))) return undefined;
  const next = TOP_BOXES.get(u32be(h, len + 4)!);
  if (!next) return undefined;
  const brand = String.fromCharCode(...h.subarray(8, 12));
  return `the file-type box names the brand "${brand.trim()}" and is followed by a ${next} box`;
}

function zip(p: Plain): string | undefined {
  const h = p.head;
  if (h.length < 30 || h[4]! < 10 || h[4]! > 63 || ![0, 8, 9, 12, 14, 93, 95, 98, 99].includes(u16le(h, 8)!))
    return undefined;
  const nameLen = u16le(h, 26)!;
  if (nameLen === 0 || !printable(h, 30, Math.min(h.length, 30 + nameLen))) return undefined;
  // The end of central directory record: its directory must end where the record starts.
  const last = p.last;
  const base = p.size - last.length;
  for (let i = last.length - 22; i >= Math.max(0, last.length - 22 - 65535); i--) {
    if (u32le(last, i) !== 0x06054b50) continue;
    if (u32le(last, i + 12)! + u32le(last, i + 16)! !== base + i) continue;
    const name = String.fromCharCode(...h.subarray(30, 30 + Math.min(nameLen, 40)));
    return `a local header for "${name}" and an end-of-central-directory record (${u16le(last, i + 10)} entries) whose directory ends where it starts`;
  }
  return undefined;
}

function pdf(p: Plain): string | undefined {
  if (p.head[7]! < 0x30 || p.head[7]! > 0x39 || lastIndexOfAscii(p.last, '%%EOF', 1024) < 0) return undefined;
  return `version ${String.fromCharCode(p.head[5]!, p.head[6]!, p.head[7]!)} and %%EOF near the end`;
}

function sqlite(p: Plain): string | undefined {
  const h = p.head;
  if (h.length < 100) return undefined;
  const raw = (h[16]! << 8) | h[17]!;
  const page = raw === 1 ? 65536 : raw;
  if (page < 512 || (page & (page - 1)) !== 0 || h[18]! < 1 || h[18]! > 2 || h[19]! < 1 || h[19]! > 2) return undefined;
  return `page size ${page}, file format versions ${h[18]}/${h[19]} and the fixed payload fractions`;
}

const RIFF_CHUNKS: Record<string, string[]> = {
  WEBP: ['VP8 ', 'VP8L', 'VP8X'],
  WAVE: ['fmt ', 'JUNK', 'LIST', 'bext', 'fact'],
  'AVI ': ['LIST', 'JUNK'],
};
function riff(p: Plain): string | undefined {
  const form = String.fromCharCode(...p.head.subarray(8, 12));
  const chunk = String.fromCharCode(...p.head.subarray(12, 16));
  if (!RIFF_CHUNKS[form]?.includes(chunk)) return undefined;
  return `the RIFF size matches the file and the first chunk is "${chunk.trim()}"`;
}

function bmp(p: Plain): string | undefined {
  const h = p.head;
  const dib = u32le(h, 14)!;
  const offset = u32le(h, 10)!;
  if (![12, 40, 52, 56, 64, 108, 124].includes(dib) || offset < 14 + dib || offset >= p.size) return undefined;
  const planes = dib === 12 ? u16le(h, 22) : u16le(h, 26);
  const bpp = dib === 12 ? u16le(h, 24) : u16le(h, 28);
  if (planes !== 1 || ![1, 4, 8, 16, 24, 32].includes(bpp!)) return undefined;
  return `a ${dib}-byte information header (one plane, ${bpp} bits a pixel) and pixels starting inside the file`;
}

function sevenZip(p: Plain): string | undefined {
  if (p.head.length < 32 || zlib.crc32(p.head.subarray(12, 32)) !== u32le(p.head, 8)) return undefined;
  return `the start header's CRC checks`;
}

function elf(p: Plain): string | undefined {
  const h = p.head;
  if (h.length < 24 || ![1, 2].includes(h[4]!) || ![1, 2].includes(h[5]!)) return undefined;
  const little = h[5] === 1;
  const type = little ? u16le(h, 16) : (h[16]! << 8) | h[17]!;
  const version = little ? u32le(h, 20) : u32be(h, 20);
  if (version !== 1 || type === undefined || type < 1 || type > 4) return undefined;
  return `${h[4] === 2 ? '64' : '32'}-bit ${little ? 'little' : 'big'}-endian header, object type ${type}, version 1`;
}

function pe(p: Plain): string | undefined {
  const at = u32le(p.head, 0x3c)!;
  if (at < 0x40 || at + 4 > p.head.length || u32le(p.head, at) !== 0x00004550) return undefined;
  return `the DOS stub's message and the "PE" signature at offset ${at}`;
}

function ole2(p: Plain): string | undefined {
  const h = p.head;
  const major = u16le(h, 26);
  const shift = u16le(h, 30);
  if (!((major === 3 && shift === 9) || (major === 4 && shift === 12)) || u16le(h, 32) !== 6) return undefined;
  return `version ${major} with ${1 << shift}-byte sectors and 64-byte mini sectors`;
}

function tfliteModel(p: Plain): string | undefined {
  if (!tflite(p.head, p.size)) return undefined;
  return `a FlatBuffers root table whose vtable gives the Model's schema version 3`;
}

const JPEG_FIXED: [number, number][] = [
  [0, 0xff],
  [1, 0xd8],
  [2, 0xff],
];

// --- Encryption marks inside (the XOR is no lock, but the file behind it may have one) --------------

/** ZIP: an entry of the central directory (or the first local header) with the encrypted flag, or WinZip AES. */
function zipLock(p: Plain): { scheme: string; shows: string } | undefined {
  const last = p.last;
  const base = p.size - last.length;
  const eocd = lastIndexOfAscii(last, 'PK\x05\x06', 65557);
  const flags: { name: string; method: number; flag: number }[] = [];
  if (eocd >= 0) {
    // Central directory entries within the bytes read: flag at +8, method at +10, name length at +28, name at +46.
    for (let at = u32le(last, eocd + 16)! - base; at >= 0 && at + 46 <= eocd && u32le(last, at) === 0x02014b50;) {
      const nameLen = u16le(last, at + 28)!;
      const name = String.fromCharCode(...last.subarray(at + 46, at + 46 + Math.min(nameLen, 40)));
      flags.push({ name, method: u16le(last, at + 10)!, flag: u16le(last, at + 8)! });
      at += 46 + nameLen + u16le(last, at + 30)! + u16le(last, at + 32)!;
    }
  }
  if (flags.length === 0) flags.push({ name: 'the first entry', method: u16le(p.head, 8)!, flag: u16le(p.head, 6)! });
  const locked = flags.find((f) => f.flag & 1);
  if (!locked) return undefined;
  return {
    scheme: locked.method === 99 ? 'winzip-aes' : 'zipcrypto',
    shows: `"${locked.name}" has the encrypted flag${locked.method === 99 ? ' and WinZip AES' : ''}`,
  };
}

/** 7-Zip: the 7zAES coder (06 F1 07 01) in the next header, when the bytes read hold it. */
function sevenZipLock(p: Plain): { scheme: string; shows: string } | undefined {
  const offset = 32 + u32le(p.head, 12)! + u32le(p.head, 16)! * 2 ** 32;
  const length = u32le(p.head, 20)!;
  const base = p.size - p.last.length;
  const from = offset - base;
  if (from < 0 || from + length > p.last.length) return undefined;
  const header = p.last.subarray(from, from + length);
  for (let i = header.indexOf(0x06); i >= 0 && i + 4 <= header.length; i = header.indexOf(0x06, i + 1))
    if (header[i + 1] === 0xf1 && header[i + 2] === 0x07 && header[i + 3] === 0x01)
      return { scheme: '7z-aes-256', shows: 'its header names the 7zAES coder' };
  return undefined;
}

/** PDF: an /Encrypt entry in the trailer (or a linearised first page's). */
function pdfLock(p: Plain): { scheme: string; shows: string } | undefined {
  const found =
    lastIndexOfAscii(p.last, '/Encrypt', 4096) >= 0 ||
    lastIndexOfAscii(p.head.subarray(0, 4096), '/Encrypt', 4096) >= 0;
  return found ? { scheme: 'pdf-standard', shows: 'its trailer has an /Encrypt dictionary' } : undefined;
}

/** OLE2: a stream named EncryptedPackage (a password-protected or rights-managed Office Open XML document). */
function ole2Lock(p: Plain): { scheme: string; shows: string } | undefined {
  const name = Buffer.from('EncryptedPackage', 'utf16le');
  return Buffer.from(p.head.buffer, p.head.byteOffset, p.head.length).indexOf(name) >= 0
    ? { scheme: 'ecma-376', shows: 'its directory has an EncryptedPackage stream' }
    : undefined;
}

const eoiAtEnd = (last: Uint8Array) => lastIndexOfAscii(last, '\xff\xd9', 32) >= 0;
const eocdIn = (last: Uint8Array) => lastIndexOfAscii(last, 'PK\x05\x06', 65557) >= 0;
const eofIn = (last: Uint8Array) => lastIndexOfAscii(last, '%%EOF', 1024) >= 0;
const JPEG = { format: 'JPEG picture', bits: 32, check: jpeg, end: eoiAtEnd, prefixIsMedia: true } as const;

/** Known formats, each with the bytes it always has and its structure check. */
const TEMPLATES: readonly Template[] = [
  // JFIF and Exif pictures name their first segment; others start with tables or another APPn.
  // A JFIF segment is 16 bytes long and its major version is 1 (JFIF 1.02, §Table 1).
  { ...JPEG, known: [...JPEG_FIXED, [3, 0xe0], [4, 0], [5, 16], ...ascii('JFIF\0', 6), [11, 1]] },
  { ...JPEG, known: [...JPEG_FIXED, [3, 0xe1], ...ascii('Exif\0\0', 6)] },
  ...[0xdb, 0xe0, 0xe1, 0xe2, 0xed, 0xee, 0xfe, 0xc0, 0xc4].map((m): Template => ({
    ...JPEG,
    known: [...JPEG_FIXED, [3, m]],
  })),
  {
    format: 'PNG picture',
    known: [
      ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].map((v, i): [number, number] => [i, v]),
      ...zeros(8, 11),
      [11, 13],
      ...ascii('IHDR', 12),
    ],
    bits: 32,
    check: png,
    end: endsWithIend,
    prefixIsMedia: true,
  },
  ...['GIF89a', 'GIF87a'].map((magic): Template => ({
    format: 'GIF picture',
    known: ascii(magic),
    bits: 15,
    check: gif,
    end: (l) => l.at(-1) === 0x3b,
  })),
  // An ftyp box is shorter than 256 bytes: its size's first three bytes are zero.
  {
    format: 'ISO media file (MP4, MOV, HEIC, 3GP)',
    known: [...zeros(0, 3), ...ascii('ftyp', 4)],
    bits: 40,
    check: ftyp,
    prefixIsMedia: true,
  },
  { format: 'ZIP archive', known: [...ascii('PK\x03\x04'), [5, 0]], bits: 48, check: zip, end: eocdIn, lock: zipLock },
  ...['%PDF-1.', '%PDF-2.'].map((magic): Template => ({
    format: 'PDF document',
    known: ascii(magic),
    bits: 32,
    check: pdf,
    lock: pdfLock,
    end: eofIn,
  })),
  {
    format: 'SQLite database',
    known: [...ascii('SQLite format 3\0'), [21, 64], [22, 32], [23, 32]],
    bits: 28,
    check: sqlite,
  },
  ...Object.keys(RIFF_CHUNKS).map((form): Template => ({
    format: form === 'WEBP' ? 'WebP picture' : form === 'WAVE' ? 'WAV audio' : 'AVI video',
    known: [...ascii('RIFF'), ...ascii(form, 8)],
    sized: { at: 4, minus: 8 },
    bits: 30,
    check: riff,
  })),
  // BM, the file's size, reserved zeros; pixel offset below 64 KiB and information header below 256 bytes.
  {
    format: 'BMP picture',
    known: [...ascii('BM'), ...zeros(6, 10), ...zeros(12, 14), ...zeros(15, 18)],
    sized: { at: 2, minus: 0 },
    bits: 34,
    check: bmp,
  },
  {
    format: '7-Zip archive',
    known: [...[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c].map((v, i): [number, number] => [i, v]), [6, 0]],
    bits: 32,
    check: sevenZip,
    lock: sevenZipLock,
  },
  { format: 'ELF executable', known: [[0, 0x7f], ...ascii('ELF', 1), [6, 1], ...zeros(9, 16)], bits: 48, check: elf },
  {
    format: 'Windows executable (PE)',
    known: [...ascii('MZ'), ...ascii('This program cannot be run in DOS mode', 0x4e)],
    bits: 32,
    check: pe,
  },
  {
    format: 'OLE2 compound file (Office 97–2003, MSI, Outlook)',
    known: [
      ...[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].map((v, i): [number, number] => [i, v]),
      [27, 0],
      [28, 0xfe],
      [29, 0xff],
    ],
    bits: 30,
    check: ole2,
    lock: ole2Lock,
  },
  // Apps that hide their on-device models (.tflite): a root offset below 256 (three zero bytes) and "TFL3".
  { format: 'TensorFlow Lite model', known: [...zeros(1, 4), ...ascii('TFL3', 4)], bits: 32, check: tfliteModel },
];

/**
 * A template made ready for the search: per key length whose residues the known offsets all cover, the
 * first entry of each residue (the key) and the later entries that must agree with it, earliest first
 * (on random bytes the first comparison fails).
 */
interface Compiled {
  t: Template;
  at: Int32Array;
  /** The known values; the size's bytes, last, are filled in per file. */
  values: Int16Array;
  /** Bytes the head must hold: one past the last known offset. */
  end: number;
  lengths: { len: number; firsts: Int32Array; pairs: Int32Array }[];
}

function compile(t: Template): Compiled {
  const sized: Known = t.sized ? [0, 1, 2, 3].map((i) => [t.sized!.at + i, 0]) : [];
  const known = [...t.known, ...sized];
  const at = Int32Array.from(known.map(([o]) => o));
  const values = Int16Array.from(known.map(([, v]) => v));
  // Agreement: each known byte past the key's length is 8 bits of evidence; the structure gives the rest.
  const longest = Math.min(MAX_KEY, known.length - Math.ceil(Math.max(0, MIN_BITS - t.bits) / 8));
  const lengths: Compiled['lengths'] = [];
  for (let len = 1; len <= longest; len++) {
    const first = new Int32Array(len).fill(-1);
    const pairs: number[] = [];
    at.forEach((o, i) => {
      const r = o % len;
      if (first[r] === -1) first[r] = i;
      else pairs.push(i, first[r]!);
    });
    if (!first.includes(-1)) lengths.push({ len, firsts: first, pairs: Int32Array.from(pairs) });
  }
  return { t, at, values, end: Math.max(...at) + 1, lengths };
}

/** The file's bytes XOR the known values, one per known offset (scratch, reused). */
const xs = new Int16Array(64);

function keys(c: Compiled, head: Uint8Array, size: number): Uint8Array[] {
  if (c.end > head.length) return [];
  const { at, values, t } = c;
  if (t.sized) for (let i = 0; i < 4; i++) values[values.length - 4 + i] = ((size - t.sized.minus) >>> (8 * i)) & 0xff;
  for (let i = 0; i < at.length; i++) xs[i] = head[at[i]!]! ^ values[i]!;
  const out: Uint8Array[] = [];
  for (const { firsts, pairs } of c.lengths) {
    let agree = true;
    for (let p = 0; p < pairs.length && agree; p += 2) agree = xs[pairs[p]!] === xs[pairs[p + 1]!];
    if (!agree) continue;
    const key = Uint8Array.from(firsts, (i) => xs[i]!);
    if (key.some((k) => k !== 0)) out.push(key);
  }
  return out;
}

const COMPILED = TEMPLATES.map(compile);

function unxor(bytes: Uint8Array, at: number, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! ^ key[(at + i) % key.length]!;
  return out;
}

const article = (s: string) => (/^[AEIOU]/.test(s) ? 'an' : 'a');
const hex = (key: Uint8Array) => [...key].map((b) => b.toString(16).padStart(2, '0')).join('');

/** Zero bytes in `b` from `from` on: frequent in real files' tables and headers, rare under a non-zero key. */
function zeroCount(b: Uint8Array, from: number): number {
  let n = 0;
  for (let i = from; i < b.length; i++) if (b[i] === 0) n++;
  return n;
}

/**
 * How far the key reaches: the whole file when the de-XORed end shows the format's end marker or
 * reads as the format's own bytes (zeros come back), only the first bytes when the file's end is
 * plain as it stands (a garbled header on an intact body), else unknown.
 */
function reach(t: Template, probe: Probe, last: Uint8Array): 'whole' | 'prefix' | 'unknown' {
  const raw = probe.tail.length > 0 ? probe.tail : probe.head;
  if (t.end?.(last)) return 'whole';
  if (t.end?.(raw)) return 'prefix';
  // Past the first KiB (a garbled prefix may be that long): where the zero bytes are.
  const from = Math.max(0, 1024 - (probe.size - raw.length));
  const plainZeros = zeroCount(raw, from);
  const keyedZeros = zeroCount(last, from);
  if (keyedZeros > 2 * plainZeros + 16) return 'whole';
  if (plainZeros > 2 * keyedZeros + 16) return 'prefix';
  return 'unknown';
}

const REACH = {
  whole: 'Every byte XORed with',
  unknown: 'The file XORed with',
  prefix: 'Its first bytes XORed with',
} as const;
const REACH_NOTE = {
  whole: 'to the end of the file',
  unknown: 'the rest of the file gives no sign either way',
  prefix: 'the rest of the file is plain',
} as const;

function find(probe: Probe): Detection | undefined {
  for (const c of COMPILED) {
    const t = c.t;
    for (const key of keys(c, probe.head, probe.size)) {
      const len = key.length;
      const head = unxor(probe.head, 0, key);
      const last = probe.tail.length > 0 ? unxor(probe.tail, probe.size - probe.tail.length, key) : head;
      const shows = t.check({ head, last, size: probe.size });
      if (!shows) continue;
      const extent = reach(t, probe, last);
      // A picture or video whose header alone is garbled: obfuscated-media reports it from its body.
      if (extent === 'prefix' && t.prefixIsMedia) return undefined;
      const keyText = len === 1 ? `the byte 0x${hex(key)}` : `the ${len}-byte key 0x${hex(key)}`;
      const lock = t.lock?.({ head, last, size: probe.size });
      if (lock)
        return locked({
          ...LOCKED,
          confidence: CONFIDENCE,
          code: 'XOR_KEY_FROM_MAGIC',
          message:
            `${REACH[extent]} ${keyText} (found from the ${t.format}'s fixed first bytes) gives ${article(t.format)} ` +
            `${t.format}: ${shows}; ${REACH_NOTE[extent]}. The XOR key is in the file itself, but the ${t.format} ` +
            `behind it is encrypted: ${lock.shows}.`,
          figures: { key: hex(key), keyLength: len, format: t.format, reach: extent },
          details: { key: hex(key), format: t.format, reach: extent },
          scheme: lock.scheme,
          keyHint: passwordHint(`the password of the ${t.format} inside (the XOR key 0x${hex(key)} is in the file)`),
        });
      return plain('opaque', {
        ...FORMAT,
        confidence: CONFIDENCE,
        code: 'XOR_KEY_FROM_MAGIC',
        message:
          `${REACH[extent]} ${keyText} (found from the ${t.format}'s fixed first bytes) gives ${article(t.format)} ${t.format}: ` +
          `${shows}; ${REACH_NOTE[extent]}. The key is in the file itself: obfuscated, not encrypted (as WeChat ` +
          'keeps pictures and droppers and vault apps hide files); no viewer opens it until the key is removed.',
        figures: { key: hex(key), keyLength: len, format: t.format, reach: extent },
        details: { key: hex(key), format: t.format, reach: extent },
      });
    }
  }
  return undefined;
}
export const xorObfuscatedDetector = defineDetector({
  meta: {
    id: 'xor-obfuscated',
    version: '1.0.0',
    title: 'Files XORed with one byte or a short repeating key, by a known format behind the key',
    formats: [
      { ...FORMAT, status: 'opaque', how: 'structure' },
      { ...LOCKED, status: 'encrypted', how: 'structure' },
    ],
  },
  fallback: true,
  minSize: 64,
  priority: 78,
  detect: find,
});
