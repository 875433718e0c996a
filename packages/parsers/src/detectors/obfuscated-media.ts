/**
 * Pictures and videos whose first bytes were garbled or cut off while the rest
 * is left as it was: what photo-vault apps on phones do to hide media cheaply
 * (NQ Vault XORs the first 128 bytes with a one-byte key; others overwrite or
 * drop the header, or rename the file), and what carving leaves of a file whose
 * first cluster was lost. No magic number is at the start, and coded pictures
 * and video read as random bytes, so without this the statistics call them
 * compressed or ciphertext. What gives them away is the body:
 *
 * - JPEG: entropy-coded scan data, where every 0xFF byte is followed by 0x00
 *   (byte stuffing) or a restart marker 0xD0–0xD7, and the file ends with the
 *   EOI marker FFD9 — or the header's segments (quantisation and Huffman
 *   tables, frame header) chaining by their lengths to a scan header behind
 *   the garbled prefix. Random bytes pass the 0xFF rule with probability 9/256
 *   per 0xFF; 12 and high entropy are required (≈ 2^-58), and an EOI or header too;
 *   3 when both the header chain and the EOI are there (small pictures, thumbnails).
 * - PNG: the 12-byte IEND chunk (with its fixed CRC) ending the file, and an
 *   IHDR chunk whose CRC checks or a chunk chain in the head.
 * - MP4/MOV (ISO BMFF): top-level boxes (free, mdat, moov, …) chaining by their
 *   sizes from some offset to exactly the end of the file, or a `moov` box
 *   with its `mvhd` first that ends exactly at the end of the file.
 *
 * Such a file is opaque, not encrypted and not analysable: no viewer opens it
 * as it stands, but no key is needed either — restoring the standard header
 * (SOI, the PNG signature, an ftyp box) makes it viewable, and the reason says
 * where the intact part starts. References: ITU-T T.81 §B.1.1.5 and §F.1.2.3
 * (markers, byte stuffing), ISO/IEC 15948 §5.3–5.6 (PNG chunks, CRC), ISO/IEC
 * 14496-12 §4.2 (box header).
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { byteHistogram, shannonEntropy } from '@evtriage/core/helpers';
import { plain, probeWindows, u32be, type ProbeWindow } from './util.js';

export const OBFUSCATED = {
  jpeg: { id: 'jpeg-obfuscated', name: 'JPEG picture with a garbled or missing header' },
  png: { id: 'png-obfuscated', name: 'PNG picture with a garbled or missing header' },
  mp4: { id: 'mp4-obfuscated', name: 'MP4/MOV video with a garbled or missing header' },
} as const;

const CONFIDENCE = 0.75;
/** 0xFF bytes in scan data, each followed by stuffing or a restart marker, needed to call bytes a JPEG scan. */
const SCAN_MIN_FF = 12;
/** Enough when the header's segments chain to a scan header and the file ends with EOI (thumbnails). */
const SCAN_MIN_FF_WITH_HEADER = 3;
/** Coded picture data: text, tables and integer arrays are far below. */
const SCAN_MIN_ENTROPY = 7.0;
/** How far before the end an EOI may sit (padding some writers and apps leave). */
const EOI_SLACK = 32;
/** Header segments followed before the scan header (APPn, COM, tables, frame). */
const MAX_SEGMENTS = 64;
/** Offsets in the head tried as the start of a box chain (each chain at most 64 boxes). */
const MAX_BOX_STARTS = 256;

/** The file's last bytes (the tail, or the head when it holds the whole file). */
function lastBytes(probe: Probe): Uint8Array {
  return probe.tail.length > 0 ? probe.tail : probe.head;
}

/**
 * The PNG family's 8-byte signature: a high byte, three upper-case letters, CR LF SUB LF (PNG 0x89 "PNG",
 * MNG 0x8A "MNG", JNG 0x8B "JNG"). MNG and JNG carry whole PNG and JPEG streams in their chunks, so their
 * intact header is a container's, not a garbled picture's.
 */
function pngFamilySignature(h: Uint8Array): boolean {
  const upper = (b: number | undefined) => b !== undefined && b >= 0x41 && b <= 0x5a;
  return (
    h.length >= 8 &&
    h[0]! >= 0x80 &&
    upper(h[1]) &&
    upper(h[2]) &&
    upper(h[3]) &&
    h[4] === 0x0d &&
    h[5] === 0x0a &&
    h[6] === 0x1a &&
    h[7] === 0x0a
  );
}

function startsLikeMedia(h: Uint8Array): boolean {
  const jpeg = h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff;
  const ftyp = h[4] === 0x66 && h[5] === 0x74 && h[6] === 0x79 && h[7] === 0x70;
  return jpeg || pngFamilySignature(h) || ftyp;
}

// --- JPEG -------------------------------------------------------------------------------------------

/** 0xFF pairs in `b` that scan data allows (stuffing, restart) and that it does not. */
function scanPairs(b: Uint8Array): { ok: number; bad: number; stuffed: number } {
  let ok = 0;
  let bad = 0;
  let stuffed = 0;
  for (let i = b.indexOf(0xff); i >= 0 && i + 1 < b.length; i = b.indexOf(0xff, i + 1)) {
    const next = b[i + 1]!;
    if (next === 0x00) {
      ok++;
      stuffed++;
      i++;
    } else if (next >= 0xd0 && next <= 0xd7) ok++;
    else if (next === 0xff || next === 0xd9)
      continue; // fill bytes before a marker; the end of the picture
    else bad++;
  }
  return { ok, bad, stuffed };
}

/** Segments a JPEG header has before its scan: tables, frame headers, application data, comments. */
function headerMarker(m: number): boolean {
  return (m >= 0xc0 && m <= 0xcf && m !== 0xc8) || m === 0xdb || m === 0xdd || m === 0xfe || (m >= 0xe0 && m <= 0xef);
}

/**
 * Header segments chaining by their lengths from the marker at `at` (FF, a marker, a length leading to the
 * next) through a frame header (SOFn) to a scan header (SOS): how many, and where the scan data starts.
 * Shared with xor-obfuscated, which checks a de-XORed head from offset 2 (after SOI).
 */
export function jpegSegmentsFrom(h: Uint8Array, at: number): { segments: number; scanAt: number } | undefined {
  let segments = 0;
  let frame = false;
  // A header has a few dozen segments at most; the bound keeps a file of 0xFF bytes linear.
  while (segments < MAX_SEGMENTS) {
    if (h[at] !== 0xff || at + 4 > h.length) return undefined;
    const m = h[at + 1]!;
    if (m === 0xda) {
      return frame && segments >= 2 ? { segments, scanAt: at + 2 + ((h[at + 2]! << 8) | h[at + 3]!) } : undefined;
    }
    if (!headerMarker(m)) return undefined;
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) frame = true;
    const len = (h[at + 2]! << 8) | h[at + 3]!;
    if (len < 2) return undefined;
    at += 2 + len;
    segments++;
  }
  return undefined;
}

/** The first chain of header segments in `h` that reaches a scan header: where the intact JPEG header starts. */
function jpegHeaderChain(h: Uint8Array): { offset: number; segments: number; scanAt: number } | undefined {
  for (let o = h.indexOf(0xff); o >= 0 && o + 4 <= h.length; o = h.indexOf(0xff, o + 1)) {
    const chain = jpegSegmentsFrom(h, o);
    if (chain) return { offset: o, ...chain };
  }
  return undefined;
}

function jpegVerdict(probe: Probe, ws: ProbeWindow[]): Detection | undefined {
  let ok = 0;
  let bad = 0;
  let stuffed = 0;
  const last = lastBytes(probe);
  let eoi = -1;
  for (let i = last.length - 2; i >= Math.max(0, last.length - EOI_SLACK); i--)
    if (last[i] === 0xff && last[i + 1] === 0xd9) {
      eoi = probe.size - last.length + i;
      break;
    }
  // Cheap first: too few good pairs in all windows together (a bound on what any part of them holds) ends it
  // before the header search and any histogram, as on random input. A small picture (a thumbnail) has few
  // 0xFF bytes: with an EOI at the end, its header chain is looked for before giving up.
  const bound = ws.reduce((n, w) => n + scanPairs(w.bytes).ok, 0);
  if (bound < (eoi >= 0 ? SCAN_MIN_FF_WITH_HEADER : SCAN_MIN_FF)) return undefined;
  const header = jpegHeaderChain(probe.head);
  if (eoi < 0 && !header) return undefined;
  // The head's scan data starts after the scan header when the header is there; else past a garbled prefix.
  const headSkip = header ? header.scanAt : Math.min(1024, probe.head.length >> 3);
  const read = ws
    .map((w) => (w.at === 0 ? w.bytes.subarray(headSkip) : w.bytes))
    .filter((b) => b.length >= 256)
    .map((b) => ({ b, pairs: scanPairs(b) }));
  for (const { b, pairs } of read) {
    const { counts, total } = byteHistogram([b]);
    if (shannonEntropy(counts, total) < SCAN_MIN_ENTROPY) continue;
    ok += pairs.ok;
    bad += pairs.bad;
    stuffed += pairs.stuffed;
  }
  // Progressive pictures carry a few table and scan markers between scans.
  const enough = header && eoi >= 0 ? SCAN_MIN_FF_WITH_HEADER : SCAN_MIN_FF;
  if (ok < enough || stuffed * 2 < ok || bad * 20 > ok) return undefined;
  const parts = [
    `${ok} 0xFF bytes in the coded data read are each followed by stuffing (${stuffed}) or a restart marker` +
      `${bad > 0 ? `, ${bad} other markers between scans` : ''}: JPEG scan data`,
  ];
  if (eoi >= 0) parts.push(`the end-of-image marker FFD9 at offset ${eoi}`);
  if (header)
    parts.push(
      `from offset ${header.offset} ${header.segments} header segments (tables and frame header) chain to the scan header`,
    );
  return plain('opaque', {
    ...OBFUSCATED.jpeg,
    confidence: CONFIDENCE,
    code: 'JPEG_BODY_WITHOUT_HEADER',
    message:
      `No JPEG start-of-image at the beginning, yet ${parts.join('; ')}. A JPEG whose first bytes were garbled or ` +
      'cut (as photo-vault apps hide pictures, or carving leaves them): not ciphertext; viewable once its header is restored.',
    figures: { scanPairs: ok, stuffed, otherMarkers: bad, eoiAt: eoi, headerAt: header?.offset ?? -1 },
  });
}

// --- PNG --------------------------------------------------------------------------------------------

const IEND = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

export function endsWithIend(last: Uint8Array): boolean {
  const at = last.length - IEND.length;
  return at >= 0 && IEND.every((v, i) => last[at + i] === v);
}

/** An IHDR chunk (length 13) in `h` whose CRC checks. */
function ihdrAt(h: Uint8Array): number {
  for (let i = h.indexOf(0x49, 4); i >= 4 && i + 21 <= h.length; i = h.indexOf(0x49, i + 1)) {
    if (h[i + 1] !== 0x48 || h[i + 2] !== 0x44 || h[i + 3] !== 0x52 || u32be(h, i - 4) !== 13) continue;
    if (zlib.crc32(h.subarray(i, i + 17)) === u32be(h, i + 17)) return i - 4;
  }
  return -1;
}

/** An IDAT chunk in `h` whose CRC checks (when the head holds it) or whose length leads to another chunk type. */
function idatAt(h: Uint8Array, windowAt: number, size: number): number {
  for (let i = h.indexOf(0x49, 4); i >= 4 && i + 4 <= h.length; i = h.indexOf(0x49, i + 1)) {
    if (h[i + 1] !== 0x44 || h[i + 2] !== 0x41 || h[i + 3] !== 0x54) continue;
    const len = u32be(h, i - 4)!;
    const next = i + 4 + len + 4;
    if (windowAt + next + 8 > size) continue;
    if (next + 8 <= h.length) {
      const type = h.subarray(next + 4, next + 8);
      if (type.every((c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return i - 4;
    }
  }
  return -1;
}

function pngVerdict(probe: Probe): Detection | undefined {
  if (!endsWithIend(lastBytes(probe))) return undefined;
  const ihdr = ihdrAt(probe.head);
  const idat = ihdr >= 0 ? -1 : idatAt(probe.head, 0, probe.size);
  if (ihdr < 0 && idat < 0) return undefined;
  const where =
    ihdr >= 0
      ? `an IHDR chunk whose CRC checks at offset ${ihdr}`
      : `an IDAT chunk leading to the next at offset ${idat}`;
  return plain('opaque', {
    ...OBFUSCATED.png,
    confidence: CONFIDENCE,
    code: 'PNG_BODY_WITHOUT_HEADER',
    message:
      `No PNG signature at the beginning, yet ${where} and the IEND chunk (with its CRC) ending the file: a PNG whose ` +
      'first bytes were garbled or cut. Not ciphertext; viewable once its signature is restored.',
    figures: { chunkAt: ihdr >= 0 ? ihdr : idat, ihdr: ihdr >= 0 },
  });
}

// --- MP4 --------------------------------------------------------------------------------------------

const code = (t: string) =>
  ((t.charCodeAt(0) << 24) | (t.charCodeAt(1) << 16) | (t.charCodeAt(2) << 8) | t.charCodeAt(3)) >>> 0;
/** Top-level ISO BMFF box types, as big-endian numbers (compared without making strings); shared with xor-obfuscated. */
export const TOP_BOXES = new Map(
  ['ftyp', 'free', 'skip', 'wide', 'mdat', 'moov', 'moof', 'mfra', 'meta', 'uuid', 'sidx', 'styp', 'pdin'].map((t) => [
    code(t),
    t,
  ]),
);
const MOOV = code('moov');
const MVHD = code('mvhd');

/** The 8 bytes at file offset `at`, from whichever window holds them. */
function boxHeader(ws: ProbeWindow[], at: number): { size: number; type: number; large?: number } | undefined {
  for (const w of ws) {
    const rel = at - w.at;
    if (rel < 0 || rel + 8 > w.bytes.length) continue;
    const size = u32be(w.bytes, rel)!;
    const type = u32be(w.bytes, rel + 4)!;
    if (size === 1) {
      if (rel + 16 > w.bytes.length) return undefined;
      const hi = u32be(w.bytes, rel + 8)!;
      const lo = u32be(w.bytes, rel + 12)!;
      return { size, type, large: hi * 2 ** 32 + lo };
    }
    return { size, type };
  }
  return undefined;
}

/** Boxes chaining from `start` to exactly the end of the file (at least two, one of them mdat or moov). */
function boxChain(ws: ProbeWindow[], start: number, size: number): string[] | undefined {
  const types: string[] = [];
  let at = start;
  // Each step moves forward by 8 bytes at least: bounded by the file, and by the header bytes the windows hold.
  while (at < size && types.length < 64) {
    const box = boxHeader(ws, at);
    if (!box || !TOP_BOXES.has(box.type)) return undefined;
    const len = box.size === 0 ? size - at : box.size === 1 ? box.large! : box.size;
    if (len < 8 || at + len > size) return undefined;
    types.push(TOP_BOXES.get(box.type)!);
    at += len;
  }
  return at === size && types.length >= 2 && (types.includes('mdat') || types.includes('moov')) ? types : undefined;
}

function mp4Verdict(probe: Probe, ws: ProbeWindow[]): Detection | undefined {
  const h = probe.head;
  let found: { offset: number; types: string[] } | undefined;
  let tries = 0;
  // Below 16 MiB a box size that fits the file starts with a zero byte: the loop visits zero bytes only.
  const small = probe.size < 2 ** 24;
  for (let o = 1; o + 8 <= h.length && !found && tries < MAX_BOX_STARTS; o++) {
    if (small) {
      o = h.indexOf(0, o);
      if (o < 0 || o + 8 > h.length) break;
    }
    if (!TOP_BOXES.has(u32be(h, o + 4)!)) continue;
    tries++;
    const types = boxChain(ws, o, probe.size);
    if (types) found = { offset: o, types };
  }
  let message: string;
  if (found) {
    message =
      `No MP4 file-type box at the beginning, yet from offset ${found.offset} ${found.types.length} boxes ` +
      `(${[...new Set(found.types)].join(', ')}) chain by their sizes to exactly the end of the file`;
  } else {
    // The header garbled further than the first box: a movie box (mvhd first) that ends the file.
    const last = lastBytes(probe);
    const base = probe.size - last.length;
    for (let i = last.lastIndexOf(0x6d, last.length - 12); i >= 4 && !found; i = last.lastIndexOf(0x6d, i - 1)) {
      // i is the "m" of a possible "moov"; its box starts 4 bytes before.
      if (u32be(last, i) !== MOOV || u32be(last, i + 8) !== MVHD) continue;
      const box = i - 4;
      if (base + box + u32be(last, box)! === probe.size && base + box > 0)
        found = { offset: base + box, types: ['moov'] };
    }
    if (!found) return undefined;
    message = `No MP4 file-type box at the beginning, yet a movie box (moov, mvhd first) at offset ${found.offset} ends exactly at the end of the file`;
  }
  return plain('opaque', {
    ...OBFUSCATED.mp4,
    confidence: CONFIDENCE,
    code: 'MP4_BOXES_WITHOUT_HEADER',
    message: `${message}: an MP4 or MOV whose first bytes were garbled or cut. Not ciphertext; playable once its header is restored.`,
    figures: { boxesAt: found.offset, boxes: found.types.length },
  });
}

export const obfuscatedMediaDetector = defineDetector({
  meta: {
    id: 'obfuscated-media',
    version: '1.0.0',
    title: 'Pictures and videos whose header was garbled or cut (photo-vault apps, carving) by their intact body',
    formats: [
      { ...OBFUSCATED.jpeg, status: 'opaque', how: 'structure' },
      { ...OBFUSCATED.png, status: 'opaque', how: 'structure' },
      { ...OBFUSCATED.mp4, status: 'opaque', how: 'structure' },
    ],
  },
  fallback: true,
  minSize: 512,
  priority: 79,
  detect(probe): Detection | undefined {
    if (startsLikeMedia(probe.head)) return undefined;
    const ws = probeWindows(probe);
    return mp4Verdict(probe, ws) ?? pngVerdict(probe) ?? jpegVerdict(probe, ws);
  },
});
