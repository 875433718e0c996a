/**
 * LHA-family archives (LHarc/LHa, LArc, PMarc, UNLHA32) whatever their method
 * (-lh0- to -lh7-, -lhd-, -lhx-, -lz4-/-lz5-/-lzs-, -pm0-/-pm1-/-pm2-...),
 * and self-extracting ones (an executable stub, then the archive). The magic
 * (a 5-byte method id at offset 2) is checked with the header it sits in:
 * levels 0 and 1 carry a checksum of the header bytes, levels 2 and 3 a chain
 * of extended headers whose sizes must add up to the header size. LHA has no
 * encryption: an archive is analysable. Without this, methods file-type does
 * not list (-pm2-, -lhx-) leave a compressed archive to the entropy test,
 * which takes it for ciphertext.
 * References: LHa for UNIX header.doc (levels 0-3: size, checksum, method,
 * packed and original sizes, level byte at offset 20; extended headers);
 * lhasa lib/lha_file_header.c (the same layouts, LArc and PMarc included).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, plain, probeBytes, probeFrom, u16le, u32be, u32le } from './util.js';

const MAX_ENTRIES = 512;

interface LhaHeader {
  level: number;
  method: string;
  /** Header bytes from the header's start to its entry's data. */
  headerBytes: number;
  packed: number;
  original: number;
}

/** The method id at offset 2: "-", three lowercase letters or digits, "-". */
function methodAt(h: Uint8Array, at: number): string | undefined {
  if (h[at + 2] !== 0x2d || h[at + 6] !== 0x2d) return undefined;
  for (let i = 3; i <= 5; i++) {
    const c = h[at + i]!;
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) return undefined;
  }
  return ascii(h, at + 2, at + 7);
}

/** Sums a chain of extended headers (size fields `width` bytes wide) from `next` at `pos`; undefined when it leaves the bytes. */
function extendedChain(h: Uint8Array, pos: number, next: number, width: 2 | 4): number | undefined {
  let total = 0;
  for (let n = 0; next !== 0; n++) {
    if (n > 64 || next < 1 + width || pos + next > h.length) return undefined;
    total += next;
    pos += next;
    next = (width === 2 ? u16le(h, pos - 2) : u32le(h, pos - 4))!;
  }
  return total;
}

/** The header at `at` when its method, level and checksum or extended-header sizes hold. */
export function lhaHeaderAt(h: Uint8Array, at: number): LhaHeader | undefined {
  if (at + 24 > h.length) return undefined;
  const method = methodAt(h, at);
  if (!method) return undefined;
  const level = h[at + 20]!;
  const packed = u32le(h, at + 7)!;
  const original = u32le(h, at + 11)!;
  if (level === 0 || level === 1) {
    const size = h[at]!;
    const nameLength = h[at + 21]!;
    if (size < 22 + nameLength || at + 2 + size > h.length) return undefined;
    let sum = 0;
    for (let i = at + 2; i < at + 2 + size; i++) sum += h[i]!;
    if ((sum & 0xff) !== h[at + 1]) return undefined;
    // Level 1 counts its extended headers in the packed size; level 0 has none.
    return { level, method, headerBytes: 2 + size, packed, original };
  }
  if (level === 2) {
    const total = u16le(h, at)!;
    if (total < 26 || at + total > h.length) return undefined;
    const ext = extendedChain(h, at + 26, u16le(h, at + 24)!, 2);
    // Some writers pad the header with one zero byte; LHA for OS-9/68k (OS id "K") gives
    // the size without the first two bytes, as lhasa's decode_level2_header allows.
    const os9 = h[at + 23] === 0x4b && 26 + (ext ?? 0) === total + 2;
    if (ext === undefined || (26 + ext !== total && 27 + ext !== total && !os9)) return undefined;
    return { level, method, headerBytes: os9 ? total + 2 : total, packed, original };
  }
  if (level === 3) {
    const total = u32le(h, at + 24)!;
    if (u16le(h, at) !== 4 || total < 32 || total > 65536 || at + total > h.length) return undefined;
    const ext = extendedChain(h, at + 32, u32le(h, at + 28)!, 4);
    if (ext === undefined || 32 + ext !== total) return undefined;
    return { level, method, headerBytes: total, packed, original };
  }
  return undefined;
}

/**
 * Walks the entries from the first header while the probe holds them (head, then tail):
 * the count, the methods seen, and whether the last entry ends the file or meets the
 * end-of-archive zero byte.
 */
function walk(probe: Probe, first: number): { entries: number; methods: string[]; complete: boolean } {
  const methods = new Set<string>();
  let at = first;
  let entries = 0;
  while (entries < MAX_ENTRIES && at < probe.size) {
    const bytes = probeFrom(probe, at, 24);
    const e = bytes && lhaHeaderAt(bytes, 0);
    if (!e) break;
    entries++;
    methods.add(e.method);
    at += e.headerBytes + e.packed;
  }
  // An archive ends at the end of the file or with its end-of-archive zero byte (a
  // self-extractor may keep code or CP/M padding after it).
  const complete = at === probe.size || probeBytes(probe, at, 1)?.[0] === 0;
  return { entries, methods: [...methods], complete };
}

const FAMILY: Record<string, string> = { lz: 'LArc', pm: 'PMarc' };

/**
 * The executable stub a self-extractor starts with: DOS/Windows MZ, ELF, Atari TOS (0x601A),
 * AmigaOS hunk (0x000003F3), Human68k X (HU), or a DOS .COM's first jump (E9/EB). An archive
 * stored inside another container (a ZIP member) is that container's business.
 */
function stubKind(h: Uint8Array): string | undefined {
  if (h[0] === 0x4d && h[1] === 0x5a) return 'DOS/Windows (MZ)';
  if (h[0] === 0x7f && h[1] === 0x45 && h[2] === 0x4c && h[3] === 0x46) return 'ELF';
  if (h[0] === 0x60 && h[1] === 0x1a) return 'Atari TOS';
  if (u32be(h, 0) === 0x3f3) return 'AmigaOS hunk';
  if (h[0] === 0x48 && h[1] === 0x55) return 'Human68k X';
  if (h[0] === 0xe9 || h[0] === 0xeb) return 'DOS .COM';
  return undefined;
}

export const lhaDetector = defineDetector({
  meta: {
    id: 'lha',
    version: '1.0.0',
    title: 'LHA-family archives (LHarc, LHa, LArc, PMarc), self-extracting ones included',
    formats: [
      {
        id: 'lzh',
        name: 'LHA archive (LHarc/LHa, LArc, PMarc)',
        status: 'analysable',
        how: 'header-field',
        mime: 'application/x-lzh-compressed',
        extensions: ['lzh', 'lha', 'lzs', 'pma'],
      },
      {
        id: 'lzh-sfx',
        name: 'Self-extracting LHA archive (executable stub, then the archive)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['exe', 'com', 'x', 'run', 'tos', 'ttp', 'prg'],
      },
    ],
  },
  minSize: 24,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const stub = stubKind(h);
    const limit = stub ? h.length - 24 : 0;
    for (let at = 0; at <= limit; at++) {
      // The method's dashes first: a cheap filter before the header checks.
      if (h[at + 2] !== 0x2d || h[at + 6] !== 0x2d) continue;
      const e = lhaHeaderAt(h, at);
      // A truncated archive is still one at offset 0; a stub's archive must fit in the file.
      if (!e || (at > 0 && at + e.headerBytes + e.packed > probe.size)) continue;
      const w = walk(probe, at);
      const family = FAMILY[e.method.slice(1, 3)] ?? 'LHA';
      const check = e.level <= 1 ? 'header checksum verified' : 'extended-header sizes add up';
      const entries = `${w.entries} entr${w.entries === 1 ? 'y' : 'ies'} read (methods ${w.methods.join(', ')})`;
      if (at === 0) {
        return plain('analysable', {
          id: 'lzh',
          name: `${family} archive`,
          mime: 'application/x-lzh-compressed',
          confidence: 0.93,
          code: 'LHA_HEADER',
          message: `${family} archive: level-${e.level} header with method ${e.method} at offset 0 (${check}); ${entries}. LHA archives have no encryption: readable.`,
          figures: { level: e.level, entries: w.entries, packed: e.packed, original: e.original },
        });
      }
      // Inside a self-extractor the entries must chain to the end of the archive.
      if (!w.complete) return undefined;
      return plain('analysable', {
        id: 'lzh-sfx',
        name: `Self-extracting ${family} archive`,
        confidence: 0.75,
        code: 'LHA_SFX_ARCHIVE',
        message: `${family} archive after a ${at}-byte ${stub} executable stub: level-${e.level} header with method ${e.method} (${check}); ${entries}, chained to the end of the archive. A self-extracting archive without encryption: readable.`,
        figures: { offset: at, level: e.level, entries: w.entries, stub: stub ?? '' },
      });
    }
    return undefined;
  },
});
