/**
 * PHP archives in the phar format (`.phar`: Composer, PHPUnit and other PHP
 * tools ship as one): a PHP stub ending in `__HALT_COMPILER();`, then a
 * binary manifest, the files (stored, gzip or bzip2), and an optional
 * signature trailer ending in "GBMB". A phar has no encryption; its signature
 * (MD5, SHA-1, SHA-256, SHA-512 or OpenSSL) says who built it, not that
 * anything is hidden. libmagic knows a phar only by the trailer, so a phar
 * larger than the probe's head was opaque.
 * Evidence: the manifest's fields read as the PHP extension reads them, and
 * where the whole file is accounted for, that they add up to its size; where
 * the manifest runs past the head, the entries in it and the trailer.
 * Layout (little-endian): manifest length (u32), file count (u32), API
 * version (u16, big-endian nibbles 1.x.x), global flags (u32; 0x10000 =
 * signed), alias length (u32) and alias, metadata length (u32) and metadata;
 * per file: name length (u32) and name, size, time, stored size, CRC-32,
 * flags (u32 each: 0x1000 gzip, 0x2000 bzip2, permissions in the low 9 bits),
 * metadata length (u32) and metadata. Trailer: the hash (16/20/32/64 bytes;
 * for OpenSSL a u32 length before the flags), its type (u32), "GBMB".
 * References: the PHP manual, "Phar File Format" (manifest, file entries,
 * signature); php-src ext/phar/phar.c (phar_parse_pharfile).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { indexOf, plain, probeBytes, u32le } from './util.js';

const HALT = '__HALT_COMPILER();';
/** The manifest's fixed fields before the alias: count, API version, flags, alias length. */
const FIXED = 14;
/** The smallest file entry: a 1-byte name and six u32 fields. */
const MIN_ENTRY = 4 + 1 + 24;
const SIGNED = 0x10000;
/** Entry flag bits the format defines: permissions, gzip, bzip2. */
const ENTRY_BITS = 0x1ff | 0x1000 | 0x2000;
/** Signature types (the u32 before "GBMB") and their hash lengths; OpenSSL gives its own. */
const SIGNATURES: Record<number, { name: string; length?: number }> = {
  0x1: { name: 'MD5', length: 16 },
  0x2: { name: 'SHA-1', length: 20 },
  0x3: { name: 'SHA-256', length: 32 },
  0x4: { name: 'SHA-512', length: 64 },
  0x10: { name: 'OpenSSL (RSA, SHA-1)' },
  0x11: { name: 'OpenSSL (RSA, SHA-256)' },
  0x12: { name: 'OpenSSL (RSA, SHA-512)' },
};

/** Where the manifest starts: after the halt call, an optional " ?>" and an optional line end (as PHP skips them). */
function manifestStart(h: Uint8Array, halt: number): number {
  let at = halt + HALT.length;
  if (h[at] === 0x20 && h[at + 1] === 0x3f && h[at + 2] === 0x3e) at += 3;
  else if (h[at] === 0x3f && h[at + 1] === 0x3e) at += 2;
  if (h[at] === 0x0d && h[at + 1] === 0x0a) at += 2;
  else if (h[at] === 0x0a) at += 1;
  return at;
}

interface Manifest {
  start: number;
  length: number;
  files: number;
  api: string;
  signed: boolean;
  /** Entries read from the head, and the sum of their stored sizes. */
  entriesRead: number;
  storedBytes: number;
  compressed: number;
}

/** The manifest at `start`, when its fields are ones PHP accepts; undefined otherwise. */
function readManifest(probe: Probe, start: number): Manifest | undefined {
  const h = probe.head;
  // The fixed fields and the metadata length must be in the head.
  if (start + 4 + FIXED + 4 > h.length) return undefined;
  const length = u32le(h, start)!;
  const files = u32le(h, start + 4)!;
  const end = start + 4 + length;
  if (length < FIXED + 4 || end > probe.size || files * MIN_ENTRY > length - FIXED - 4) return undefined;
  // The API version's high nibble is 1 (phar_parse_pharfile refuses anything else).
  if (h[start + 8]! >> 4 !== 1) return undefined;
  const api = `${h[start + 8]! >> 4}.${h[start + 8]! & 0xf}.${h[start + 9]! >> 4}`;
  const flags = u32le(h, start + 10)!;
  let at = start + 4 + FIXED;
  const alias = u32le(h, at - 4)!;
  if (alias > length) return undefined;
  at += alias;
  const meta = u32le(h, at);
  if (meta === undefined || at + 4 + meta > end) return undefined;
  at += 4 + meta;
  let entriesRead = 0;
  let storedBytes = 0;
  let compressed = 0;
  while (entriesRead < files && at + 4 <= h.length) {
    const nameLength = u32le(h, at)!;
    if (nameLength === 0 || nameLength > 4096 || at + 4 + nameLength + 24 > end) return undefined;
    if (at + 4 + nameLength + 24 > h.length) break; // the rest of the manifest is past the head
    const name = h.subarray(at + 4, at + 4 + nameLength);
    if (name.includes(0)) return undefined;
    const fields = at + 4 + nameLength;
    const size = u32le(h, fields)!;
    const stored = u32le(h, fields + 8)!;
    const entryFlags = u32le(h, fields + 16)!;
    const entryMeta = u32le(h, fields + 20)!;
    if ((entryFlags & ~ENTRY_BITS) !== 0 || (entryFlags & 0x3000) === 0x3000) return undefined;
    // Stored bytes equal the size unless the entry is compressed.
    if ((entryFlags & 0x3000) === 0 && stored !== size) return undefined;
    if (entryFlags & 0x3000) compressed++;
    if (fields + 24 + entryMeta > end) return undefined;
    at = fields + 24 + entryMeta;
    storedBytes += stored;
    entriesRead++;
  }
  if (entriesRead === files && at !== end) return undefined; // every entry read: they fill the manifest exactly
  return { start, length, files, api, signed: (flags & SIGNED) !== 0, entriesRead, storedBytes, compressed };
}

/** The signature trailer at the file's end, when the probe holds it and it is one PHP writes. */
function readTrailer(probe: Probe): { type: string; bytes: number } | undefined {
  const last = probeBytes(probe, probe.size - 8, 8);
  if (!last || String.fromCharCode(...last.subarray(4)) !== 'GBMB') return undefined;
  const kind = SIGNATURES[u32le(last, 0)!];
  if (!kind) return undefined;
  if (kind.length !== undefined) return { type: kind.name, bytes: kind.length + 8 };
  const lengthField = probeBytes(probe, probe.size - 12, 4);
  const length = lengthField && u32le(lengthField, 0);
  if (length === undefined || length === 0 || length > 4096) return undefined;
  return { type: kind.name, bytes: length + 12 };
}

export const pharDetector = defineDetector({
  meta: {
    id: 'phar',
    version: '1.0.0',
    title: 'PHP archives in the phar format (stub, manifest, signature trailer)',
    formats: [
      {
        id: 'phar',
        name: 'PHP archive (phar)',
        status: 'analysable',
        how: 'structure',
        mime: 'application/x-php-archive',
        extensions: ['phar'],
      },
    ],
  },
  // The stub is PHP code of any length: the halt call anywhere in the head.
  signatures: [{ offset: 0, ascii: HALT, within: Number.MAX_SAFE_INTEGER }],
  minSize: HALT.length + 4 + FIXED + 4,
  priority: 30,
  detect(probe): Detection | undefined {
    const halt = indexOf(probe.head, HALT);
    if (halt < 0) return undefined;
    const manifest = readManifest(probe, manifestStart(probe.head, halt));
    if (!manifest) return undefined;
    const trailer = readTrailer(probe);
    if (manifest.signed && !trailer) return undefined; // PHP refuses a signed phar without its signature
    const dataStart = manifest.start + 4 + manifest.length;
    const whole = manifest.entriesRead === manifest.files;
    // Every entry read: stub, manifest, files and trailer must add up to the file's size.
    if (whole && dataStart + manifest.storedBytes + (manifest.signed ? trailer!.bytes : 0) !== probe.size)
      return undefined;
    // Part of the manifest only: believed on a signature trailer, never on the head alone.
    if (!whole && !trailer) return undefined;
    const signature = manifest.signed ? `${trailer!.type} signature` : 'no signature';
    const accounted = whole
      ? `the ${manifest.files} entries' ${manifest.storedBytes} stored bytes and the ${signature} make up the file's ${probe.size} bytes`
      : `${manifest.entriesRead} of ${manifest.files} entries read (the manifest runs past the part read), and a ${signature} trailer ends the file`;
    return plain('analysable', {
      id: 'phar',
      name: 'PHP archive (phar)',
      mime: 'application/x-php-archive',
      confidence: 0.95,
      code: 'PHAR_MANIFEST',
      message: `PHP stub ending in __HALT_COMPILER(); at ${halt}, then a phar manifest (API ${manifest.api}, ${manifest.length} bytes, ${manifest.files} files, ${manifest.compressed} compressed in the part read): ${accounted}. A readable archive: phar has no encryption.`,
      figures: {
        haltOffset: halt,
        manifestBytes: manifest.length,
        files: manifest.files,
        entriesRead: manifest.entriesRead,
        signature: manifest.signed ? trailer!.type : 'none',
      },
    });
  },
});
