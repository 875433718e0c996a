/**
 * libmdbx databases: Isar 3 (Flutter: `<name>.isar` beside `<name>.isar.lock`),
 * Erigon and reth (`mdbx.dat`, `mdbx.lck`) and other apps built on libmdbx, the
 * LMDB descendant. The LMDB detector does not take them: the magic differs. A
 * data file starts with three meta pages; each has a 20-byte page header
 * (txnid, dupfix key size, flags with P_META, lower/upper, page number) and
 * then the meta, whose first 8 bytes are the 56-bit MDBX magic shifted left by
 * one byte plus the data format version (3; 2 for older files). The page size
 * is the free-space tree's 32-bit field at meta offset 44. The lock file
 * (`*.lck`, `*.isar.lock`) starts with the same magic and the lock version.
 * Readable by mdbx_dump (no encryption in the format): analysable.
 * Reference: libmdbx src/layout-dxb.h (MDBX_MAGIC 0x59659DBDEF4C11,
 * MDBX_DATA_VERSION 3, MDBX_DATA_MAGIC, NUM_METAS 3, meta_t, page_t,
 * PAGEHDRSZ 20, P_META 0x08) and src/layout-lck.h (MDBX_LOCK_MAGIC).
 */
import { defineDetector, u16le, u32le, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

/** The magic's seven bytes as they sit in the file (little-endian, after the version byte). */
const MAGIC = '114cefbd9d6559';
const P_META = 0x08;
const PAGE_HEADER = 20;

function hasMagic(h: Uint8Array, at: number): boolean {
  return Buffer.from(h.subarray(at + 1, at + 8)).toString('hex') === MAGIC;
}

/** A meta page at `at` with page number `pgno`: the page header's flags and number, the magic, a data version. */
function metaPage(h: Uint8Array, at: number, pgno: number): number | undefined {
  if (((u16le(h, at + 10) ?? 0) & P_META) === 0 || u32le(h, at + 16) !== pgno) return undefined;
  if (!hasMagic(h, at + PAGE_HEADER)) return undefined;
  // Version 2 or 3, with or without the ascending-page-list build flag (64).
  const version = (h[at + PAGE_HEADER] ?? 0) & ~64;
  return version === 2 || version === 3 ? version : undefined;
}

export const mdbxDetector = defineDetector({
  meta: {
    id: 'mdbx',
    version: '1.0.0',
    title: 'libmdbx databases (Isar 3, Erigon, reth)',
    formats: [
      { id: 'mdbx', name: 'libmdbx database', status: 'analysable', how: 'structure', extensions: ['isar', 'dat'] },
      {
        id: 'mdbx-lock',
        name: 'libmdbx lock file',
        status: 'analysable',
        how: 'signature',
        extensions: ['lck', 'lock'],
      },
    ],
  },
  signatures: [
    { offset: PAGE_HEADER + 1, hex: MAGIC },
    { offset: 1, hex: MAGIC },
  ],
  minSize: 256,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const version = metaPage(h, 0, 0);
    if (version !== undefined) {
      const pageSize = u32le(h, PAGE_HEADER + 44) ?? 0;
      if (pageSize < 256 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return undefined;
      if (probe.size < 3 * pageSize) return undefined;
      // The second and third meta pages, when the probe holds them.
      const held = [1, 2].filter((n) => n * pageSize + PAGE_HEADER + 8 <= h.length);
      if (held.some((n) => metaPage(h, n * pageSize, n) === undefined)) return undefined;
      return plain('analysable', {
        id: 'mdbx',
        name: 'libmdbx database',
        confidence: held.length > 0 ? 0.95 : 0.85,
        code: 'MDBX_META_PAGES',
        message: `libmdbx data file: meta page 0${held.map((n) => ` and ${n}`).join('')} with the MDBX magic, data format ${version}, ${pageSize}-byte pages (Isar 3 keeps its collections in one; mdbx_dump reads it).`,
        figures: { pageSize, dataVersion: version, metaPagesSeen: held.length + 1 },
      });
    }
    // Lock versions so far are single digits (6 in libmdbx 0.13); a byte beyond 15 before the magic is no lock file.
    if (hasMagic(h, 0) && (h[0] ?? 255) <= 15) {
      return plain('analysable', {
        id: 'mdbx-lock',
        name: 'libmdbx lock file',
        confidence: 0.85,
        code: 'MDBX_LOCK_MAGIC',
        message: `libmdbx lock file: the MDBX magic with lock version ${h[0] ?? 0} at offset 0; it holds the reader table (process and transaction ids), not data.`,
        figures: { lockVersion: h[0] ?? 0 },
      });
    }
    return undefined;
  },
});
