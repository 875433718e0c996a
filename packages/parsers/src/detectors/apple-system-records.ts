/**
 * Small binary records Apple systems keep (and FreeBSD, for BSM), named by
 * their structure and kept opaque, as the shared corpus labels them: each is
 * read only by its own API or a dedicated parser.
 * - Bookmark data (NSURL bookmarks: iOS and macOS file references, login
 *   items, sandbox extensions): "book", a u32 size equal to the file's, a
 *   header size of 48, and a table of contents whose header (a size, then the
 *   mark 0xfffffffe) sits where the first u32 after the header points.
 * - utmpx (`/private/var/run/utmpx`): records of 628 bytes, the first a
 *   signature record "utmpx-1.00"; the file is a whole number of records.
 * - BSM audit trails (`/private/var/audit/`, OpenBSM): records that start with
 *   a 32-bit header token (0x14, a big-endian record size, version 10 or 11)
 *   and end with a trailer token (0x13, magic 0xb105, the same size).
 * - Spotlight store databases (`.Spotlight-V100/Store-V2/<uuid>/store.db` and
 *   `.store.db` on macOS, CoreSpotlight's `index.spotlightV3` on iOS): "8tsd",
 *   then a map whose offset, size and page size the header gives, and whose
 *   page starts "1mbd" or "2mbd". Its property pages are zlib-compressed, so
 *   without a name the statistics could take them for ciphertext.
 * References: libyal/dtformats ("Apple bookmark data", "utmp formats",
 * "BSM audit trail", "Apple Spotlight store database") and OpenBSM's audit_record.h. Fixtures written from them
 * (fixtures/apple-system-records/generate.py); the corpus holds real ones.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u32be, u32le, u16be } from './util.js';

const UTMPX_RECORD = 628;

function bookmark(probe: Probe): Detection | undefined {
  const h = probe.head;
  const size = u32le(h, 4);
  const tocAt = u32le(h, 48);
  if (size !== probe.size || u32le(h, 12) !== 48 || tocAt === undefined) return undefined;
  const toc = 48 + tocAt;
  if (toc + 8 > probe.size) return undefined;
  if (toc + 8 <= h.length && u32le(h, toc + 4) !== 0xfffffffe) return undefined;
  return plain('opaque', {
    id: 'apple-bookmark-data',
    name: 'Apple bookmark data (NSURL bookmark)',
    confidence: 0.9,
    code: 'BOOKMARK_DATA_HEADER',
    message: `"book" with its size field equal to the file's (${probe.size} bytes), a 48-byte header and a table of contents at ${toc}: a file reference (path, volume, sandbox data) read by Apple's URL APIs and dedicated parsers.`,
  });
}

function utmpx(probe: Probe): Detection | undefined {
  if (probe.size % UTMPX_RECORD !== 0) return undefined;
  return plain('opaque', {
    id: 'utmpx',
    name: 'utmpx login records (Apple)',
    confidence: 0.9,
    code: 'UTMPX_SIGNATURE',
    message: `The "utmpx-1.00" signature record and ${probe.size / UTMPX_RECORD - 1} more records of ${UTMPX_RECORD} bytes: logins, logouts and boots, read by last(1) and dedicated parsers.`,
  });
}

function bsm(probe: Probe): Detection | undefined {
  const h = probe.head;
  const size = u32be(h, 1);
  const version = h[5];
  // The whole first record must be in the head: its trailer is the check random bytes do not pass.
  if (size === undefined || size < 25 || size > h.length || (version !== 10 && version !== 11)) return undefined;
  if (h[size - 7] !== 0x13 || u16be(h, size - 6) !== 0xb105 || u32be(h, size - 4) !== size) return undefined;
  return plain('opaque', {
    id: 'bsm-audit',
    name: 'BSM audit trail',
    confidence: 0.9,
    code: 'BSM_RECORD_TOKENS',
    message: `A BSM header token (version ${version}, a ${size}-byte record) ending in a trailer token with magic 0xb105 and the same size: an audit trail, read by praudit and dedicated parsers.`,
  });
}

const STORE_HEADER = 4096;

function spotlightStore(probe: Probe): Detection | undefined {
  const h = probe.head;
  const mapAt = u32le(h, 36);
  const mapSize = u32le(h, 40);
  const pageSize = u32le(h, 44);
  if (mapAt === undefined || mapSize === undefined || pageSize === undefined) return undefined;
  // The map lies on a 4 KiB block boundary past the header, inside the file; pages are a power of two.
  if (mapAt < STORE_HEADER || mapAt % STORE_HEADER !== 0 || mapSize === 0 || mapAt + mapSize > probe.size)
    return undefined;
  if (pageSize < 512 || pageSize > 1 << 20 || (pageSize & (pageSize - 1)) !== 0) return undefined;
  const mapMagic = mapAt + 4 <= h.length ? String.fromCharCode(...h.subarray(mapAt, mapAt + 4)) : undefined;
  if (mapMagic !== undefined && mapMagic !== '1mbd' && mapMagic !== '2mbd') return undefined;
  return plain('opaque', {
    id: 'apple-spotlight-store',
    name: 'Apple Spotlight store database',
    confidence: 0.9,
    code: 'SPOTLIGHT_STORE_HEADER',
    message: `"8tsd" with a ${mapSize}-byte map at ${mapAt}${mapMagic ? ` (page "${mapMagic}")` : ''} and ${pageSize}-byte pages: Spotlight's metadata index (file names, dates, content types of indexed files), zlib-compressed property pages read only by dedicated parsers.`,
  });
}

export const appleSystemRecordsDetector = defineDetector({
  meta: {
    id: 'apple-system-records',
    version: '1.0.0',
    title: 'Apple bookmark data, utmpx, BSM audit trails and Spotlight stores (named, opaque)',
    formats: [
      { id: 'apple-bookmark-data', name: 'Apple bookmark data (NSURL bookmark)', status: 'opaque', how: 'structure' },
      { id: 'utmpx', name: 'utmpx login records (Apple)', status: 'opaque', how: 'header-field' },
      { id: 'bsm-audit', name: 'BSM audit trail', status: 'opaque', how: 'structure', extensions: ['bsm'] },
      {
        id: 'apple-spotlight-store',
        name: 'Apple Spotlight store database',
        status: 'opaque',
        how: 'header-field',
        extensions: ['db'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'book' },
    { offset: 0, ascii: 'utmpx-1.00\0' },
    { offset: 0, hex: '14' },
    { offset: 0, ascii: '8tsd' },
  ],
  minSize: 32,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h[0] === 0x14) return bsm(probe);
    if (h[0] === 0x62) return bookmark(probe);
    if (h[0] === 0x38) return spotlightStore(probe);
    return utmpx(probe);
  },
});
