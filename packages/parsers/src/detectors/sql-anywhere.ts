/**
 * SAP (Sybase) SQL Anywhere database files, and the QuickBooks Desktop company
 * files (`.qbw`, `.qba`) that are such databases.
 *
 * Page 0 is a superblock in clear: six zero bytes, a format number (3) at
 * 0x10, the magic 0xDA7ABA5E (u32 LE) at 0x14, collation names, the engine's
 * copyright string repeated, and every page ends with a CRC-32 (zlib's) of its
 * other bytes in its last four. The magic alone is four bytes; the CRC over
 * the whole superblock is what makes it proof.
 *
 * QuickBooks stores its data pages under a deterministic additive
 * obfuscation that OpenSQLAnywhere removes without any secret (the
 * QuickBooks user password is a login checked by the app, not a key), so a
 * company file is not encrypted, yet its pages read as random bytes. No
 * general reader interprets either file (SQL Anywhere's own server, or
 * QuickBooks, is needed; whether SQL Anywhere's optional strong encryption
 * is on is not read here): opaque, named.
 * Reference: OpenSQLAnywhere SPECIFICATION.md (Sigilweaver, clean-room,
 * observed on 112 SA17 and QuickBooks files): superblock fields, the page
 * trailer and CRC; its ap.rs for the QuickBooks obfuscation.
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u32le } from './util.js';

const MAGIC = 0xda7aba5e;
const MAGIC_AT = 0x14;
const FORMAT_AT = 0x10;
/** Page sizes SQL Anywhere allows (dbinit -p): 2 KiB to 32 KiB; SA17 and QuickBooks use 4 KiB. */
const PAGE_SIZES = [4096, 2048, 8192, 16384, 32768];
const QUICKBOOKS_EXTENSIONS = new Set(['qbw', 'qba']);

/**
 * Strings page 0 of every SQL Anywhere version holds: the CHAR collation label and the vendor's copyright (PhotoRec
 * finds older QuickBooks files by "Sybase" at 0x87A; SA17 writes "SAP SE"). Older versions may not end their pages
 * with a CRC, so one of these, with the magic and the zero prefix, confirms instead.
 */
const SUPERBLOCK_WORDS = ['1252LATIN1', 'windows-1252', 'Sybase', 'SAP SE', 'iAnywhere'];

function superblockWords(h: Uint8Array): string[] {
  const text = Buffer.from(h.subarray(0, 4096)).toString('latin1');
  return SUPERBLOCK_WORDS.filter((w) => text.includes(w));
}

/** The page size whose last four bytes hold the CRC-32 of the superblock's other bytes, if any does. */
function verifiedPageSize(h: Uint8Array): number | undefined {
  return PAGE_SIZES.find((size) => h.length >= size && zlib.crc32(h.subarray(0, size - 4)) === u32le(h, size - 4));
}

/** The repeated engine string of the superblock ("2182 SAP SE, Copyright (c)2015 17.0.4."), where one is found. */
function engineString(h: Uint8Array, pageSize: number): string | undefined {
  const text = Buffer.from(h.subarray(0x400, Math.min(pageSize - 4, 0x400 + 256))).toString('latin1');
  const m = /(\d{3,5} [A-Za-z][ -~]{4,60}?\d+\.\d+\.\d+\.?)/.exec(text);
  return m?.[1];
}

export const sqlAnywhereDetector = defineDetector({
  meta: {
    id: 'sql-anywhere',
    version: '1.0.0',
    title: 'SAP SQL Anywhere databases and QuickBooks company files',
    formats: [
      {
        id: 'quickbooks-company-file',
        name: 'QuickBooks Desktop company file (SQL Anywhere database, obfuscated pages)',
        status: 'opaque',
        how: 'header-field',
        extensions: ['qbw', 'qba'],
      },
      {
        id: 'sql-anywhere-db',
        name: 'SAP SQL Anywhere database',
        status: 'opaque',
        how: 'header-field',
        extensions: ['db'],
      },
    ],
  },
  signatures: [{ offset: MAGIC_AT, hex: '5eba7ada' }],
  minSize: 2048,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (u32le(h, MAGIC_AT) !== MAGIC || h.subarray(0, 6).some((b) => b !== 0)) return undefined;
    const pageSize = verifiedPageSize(h);
    const words = superblockWords(h);
    // The CRC proves the page; without it (older engines) two of the superblock's strings must be there.
    if (pageSize === undefined && words.length < 2) return undefined;
    const format = u32le(h, FORMAT_AT)!;
    const engine = engineString(h, pageSize ?? 4096);
    const wholePages = pageSize === undefined ? undefined : probe.size % pageSize === 0;
    const figures = {
      formatNumber: format,
      strings: words.join(', '),
      ...(pageSize === undefined ? {} : { pageSize, wholePages: wholePages! }),
      ...(engine ? { engine } : {}),
    };
    const proof =
      pageSize === undefined
        ? `page 0 holds ${words.map((w) => `"${w}"`).join(' and ')} (no page CRC: an older engine)`
        : `the CRC-32 in the last 4 bytes of the ${pageSize}-byte page 0 matches`;
    const header = `SQL Anywhere superblock: magic 0xDA7ABA5E at 0x14, format ${format}, ${proof}${engine ? `, engine "${engine}"` : ''}`;
    if (QUICKBOOKS_EXTENSIONS.has(probe.extension))
      return plain('opaque', {
        id: 'quickbooks-company-file',
        name: 'QuickBooks Desktop company file (SQL Anywhere database, obfuscated pages)',
        confidence: 0.93,
        code: 'QUICKBOOKS_SQL_ANYWHERE',
        message: `${header}; a .${probe.extension} file: a QuickBooks company file. Its data pages are obfuscated by a fixed additive scheme that tools remove without a password (the QuickBooks login is not a key): not encrypted, but only QuickBooks (or OpenQBW, in part) reads it.`,
        figures,
      });
    return plain('opaque', {
      id: 'sql-anywhere-db',
      name: 'SAP SQL Anywhere database',
      confidence: 0.92,
      code: 'SQL_ANYWHERE_SUPERBLOCK',
      message: `${header}: a SQL Anywhere database, read by SAP's database server only (whether its optional strong encryption is on is not read).`,
      figures,
    });
  },
});
