/**
 * SQLite database files and their companions: the main file (`SQLite format 3`
 * header), the write-ahead log (`-wal`, magic 0x377f0682/0x377f0683), the
 * shared-memory index (`-shm`) and rollback journals (`-journal`).
 * Reference: https://www.sqlite.org/fileformat2.html §1.3, §4.1, §5.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { randomnessFigures } from '@evtriage/core/helpers';
import { randomAfterHeader } from './random-body.js';
import { chiSquareUniform } from './statistics-figures.js';
import { startsWith, u16be, u32be, u32le } from './util.js';

const HEADER = 'SQLite format 3\u0000';
const JOURNAL_MAGIC = Uint8Array.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);

export const sqliteDetector = defineDetector({
  meta: {
    id: 'sqlite',
    version: '1.0.0',
    title: 'SQLite database and companion files',
    formats: [
      {
        id: 'sqlite',
        name: 'SQLite database',
        status: 'analysable',
        how: 'signature',
        mime: 'application/vnd.sqlite3',
        extensions: ['db', 'sqlite', 'sqlite3', 'sqlitedb', 'storedata', 'db3'],
      },
      {
        id: 'sqlite-wal',
        name: 'SQLite write-ahead log',
        status: 'analysable',
        how: 'header-field',
        extensions: ['db-wal', 'sqlite-wal', 'wal'],
      },
      {
        id: 'sqlite-journal-encrypted',
        name: 'SQLite rollback journal of an encrypted database (SQLCipher)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['db-journal', 'sqlite-journal'],
      },
      {
        id: 'sqlite-wal-encrypted',
        name: 'SQLite write-ahead log of an encrypted database (SQLCipher)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['db-wal', 'sqlite-wal', 'wal'],
      },
      { id: 'sqlite-shm', name: 'SQLite WAL shared-memory index', status: 'analysable', how: 'path' },
      { id: 'sqlite-journal', name: 'SQLite rollback journal', status: 'analysable', how: 'signature' },
    ],
  },
  priority: 10,
  // The database header, a WAL header (either checksum order, file format 3007000), a rollback
  // journal's magic or its zeroed header, a shared-memory index (3007000 either byte order).
  signatures: [
    { offset: 0, ascii: HEADER },
    { offset: 0, hex: '377f0682002de218' },
    { offset: 0, hex: '377f0683002de218' },
    { offset: 0, hex: 'd9d505f920a163d7' },
    { offset: 0, hex: '0000000000000000' },
    { offset: 0, hex: '18e22d00' },
    { offset: 0, hex: '002de218' },
  ],
  detect(probe) {
    const h = probe.head;
    if (startsWith(h, HEADER)) {
      const rawPageSize = u16be(h, 16) ?? 0;
      const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
      const validPage = pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0;
      // The payload fractions are fixed (64, 32, 32: fileformat2 §1.3.5-1.3.7); with a page size that is no power
      // of two and uniformly random bytes after them, the 16-byte magic stands before ciphertext or an overwrite:
      // the fallbacks judge it, knowing the signature matched. A header zeroed or cut short stays a database
      // (its parser then says what is wrong).
      if (!validPage && (h[21] !== 64 || h[22] !== 32 || h[23] !== 32) && randomAfterHeader(probe)) return undefined;
      const figures = {
        pageSize,
        writeVersion: h[18] ?? 0,
        readVersion: h[19] ?? 0,
        pageCount: u32be(h, 28) ?? 0,
        textEncoding: u32be(h, 56) ?? 0,
        userVersion: u32be(h, 60) ?? 0,
      };
      return {
        format: { id: 'sqlite', name: 'SQLite database', mime: 'application/vnd.sqlite3' },
        status: 'analysable',
        confidence: validPage ? 0.99 : 0.8,
        reasons: [
          {
            code: 'SQLITE_HEADER',
            message: `"SQLite format 3" header at offset 0${validPage ? `, page size ${pageSize}` : `, but page size ${rawPageSize} is not valid`}${figures.writeVersion === 2 ? ', WAL mode' : ''}.`,
            figures,
          },
        ],
      } satisfies Detection;
    }
    const magic = u32be(h, 0);
    if ((magic === 0x377f0682 || magic === 0x377f0683) && u32be(h, 4) === 3007000 && walHeaderChecksumHolds(h)) {
      const encrypted = encryptedLog('wal', walPages(h));
      if (encrypted) return encrypted;
      return {
        format: { id: 'sqlite-wal', name: 'SQLite write-ahead log' },
        status: 'analysable',
        confidence: 0.98,
        reasons: [
          {
            code: 'SQLITE_WAL_HEADER',
            message: `SQLite WAL magic 0x${magic.toString(16)} with format version 3007000.`,
            figures: { pageSize: u32be(h, 8) ?? 0, checkpointSequence: u32be(h, 12) ?? 0 },
          },
        ],
      } satisfies Detection;
    }
    // A journal's magic is written only when it is synced; PERSIST-mode and in-flight journals keep it zeroed.
    // Then its first record decides whatever the name: the checksum sqlite writes after each page image (the
    // header's nonce plus every 200th byte) must hold. Without a whole first record in the head (or with one
    // that fails), a -journal name plus a plausible header (sector size, page size) still counts, with less confidence.
    const sectorSize = u32be(h, 20) ?? 0;
    const journalPageSize = u32be(h, 24) ?? 0;
    const plausibleHeader = isPow2(sectorSize, 512, 65536) && isPow2(journalPageSize, 512, 65536);
    if (!startsWith(h, JOURNAL_MAGIC) && plausibleHeader && h.subarray(0, 8).every((b) => b === 0)) {
      const record = zeroedJournalRecord(h, sectorSize, journalPageSize);
      if (record || /-journal$/i.test(probe.name)) {
        const encrypted = encryptedLog('journal', journalPages(h));
        if (encrypted) return encrypted;
        return {
          format: { id: 'sqlite-journal', name: 'SQLite rollback journal' },
          status: 'analysable',
          confidence: record ? 0.9 : 0.8,
          reasons: [
            record
              ? {
                  code: 'SQLITE_JOURNAL_RECORD_CHECKSUM',
                  message: `Zeroed journal magic (not synced or PERSIST mode), sector size ${sectorSize}, page size ${journalPageSize}, and a first record (page ${record.page} of ${record.databasePages}) whose checksum ${record.checksum.toString(16).padStart(8, '0')} is the header's nonce plus every 200th byte of its page image: a SQLite rollback journal, whatever its name.`,
                  figures: { sectorSize, pageSize: journalPageSize, page: record.page, checksum: record.checksum },
                }
              : {
                  code: 'SQLITE_JOURNAL_ZEROED_HEADER',
                  message: `Named -journal, zeroed magic (not synced or PERSIST mode), sector size ${sectorSize}, page size ${journalPageSize}.`,
                  figures: { sectorSize, pageSize: journalPageSize },
                },
          ],
        } satisfies Detection;
      }
    }
    // A synced journal's header gives its sector and page sizes; other values mean the magic stands before
    // other bytes (a damaged file), which the fallbacks judge.
    if (startsWith(h, JOURNAL_MAGIC) && isPow2(sectorSize, 512, 65536) && isPow2(journalPageSize, 512, 65536)) {
      const encrypted = encryptedLog('journal', journalPages(h));
      if (encrypted) return encrypted;
      return {
        format: { id: 'sqlite-journal', name: 'SQLite rollback journal' },
        status: 'analysable',
        confidence: 0.95,
        reasons: [
          { code: 'SQLITE_JOURNAL_MAGIC', message: 'SQLite rollback-journal magic d9d505f920a163d7 at offset 0.' },
        ],
      } satisfies Detection;
    }
    // The -shm index has no magic: its WAL-index header starts with version 3007000 (native byte order). Two
    // identical copies of the 48-byte header whose checksum holds are its structure, whatever the file is called;
    // the name and the version alone still do beside a database (an index not yet initialised).
    if (shmHeaderHolds(h)) {
      return {
        format: { id: 'sqlite-shm', name: 'SQLite WAL shared-memory index' },
        status: 'analysable',
        confidence: 0.95,
        basis: 'structure',
        reasons: [
          {
            code: 'SQLITE_SHM_HEADER',
            message:
              'WAL-index header (version 3007000) stored twice, identical, with its checksum holding: a SQLite shared-memory index.',
          },
        ],
      } satisfies Detection;
    }
    if (/-shm$/i.test(probe.name) && probe.size >= 32768 && (u32le(h, 0) === 3007000 || u32be(h, 0) === 3007000)) {
      return {
        format: { id: 'sqlite-shm', name: 'SQLite WAL shared-memory index' },
        status: 'analysable',
        confidence: 0.9,
        basis: 'path',
        reasons: [{ code: 'SQLITE_SHM_INDEX', message: 'Named -shm and starts with the WAL-index version 3007000.' }],
      } satisfies Detection;
    }
    return undefined;
  },
});

/**
 * The first record of a rollback journal whose header is zeroed before the nonce: sqlite's writeJournalHdr
 * (pager.c) writes the record count, a random nonce, the database's page count, the sector and page sizes,
 * then zeros (up to the page size, repeated to fill the sector); each record is the page number (1 to that count), the page image and
 * pager_cksum: the nonce plus every 200th byte of the image counted back from pageSize - 200. A non-zero nonce
 * and the sum holding (a 32-bit match) are the proof; undefined unless the whole record is in the head.
 */
export function zeroedJournalRecord(
  h: Uint8Array,
  sectorSize: number,
  pageSize: number,
): { page: number; databasePages: number; checksum: number } | undefined {
  const nonce = u32be(h, 12) ?? 0;
  const databasePages = u32be(h, 16) ?? 0;
  const end = sectorSize + 4 + pageSize + 4;
  if (nonce === 0 || end > h.length) return undefined;
  // Zeros after the header's fields, up to the smaller of the two sizes (a header shorter than the sector is written again to fill it).
  for (let i = 28; i < Math.min(sectorSize, pageSize); i++) if (h[i] !== 0) return undefined;
  const page = u32be(h, sectorSize)!;
  if (page === 0 || page > databasePages) return undefined;
  const image = h.subarray(sectorSize + 4, sectorSize + 4 + pageSize);
  let sum = nonce;
  for (let i = pageSize - 200; i > 0; i -= 200) sum = (sum + image[i]!) >>> 0;
  const checksum = u32be(h, sectorSize + 4 + pageSize)!;
  return checksum === sum ? { page, databasePages, checksum } : undefined;
}

function isPow2(n: number, min: number, max: number): boolean {
  return n >= min && n <= max && (n & (n - 1)) === 0;
}

const WAL_HEADER = 32;
const FRAME_HEADER = 24;
const PAGES_READ = 4;

/**
 * The WAL header's checksum (bytes 24-31) over its first 24 bytes, in the byte order the magic names
 * (0x377f0682 little-endian, 0x377f0683 big-endian): sqlite's walChecksumBytes, as the WAL format describes it.
 */
function walHeaderChecksumHolds(h: Uint8Array): boolean {
  if (h.length < 32) return false;
  const bigEndian = (u32be(h, 0) ?? 0) === 0x377f0683;
  const word = (at: number) => (bigEndian ? u32be(h, at)! : u32le(h, at)!);
  let s0 = 0;
  let s1 = 0;
  for (let at = 0; at < 24; at += 8) {
    s0 = (s0 + word(at) + s1) >>> 0;
    s1 = (s1 + word(at + 4) + s0) >>> 0;
  }
  return s0 === u32be(h, 24) && s1 === u32be(h, 28);
}

/**
 * sqlite's WalIndexHdr (wal.c): iVersion 3007000, isInit 1 at byte 12, and aCksum (bytes 40-47) the
 * walChecksumBytes of bytes 0-39 read in the writer's byte order (the one the version is in); the header is
 * written twice, at 0 and 48, and both copies agree in a settled index.
 */
function shmHeaderHolds(h: Uint8Array): boolean {
  if (h.length < 96) return false;
  const bigEndian = u32be(h, 0) === 3007000;
  if (!bigEndian && u32le(h, 0) !== 3007000) return false;
  if (h[12] !== 1) return false;
  for (let i = 0; i < 48; i++) if (h[i] !== h[48 + i]) return false;
  const word = (at: number) => (bigEndian ? u32be(h, at)! : u32le(h, at)!);
  let s0 = 0;
  let s1 = 0;
  for (let at = 0; at < 40; at += 8) {
    s0 = (s0 + word(at) + s1) >>> 0;
    s1 = (s1 + word(at + 4) + s0) >>> 0;
  }
  return s0 === word(40) && s1 === word(44);
}

type LogPages = { pageSize: number; pages: Uint8Array[] } | undefined;

function validPageSize(n: number): boolean {
  return n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
}

/**
 * A page image from a log, or `false` when it reads as SQLite's own (the database header, a b-tree page): one such
 * page makes the log plain, however random its other pages look (overflow pages of compressed or image blobs do).
 */
function foreignPage(page: Uint8Array, pageSize: number): Uint8Array | false {
  return startsWith(page, HEADER) || isBtreePage(page, pageSize) ? false : page;
}

/** The page images of a WAL's first frames (those whose salts repeat the header's: real frames, not stale bytes). */
function walPages(h: Uint8Array): LogPages {
  const pageSize = u32be(h, 8) ?? 0;
  if (!validPageSize(pageSize)) return undefined;
  const pages: Uint8Array[] = [];
  for (
    let at = WAL_HEADER;
    at + FRAME_HEADER + 512 <= h.length && pages.length < PAGES_READ;
    at += FRAME_HEADER + pageSize
  ) {
    if (u32be(h, at + 8) !== u32be(h, 16) || u32be(h, at + 12) !== u32be(h, 20)) break;
    const page = foreignPage(h.subarray(at + FRAME_HEADER, Math.min(at + FRAME_HEADER + pageSize, h.length)), pageSize);
    if (!page) return undefined;
    pages.push(page);
  }
  return { pageSize, pages };
}

/** The page images of a rollback journal's first records (page number, page, checksum), after its header sector. */
function journalPages(h: Uint8Array): LogPages {
  const sectorSize = u32be(h, 20) ?? 0;
  const pageSize = u32be(h, 24) ?? 0;
  if (!validPageSize(pageSize) || !validPageSize(sectorSize)) return undefined;
  const pages: Uint8Array[] = [];
  for (let at = sectorSize; at + 4 + 512 <= h.length && pages.length < PAGES_READ; at += 4 + pageSize + 4) {
    const pageNumber = u32be(h, at) ?? 0;
    if (pageNumber === 0) break;
    const page = foreignPage(h.subarray(at + 4, Math.min(at + 4 + pageSize, h.length)), pageSize);
    if (!page) return undefined;
    pages.push(page);
  }
  return { pageSize, pages };
}

/**
 * The log of an encrypted database (SQLCipher, SEE): the WAL's or journal's own headers are clear, but the page
 * images it carries are ciphertext, where plain pages are structure and zeros.
 */
function encryptedLog(kind: 'wal' | 'journal', log: LogPages): Detection | undefined {
  if (!log || log.pages.length === 0) return undefined;
  const e = randomnessFigures(log.pages);
  const random =
    e.sampledBytes >= 512 && chiSquareUniform(e.chiSquareP, e.sampledBytes) && (e.compressionRatio ?? 0) >= 0.98;
  if (!random) return undefined;
  const n = log.pages.length;
  const wal = kind === 'wal';
  const name = wal
    ? 'SQLite write-ahead log of an encrypted database (SQLCipher)'
    : 'SQLite rollback journal of an encrypted database (SQLCipher)';
  return {
    format: { id: wal ? 'sqlite-wal-encrypted' : 'sqlite-journal-encrypted', name },
    status: 'encrypted',
    confidence: 0.9,
    encryption: {
      scheme: 'sqlcipher',
      scope: 'full',
      keyHint: {
        description: "The database's key, the same that opens the main database file beside this log.",
        kind: 'unknown',
        present: 'unknown',
      },
    },
    reasons: [
      {
        code: wal ? 'SQLITE_WAL_ENCRYPTED_PAGES' : 'SQLITE_JOURNAL_ENCRYPTED_PAGES',
        message: `SQLite ${wal ? 'WAL' : 'rollback-journal'} header (page size ${log.pageSize}) whose ${n} ${wal ? 'frame' : 'record'}${n > 1 ? 's' : ''} read hold uniformly random page images (entropy ${e.shannon} bits/byte, chi-square p=${e.chiSquareP}), where plain pages are structure and zeros: the ${wal ? 'log' : 'journal'} of an encrypted database.`,
        figures: { pageSize: log.pageSize, pagesRead: n, shannon: e.shannon, chiSquareP: e.chiSquareP },
      },
    ],
  };
}

/** A b-tree page header (fileformat2 §1.6): page type, then a cell count and a content start that fit the page. */
function isBtreePage(page: Uint8Array, pageSize: number): boolean {
  const type = page[0];
  if (type !== 0x02 && type !== 0x05 && type !== 0x0a && type !== 0x0d) return false;
  const cells = u16be(page, 3) ?? 0xffff;
  const contentStart = u16be(page, 5) ?? 0xffff;
  return cells <= pageSize / 4 && (contentStart === 0 || contentStart <= pageSize) && (page[7] ?? 255) <= 60;
}
