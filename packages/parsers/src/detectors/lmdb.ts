/**
 * LMDB (Lightning Memory-Mapped Database) data files: `data.mdb` in an environment folder, or a single file
 * opened with MDB_NOSUBDIR. OpenLDAP, Monero, Mozilla and many mobile and desktop apps keep their stores in
 * it. The file starts with two meta pages (page numbers 0 and 1, flag P_META) whose MDB_meta holds the magic
 * 0xBEEFC0DE, the data format version and, in the free-list database record, the page size. libmagic has no
 * rule for it, so a data file was unrecognised binary. Readable by mdb_dump: analysable. The environment's lock
 * file (`lock.mdb`, `<name>-lock`: the reader table) starts with the same magic and a lock format whose low
 * 12 bits are the lock version (1 or 2); libmagic took it for "Compiled PSI (v1) data".
 * Reference: LMDB's mdb.c (MDB_page: mp_pgno as a size_t, mp_pad, mp_flags; MDB_meta after the page header:
 * mm_magic, mm_version, mm_address, mm_mapsize, mm_dbs[FREE_DBI].md_pad = page size; MDB_DATA_VERSION 1;
 * MDB_txninfo: mti_magic, mti_format = MDB_LOCK_FORMAT, the lock version in its low bits).
 */
import { defineDetector, u16le, u32le, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

const MAGIC = 0xbeefc0de;
const P_META = 0x08;
/** Page-header layouts by the word size of the machine that wrote the file: size_t of 8 or 4 bytes. */
const LAYOUTS = [
  { bits: 64, word: 8, flags: 10, meta: 16 },
  { bits: 32, word: 4, flags: 6, meta: 12 },
] as const;

function metaPage(h: Uint8Array, at: number, pgno: number, layout: (typeof LAYOUTS)[number]): boolean {
  const number = u32le(h, at);
  const high = layout.word === 8 ? u32le(h, at + 4) : 0;
  return (
    number === pgno &&
    high === 0 &&
    ((u16le(h, at + layout.flags) ?? 0) & P_META) !== 0 &&
    u32le(h, at + layout.meta) === MAGIC &&
    u32le(h, at + layout.meta + 4) === 1 // MDB_DATA_VERSION
  );
}

export const lmdbDetector = defineDetector({
  meta: {
    id: 'lmdb',
    version: '1.0.0',
    title: 'LMDB data files (meta pages)',
    formats: [
      {
        id: 'lmdb',
        name: 'LMDB database',
        status: 'analysable',
        how: 'structure',
        extensions: ['mdb'],
      },
      {
        id: 'lmdb-lock',
        name: 'LMDB lock file (reader table)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['mdb'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: 'dec0efbe' },
    { offset: 16, hex: 'dec0efbe' },
    { offset: 12, hex: 'dec0efbe' },
  ],
  minSize: 1024,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const lockVersion = (u32le(h, 4) ?? 0) & 0xfff;
    if (u32le(h, 0) === MAGIC && (lockVersion === 1 || lockVersion === 2))
      return plain('analysable', {
        id: 'lmdb-lock',
        name: 'LMDB lock file (reader table)',
        confidence: 0.9,
        code: 'LMDB_LOCK_HEADER',
        message: `LMDB lock file: the magic 0xBEEFC0DE and lock format 0x${u32le(h, 4)!.toString(16)} (lock version ${lockVersion}); it holds the environment's reader table (process ids, transaction ids), not data.`,
        figures: { lockVersion },
      });
    for (const layout of LAYOUTS) {
      if (!metaPage(h, 0, 0, layout)) continue;
      // mm_address and mm_mapsize (a word each), then the free-list MDB_db whose md_pad is the page size.
      const pageSize = u32le(h, layout.meta + 8 + 2 * layout.word) ?? 0;
      if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) continue;
      if (probe.size < 2 * pageSize) continue;
      // The second meta page, when the probe holds it (pages of 4 KiB and 8 KiB fit a 16 KiB head).
      const second = pageSize + layout.meta + 8 <= h.length;
      if (second && !metaPage(h, pageSize, 1, layout)) continue;
      return plain('analysable', {
        id: 'lmdb',
        name: 'LMDB database',
        confidence: second ? 0.95 : 0.85,
        code: 'LMDB_META_PAGES',
        message: `LMDB data file (${layout.bits}-bit layout): meta page 0${second ? ' and meta page 1' : ''} with the magic 0xBEEFC0DE, data version 1, ${pageSize}-byte pages; mdb_dump reads it.`,
        figures: { pageSize, wordBits: layout.bits, pages: Math.floor(probe.size / pageSize) },
      });
    }
    return undefined;
  },
});
