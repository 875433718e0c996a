/**
 * The broad fallback: everything the file-type library knows from magic
 * numbers (images, audio, video, documents, archives, executables...).
 * Specific detectors outrank it (it reports confidence 0.8); types file-type
 * itself calls imprecise, which it also reports for random data, get 0.4.
 * Reference: https://github.com/sindresorhus/file-type (supported types).
 */
import zlib from 'node:zlib';
import { defineDetector, u16be, u16le, u32be, u32le, type Detection } from '@evtriage/core/contract';
import type { fileTypeFromBuffer as FromBuffer } from 'file-type';
import { ac3Frames, adtsFrames } from './audio-frames.js';
import { mpegFrames } from './mpeg-audio.js';
import { tsRun } from './mpeg-ts.js';
import { randomAfterHeader } from './random-body.js';
import { tarChecksumOk } from './util.js';
import { tiffIfd } from './tiff-header.js';

let loading: Promise<typeof FromBuffer> | undefined;

/** file-type, loaded on first use: a process whose files all meet a specific detector never loads its modules. */
export function fileTypeFromBuffer(): Promise<typeof FromBuffer> {
  loading ??= import('file-type').then((m) => m.fileTypeFromBuffer);
  return loading;
}

/** file-type extensions whose evtriage format id differs. */
const ID_OF: Record<string, string> = {
  jpg: 'jpeg',
  gz: 'gzip',
  tif: 'tiff',
  Z: 'compress-z',
  bz2: 'bzip2',
  'tar.gz': 'tar.gz',
  sqlite: 'sqlite',
  cfb: 'ole2',
  mie: 'mie',
  m4v: 'mp4',
  f4v: 'mp4',
  mpg: 'mpeg',
  exe: 'pe',
  elf: 'elf',
  macho: 'macho',
  class: 'java-class',
  '7z': '7z',
  // The format's own name (RFC 8878, application/zstd); file-type names it by its extension.
  zst: 'zstd',
};

/** Other extensions files of a type are commonly named with. */
const EXTRA_EXTENSIONS: Record<string, readonly string[]> = {
  jpg: ['jpeg', 'jpe', 'jfif', 'thumb'],
  tif: ['tiff'],
  mp4: ['m4v', 'mp4v', '3gp'],
  mov: ['qt'],
  heic: ['heif'],
  gz: ['tgz', 'gzip'],
  m4a: ['m4b', 'm4r'],
  mpg: ['mpeg'],
  html: ['htm'],
  ogg: ['oga', 'ogv', 'opus'],
  docx: ['docm'],
  xlsx: ['xlsm'],
  zip: ['apk', 'jar', 'ipa'],
  // LHA is the Amiga (and LHa for UNIX) name of the same archive; compressed tarballs' short names.
  lzh: ['lha'],
  Z: ['taz'],
  bz2: ['tbz', 'tbz2'],
  xz: ['txz'],
  zst: ['tzst'],
  lz: ['tlz'],
  // MPEG transport streams: broadcast and HLS segments (.ts), Blu-ray and camcorder BDAV streams (.m2ts, .m2t).
  mts: ['ts', 'm2ts', 'm2t'],
};

/** Magic numbers short or common enough that random bytes hit them (file-type's own imprecise set, and MPEG frame sync). */
const WEAK = new Set([
  'mp3',
  'mp2',
  'mp1',
  'aac',
  'mts',
  'dmg',
  'ico',
  'cur',
  'mpg',
  'mpeg',
  'tga',
  'pcap',
  'ac3',
  'mpc',
  'ape',
]);

/**
 * Types a specific detector here reads field by field and claims whenever the format's structure holds
 * (sqlite: the full 16-byte header, the page size and payload fractions; RAR, 7-Zip, ACE, compound files, PST,
 * Mobipocket and registry hives, file-type's "dat": their headers). file-type's answer from the magic alone
 * would call more readable: a text starting "SQLite" (Debian's libsqlite3 README.Debian) was a database, and a
 * magic before other bytes (a damaged or overwritten file) the format. It is not given; when the specific
 * detector declines, the fallbacks judge the bytes, knowing the signature matched. On the corpus, test/ and
 * /usr/share, file-type never won for these.
 */
const LEFT_TO_STRUCTURE = new Set(['sqlite', 'rar', '7z', 'cfb', 'pst', 'mobi', 'dat', 'ace']);

/** file-type's names for ISO base media and QuickTime files (a box type at offset 4). */
const ISO_BOX_TYPES = [
  'mp4',
  'mov',
  'm4a',
  'm4v',
  'm4p',
  'm4b',
  '3gp',
  '3g2',
  'heic',
  'avif',
  'f4v',
  'f4a',
  'f4b',
  'f4p',
  'cr3',
];

/**
 * Types file-type knows by a magic of two bytes (ARJ "60 EA", BMP "BM", binary cpio "C7 71",
 * PE "MZ", PostScript "%!") or a short text word (RTF). Encrypted data starts with any given
 * two bytes once in 65,536 files, and a little-endian length of 60,000 is "60 EA". Where the
 * format has a header that can be checked, it is; where its body is structured or text, random
 * bytes after the magic mean a chance prefix. Either way file-type's answer is then not given,
 * and the statistical fallback judges the bytes.
 */
const CHECKED_HEADER: Record<string, (h: Uint8Array, size: number) => boolean> = {
  // TIFF (file-type reads the tags of a classic one, but takes BigTIFF's "II+\0" alone): the first IFD inside the file.
  tif: (h, size) => tiffIfd(h, size) !== undefined,
  // ARJ's basic header (at most 2,600 bytes, so within the probe) is followed by its CRC-32 (arj's technote.txt).
  arj: (h) => {
    const length = u16le(h, 2) ?? 0;
    const crc = u32le(h, 4 + length);
    return length > 0 && length <= 2600 && crc !== undefined && zlib.crc32(h.subarray(4, 4 + length)) === crc;
  },
  // BITMAPFILEHEADER: reserved words zero, pixel data inside the file, a DIB header of 12-124 bytes
  // (Windows and OS/2 sizes; bmpsuite's files with odd sizes in between still open in Pillow).
  bmp: (h, size) => {
    const pixels = u32le(h, 10) ?? 0;
    const dib = u32le(h, 14) ?? 0;
    return u32le(h, 6) === 0 && pixels >= 26 && pixels <= size && dib >= 12 && dib <= 124;
  },
  // MPEG transport stream: file-type looks at the first sync byte(s); every packet the probe holds must start with
  // one (0x47 every 188 bytes, or at 4 of every 192 for BDAV/M2TS). GObject typelibs ("GOBJ") were streams.
  mts: (h, size) => {
    const held = Math.min(h.length, size);
    const synced = (first: number, stride: number) =>
      held >= first + stride * 2 && tsRun(h, first, stride, held).synced;
    return synced(0, 188) || synced(4, 192);
  },
  // Old binary cpio: a 26-byte header, then the name (namesize counts its NUL) in printable bytes.
  cpio: (h) => {
    const nameSize = u16le(h, 20) ?? 0;
    if (nameSize < 2 || nameSize > 4096 || 26 + nameSize > h.length) return false;
    const name = h.subarray(26, 26 + nameSize - 1);
    return h[26 + nameSize - 1] === 0 && name.every((b) => b >= 0x20 && b < 0x7f);
  },
  ico: iconDirectory,
  cur: iconDirectory,
  pcap: pcapHeader,
  // ISO base media and QuickTime files: the first box's size fits the file (0: to the end; 1: a 64-bit size
  // follows), else the four-letter type at 4 stands before other bytes.
  ...Object.fromEntries(ISO_BOX_TYPES.map((ext) => [ext, firstBoxFits] as const)),
  // Raw AAC and AC-3: a 14- or 16-bit sync; the frames must chain (audio-frames.ts).
  aac: (h, size) => adtsFrames(h, size) > 0,
  ac3: (h, size) => ac3Frames(h, size) > 0,
  // compress(1)'s "1F 9D" is two bytes: its flags byte and the first LZW codes must hold (lzwCodesHold). "1F A0"
  // (SCO compress -H) has no check here and is left to libmagic and the statistics.
  Z: (h) => h[1] === 0x9d && lzwCodesHold(h),
  // SWF: file-type reads "FWS"/"CWS", three letters any ASCII magic may begin with. The version byte (1-64: Flash
  // Player 32 writes 43) and FileLength (u32le at 4, the uncompressed size) must hold: an uncompressed file is that
  // long (or was cut), a zlib-compressed one has a zlib header at 8 (SWF File Format Specification 19, "Header").
  swf: (h, size) => {
    const version = h[3] ?? 0;
    const length = u32le(h, 4) ?? 0;
    if (version === 0 || version > 64 || length < 8) return false;
    if (h[0] === 0x46) return length >= size && length <= size * 64;
    const cmf = h[8] ?? 0;
    return (cmf & 0x0f) === 8 && (cmf * 256 + (h[9] ?? 0)) % 31 === 0;
  },
  // "<?xml " is six bytes of text that any header may hold: the document after it must be text too.
  xml: xmlText,
  // file-type's "DMG" is the zlib header 78 01: a UDIF image is known by its "koly" trailer (disk-images),
  // and a zlib stream by decoding it (libmagic's rule); two bytes alone name neither.
  dmg: () => false,
};
/**
 * The first LZW codes of a compress(1) stream (ncompress's decompress): flags with a maximum code width of 9-16
 * bits and the reserved bits clear, a first code that is a byte, and every 9-bit code after it at most the next
 * free table entry. A random code passes that about half the time, so random bytes fail within a few dozen codes.
 */
function lzwCodesHold(h: Uint8Array): boolean {
  const flags = h[2];
  if (flags === undefined || (flags & 0x60) !== 0 || (flags & 0x1f) < 9 || (flags & 0x1f) > 16) return false;
  const block = (flags & 0x80) !== 0;
  let free = block ? 257 : 256;
  let checked = 0;
  // Codes are 9 bits wide, least significant bit first, until the table reaches 512 entries.
  for (let bit = 24; bit + 9 <= h.length * 8 && free < 512 && checked < 200; bit += 9) {
    const at = bit >> 3;
    const code = ((h[at]! | (h[at + 1]! << 8) | ((h[at + 2] ?? 0) << 16)) >> (bit & 7)) & 0x1ff;
    if (checked === 0 && code > 255) return false;
    if (block && code === 256) return true; // a table clear: the codes after it realign, stop here
    if (checked > 0 && code > free) return false;
    if (checked > 0) free++;
    checked++;
  }
  return checked > 0;
}

/** Control characters XML forbids in a document (XML 1.0 §2.2 Char; NUL left out: files are zero-padded). */
const isXmlForbidden = (c: number): boolean => c !== 0 && c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d;

/**
 * An XML declaration before text: at most 1 % of the head's characters (UTF-16 code units after a byte-order
 * mark, else bytes) are control characters XML forbids. Ciphertext or compressed data behind an XML header (a
 * vault's parameters, then its payload) has 28 in 256 (10.9 %); an XML document none.
 */
function xmlText(h: Uint8Array): boolean {
  const utf16 = (h[0] === 0xfe && h[1] === 0xff) || (h[0] === 0xff && h[1] === 0xfe);
  const le = h[0] === 0xff;
  let forbidden = 0;
  let chars = 0;
  if (utf16)
    for (let at = 2; at + 1 < h.length; at += 2, chars++)
      forbidden += isXmlForbidden(le ? u16le(h, at)! : u16be(h, at)!) ? 1 : 0;
  else for (; chars < h.length; chars++) forbidden += isXmlForbidden(h[chars]!) ? 1 : 0;
  return forbidden * 100 <= chars;
}

function firstBoxFits(h: Uint8Array, size: number): boolean {
  const box = u32be(h, 0) ?? 0;
  return box === 0 || box === 1 || (box >= 8 && box <= size);
}

/** What each check of CHECKED_HEADER confirmed, for the reason. */
const CHECKED_NOTE: Record<string, string> = {
  arj: 'the basic header CRC-32 holds',
  bmp: 'the bitmap file header fields hold',
  mts: 'a sync byte starts every packet the probe holds',
  cpio: 'the header and its name hold',
  ico: 'the icon directory entries lie in the file and the first image is a PNG or a DIB',
  cur: 'the icon directory entries lie in the file and the first image is a PNG or a DIB',
  pcap: 'the file header (version 2.x, snapshot length) and the first record header hold',
  Z: 'the flags and the first LZW codes hold',
  ...Object.fromEntries(ISO_BOX_TYPES.map((ext) => [ext, "the first box's size fits the file"] as const)),
  tif: 'its first IFD lies inside the file',
  aac: 'ADTS frame headers chain from offset 0',
  ac3: 'AC-3 sync frames chain from offset 0',
  xml: 'the document after the declaration is text',
  swf: 'the version and file length hold',
};
/**
 * ICO/CUR ("00 00 01 00" / "00 00 02 00"): every directory entry the probe holds points inside the file, past the
 * directory, and the first image starts as an icon image does (a PNG signature or a BITMAPINFOHEADER-family size).
 * A Mac resource fork or datafork font (.dfont) starts with its data offset 256 as a big-endian word, the same
 * four bytes: its "entries" point nowhere.
 */
function iconDirectory(h: Uint8Array, size: number): boolean {
  const count = u16le(h, 4) ?? 0;
  const directoryEnd = 6 + 16 * count;
  if (count === 0 || directoryEnd > size) return false;
  for (let i = 0; i < count && 6 + 16 * i + 16 <= h.length; i++) {
    const length = u32le(h, 6 + 16 * i + 8)!;
    const offset = u32le(h, 6 + 16 * i + 12)!;
    if (length === 0 || offset < directoryEnd || offset + length > size) return false;
  }
  const first = u32le(h, 6 + 12);
  if (first === undefined || first + 8 > h.length) return false;
  const png = u32be(h, first) === 0x89504e47 && u32be(h, first + 4) === 0x0d0a1a0a;
  const dib = u32le(h, first)!;
  return png || dib === 40 || dib === 12 || dib === 108 || dib === 124;
}

/** pcap: version 2.x after the magic, a snapshot length, and a first record whose captured length fits both. */
function pcapHeader(h: Uint8Array, size: number): boolean {
  // The magic's byte order is the file's: a1 b2 c3 d4 (or a1 b2 3c 4d, nanoseconds) written big- or little-endian.
  const little = h[0] === 0xd4 || h[0] === 0x4d || h[0] === 0x34;
  const u16 = (o: number) => (little ? h[o]! | (h[o + 1]! << 8) : (h[o]! << 8) | h[o + 1]!);
  const u32 = (o: number) => (little ? u32le(h, o) : u32be(h, o)) ?? 0;
  if (h.length < 24 || u16(4) !== 2) return false;
  const snapLength = u32(16);
  if (snapLength === 0) return false;
  if (size === 24) return true; // a capture with no packet
  if (h.length < 40) return false;
  const captured = u32(32);
  const original = u32(36);
  return captured <= original && captured <= Math.max(snapLength, 262_144) && 40 + captured <= size;
}

// PDF too: its objects are text, and a real one meets the pdf detector first; a "%PDF-" header before random
// bytes (no object, cross-reference or trailer) is not a PDF file file-type should vouch for.
const STRUCTURED_BODY = new Set(['exe', 'pdf', 'ps', 'rtf']);

/** MPEG audio found by frame sync alone (no ID3 tag): the frames must chain (mpeg-audio.ts), else a 0xFF run passes. */
const MPEG_AUDIO = new Set(['mp1', 'mp2', 'mp3']);

export const fileTypeDetector = defineDetector({
  meta: {
    id: 'file-type',
    version: '1.5.0',
    title: 'Magic numbers known to the file-type library',
    formats: [
      {
        id: 'file-type',
        name: 'Any type file-type identifies (id = its extension)',
        status: 'analysable',
        how: 'library',
      },
    ],
  },
  priority: 80,
  async detect(probe): Promise<Detection | undefined> {
    if (probe.size === 0) return undefined;
    // GZIP: the archives detector names it, and the gzip container inflates the stream and
    // identifies what is inside (a tar included). file-type would inflate every gzip head
    // a second time to look for tar (~2.5 ms each; docs/performance.md).
    if (probe.head[0] === 0x1f && probe.head[1] === 0x8b && probe.head[2] === 0x08) return undefined;
    const found = await (await fileTypeFromBuffer())(probe.head);
    if (!found) return undefined;
    if (LEFT_TO_STRUCTURE.has(found.ext)) return undefined;
    const check = CHECKED_HEADER[found.ext];
    if (check && !check(probe.head, probe.size)) return undefined;
    if (STRUCTURED_BODY.has(found.ext) && randomAfterHeader(probe)) return undefined;
    const id = (ID_OF[found.ext] ?? found.ext).toLowerCase();
    const tagged = probe.head[0] === 0x49 && probe.head[1] === 0x44 && probe.head[2] === 0x33; // "ID3"
    const frames = MPEG_AUDIO.has(found.ext) && !tagged ? mpegFrames(probe.head, probe.size) : -1;
    if (frames === 0) return undefined;
    // A short magic that the whole probe confirmed (frames chaining, a header checked: MPEG-TS sync at every packet) is
    // the format's structure, not a chance prefix.
    const weak = WEAK.has(found.ext) && frames < 0 && !check;
    // A TAR without the "ustar" magic (v7) is file-type's alone: a header whose checksum holds is the file's own
    // structure, and a format found behind it (a picture's frame at 514) is the first member's, as for ustar.
    const tarHeader = found.ext === 'tar' && tarChecksumOk(probe.head);
    return {
      format: {
        id,
        name: found.ext.toUpperCase(),
        mime: found.mime,
        extensions: [found.ext.toLowerCase(), ...(EXTRA_EXTENSIONS[found.ext] ?? [])],
      },
      status: 'analysable',
      confidence: weak ? 0.4 : tarHeader ? 0.97 : 0.8,
      reasons: [
        {
          code: weak ? 'FILE_TYPE_WEAK_MAGIC' : 'FILE_TYPE_MAGIC',
          message: `file-type recognised ${found.mime} (.${found.ext}) from the magic number${weak ? '; this magic is short and also occurs in random data' : ''}${frames > 0 ? `; ${frames} MPEG audio frame header(s) chain from offset 0` : ''}${tarHeader ? '; the first header checksum holds' : ''}${check ? `; ${CHECKED_NOTE[found.ext]}` : ''}.`,
          figures: frames > 0 ? { mime: found.mime, ext: found.ext, frames } : { mime: found.mime, ext: found.ext },
        },
      ],
    };
  },
});
