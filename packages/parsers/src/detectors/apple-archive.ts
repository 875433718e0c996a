/**
 * Apple Archive (`aa`, AppleArchive.framework; "YAA1" in OTA payloads) with
 * its entries in clear: each entry is the magic "AA01" or "YAA1", a u16
 * header size, then fields of a 3-letter key and a subtype letter that fixes
 * the value's size (`1`/`2`/`4`/`8` integers, `P` a u16-prefixed string,
 * `S`/`T` timestamps of 8/12 bytes, `F`-`J` hashes of 4/20/32/48/64 bytes,
 * `*` a flag, `A`/`B`/`C` the 2/4/8-byte size of a blob that follows the
 * header). The fields must tile the header exactly, and the next entry start
 * where the blobs end. A compressed archive is a "pbze"/"pbzx" stream (other
 * detectors); an encrypted one is AEA.
 * References: Apple's AppleArchive.h (field keys, hash functions) and public
 * readers of the format (blacktop/ipsw's yaa package, libNeoAppleArchive). No
 * Debian package writes it: the fixture is written from that layout
 * (fixtures/apple-archive/generate.py).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, plain, u16le, u32le, u64le } from './util.js';

const FIXED: Record<string, number> = {
  '1': 1,
  '2': 2,
  '4': 4,
  '8': 8,
  S: 8,
  T: 12,
  F: 4,
  G: 20,
  H: 32,
  I: 48,
  J: 64,
  '*': 0,
};
const BLOB: Record<string, number> = { A: 2, B: 4, C: 8 };

/** The entry at `at`: its header and blob sizes and path, or undefined when its fields do not tile the header. */
function entry(h: Uint8Array, at: number): { header: number; blobs: number; path: string | undefined } | undefined {
  const magic = ascii(h, at, at + 4);
  const header = u16le(h, at + 4);
  if ((magic !== 'AA01' && magic !== 'YAA1') || header === undefined || header < 6 || at + header > h.length)
    return undefined;
  let blobs = 0;
  let path: string | undefined;
  let p = at + 6;
  while (p < at + header) {
    const key = ascii(h, p, p + 3);
    const subtype = String.fromCharCode(h[p + 3] ?? 0);
    if (!/^[A-Z0-9]{3}$/.test(key)) return undefined;
    p += 4;
    if (subtype in FIXED) p += FIXED[subtype]!;
    else if (subtype === 'P') {
      const length = u16le(h, p);
      if (length === undefined) return undefined;
      if (key === 'PAT') path = ascii(h, p + 2, Math.min(p + 2 + length, at + header));
      p += 2 + length;
    } else if (subtype in BLOB) {
      const width = BLOB[subtype]!;
      const size = width === 2 ? u16le(h, p) : width === 4 ? u32le(h, p) : u64le(h, p);
      if (size === undefined) return undefined;
      blobs += size;
      p += width;
    } else return undefined;
  }
  return p === at + header ? { header, blobs, path } : undefined;
}

function appleArchive(probe: Probe): Detection | undefined {
  const h = probe.head;
  let at = 0;
  let entries = 0;
  const paths: string[] = [];
  while (at < probe.size) {
    if (at + 6 > h.length) break; // the next entry lies past the bytes read
    const e = entry(h, at);
    if (!e) return undefined;
    entries++;
    if (e.path !== undefined && paths.length < 4) paths.push(e.path || '.');
    at += e.header + e.blobs;
  }
  if (entries === 0 || at > probe.size) return undefined;
  const magic = ascii(h, 0, 4);
  return plain('analysable', {
    id: 'apple-archive',
    name: 'Apple Archive (uncompressed)',
    confidence: 0.92,
    code: 'APPLE_ARCHIVE_ENTRIES',
    message:
      `"${magic}" entries: ${entries} read, each header's fields tiling it exactly and the next entry starting where ` +
      `its blobs end${paths.length ? ` (paths ${paths.map((p) => `"${p}"`).join(', ')})` : ''}: an archive in clear.`,
    figures: { entriesRead: entries },
  });
}

export const appleArchiveDetector = defineDetector({
  meta: {
    id: 'apple-archive',
    version: '1.0.0',
    title: 'Apple Archive (AA01/YAA1) entries in clear',
    formats: [
      {
        id: 'apple-archive',
        name: 'Apple Archive (uncompressed)',
        status: 'analysable',
        how: 'structure',
        extensions: ['aar', 'yaa'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'AA01' },
    { offset: 0, ascii: 'YAA1' },
  ],
  minSize: 10,
  priority: 30,
  detect: appleArchive,
});
