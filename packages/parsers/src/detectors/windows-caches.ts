/**
 * Windows caches of a computer extraction whose bytes look compressed or random:
 * - SuperFetch databases (C:\Windows\Prefetch\Ag*.db, *.7db): "MEMO" (Vista, 4 KiB blocks) or
 *   "MEM0" (Windows 7, 64 KiB blocks), the uncompressed size, then compressed blocks; from Windows
 *   8.1 "MAM\x84" (XPRESS Huffman), the uncompressed size and a checksum. Without the header check
 *   the compressed body read as ciphertext or a TrueCrypt/VeraCrypt volume.
 * - Explorer's thumbnail and icon caches (thumbcache_*.db, iconcache_*.db): "CMMM", a format
 *   version (20 Vista, 21 Windows 7, 30-32 Windows 8 to 11), the cache type, and the offset of the
 *   first entry, which starts "CMMM" again (entries hold JPEG, PNG or BMP thumbnails); the index
 *   thumbcache_idx.db starts "IMMM" with the same versions.
 * Opaque: Windows-internal caches a dedicated parser reads (thumbcache viewers, SuperFetch
 * parsers), not general readers; none is encrypted.
 * References: libyal/dtformats "Windows SuperFetch database format" and "Windows Explorer thumbnail
 * cache database format".
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u32le } from './util.js';

const VERSIONS = new Set([20, 21, 30, 31, 32]);
const MAX_UNCOMPRESSED = 1024 * 1024 * 1024;
const SUPERFETCH = { id: 'windows-superfetch-db', name: 'Windows SuperFetch database, compressed (MEMO/MEM0/MAM)' };
const THUMBCACHE = { id: 'windows-thumbcache', name: 'Windows Explorer thumbnail cache (CMMM)' };
const THUMBCACHE_INDEX = { id: 'windows-thumbcache-index', name: 'Windows Explorer thumbnail cache index (IMMM)' };

export const windowsCachesDetector = defineDetector({
  meta: {
    id: 'windows-caches',
    version: '1.0.0',
    title: 'Windows SuperFetch databases and Explorer thumbnail caches',
    formats: [
      { ...SUPERFETCH, status: 'opaque', how: 'header-field', extensions: ['db', '7db'] },
      { ...THUMBCACHE, status: 'opaque', how: 'header-field', extensions: ['db'] },
      { ...THUMBCACHE_INDEX, status: 'opaque', how: 'header-field', extensions: ['db'] },
    ],
  },
  minSize: 24,
  priority: 30,
  signatures: [
    { offset: 0, ascii: 'MEM0' },
    { offset: 0, ascii: 'MEMO' },
    { offset: 0, hex: '4d414d84' },
    { offset: 0, ascii: 'CMMM' },
    { offset: 0, ascii: 'IMMM' },
  ],
  detect(probe): Detection | undefined {
    const h = probe.head;
    const magic = ascii(h, 0, 4);
    if (magic === 'MEM0' || magic === 'MEMO') return superfetch(h, magic, probe.size);
    // MAM with the checksum bit (0x80) over XPRESS Huffman (4); prefetch files use MAM\x04, without it.
    if (magic === 'MAM\x84') return superfetch(h, magic, probe.size);
    if (magic === 'CMMM') return thumbcache(h, probe.size);
    if (magic === 'IMMM') return thumbcacheIndex(h);
    return undefined;
  },
});

/** Mostly printable ASCII: a text file that happens to start with the magic. */
function textual(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  let printable = 0;
  for (const v of b) if ((v >= 0x20 && v < 0x7f) || v === 0x0a || v === 0x0d || v === 0x09) printable++;
  return printable / b.length > 0.9;
}

const SUPERFETCH_KINDS: Record<string, string> = {
  MEMO: 'Windows Vista SuperFetch database',
  MEM0: 'Windows 7 SuperFetch database',
  'MAM\x84': 'Windows 8.1+ SuperFetch database (XPRESS Huffman, with a checksum)',
};

function superfetch(h: Uint8Array, magic: string, size: number): Detection | undefined {
  const uncompressed = u32le(h, 4) ?? 0;
  const header = magic.startsWith('MAM') ? 12 : 8;
  // Compressed memory-manager data: the uncompressed size is at least the payload's, within reason.
  if (uncompressed < size - header || uncompressed > MAX_UNCOMPRESSED || textual(h.subarray(header, 264)))
    return undefined;
  return plain('opaque', {
    ...SUPERFETCH,
    confidence: 0.85,
    code: 'SUPERFETCH_COMPRESSED',
    message: `"${magic.replace('\x84', '\\x84')}" header: a ${SUPERFETCH_KINDS[magic]!}, ${size - header} compressed bytes of ${uncompressed} uncompressed: high entropy, not encrypted.`,
    figures: { uncompressedSize: uncompressed },
  });
}

function thumbcache(h: Uint8Array, size: number): Detection | undefined {
  const version = u32le(h, 4) ?? 0;
  const type = u32le(h, 8) ?? 0;
  if (!VERSIONS.has(version) || type > 15) return undefined;
  // Vista and 7 keep the first entry's offset at 12; Windows 8 and later at 16.
  const first = u32le(h, version < 30 ? 12 : 16) ?? 0;
  if (first < 24 || first > size) return undefined;
  const entry = first + 4 <= h.length && first < size ? ascii(h, first, first + 4) : undefined;
  if (entry !== undefined && entry !== 'CMMM') return undefined;
  return plain('opaque', {
    ...THUMBCACHE,
    confidence: entry ? 0.95 : 0.85,
    code: 'THUMBCACHE_HEADER',
    message: `"CMMM" thumbnail cache, format version ${version}, cache type ${type}, first entry at ${first}${entry ? ' (starting "CMMM")' : ''}: Explorer's cache of thumbnails (JPEG, PNG, BMP) for a thumbcache parser; not encrypted.`,
    figures: { version, cacheType: type, firstEntry: first },
  });
}

function thumbcacheIndex(h: Uint8Array): Detection | undefined {
  const version = u32le(h, 4) ?? 0;
  if (!VERSIONS.has(version) || textual(h.subarray(8, 264))) return undefined;
  return plain('opaque', {
    ...THUMBCACHE_INDEX,
    confidence: 0.85,
    code: 'THUMBCACHE_INDEX_HEADER',
    message: `"IMMM" thumbnail cache index, format version ${version}: the hash table of Explorer's thumbnail caches; not encrypted.`,
    figures: { version },
  });
}
