/**
 * Firebird databases (`.fdb`, `.gdb`) and gbak backups (`.fbk`). Layouts from src/jrd/ods.h and src/burp/burp.h:
 * - a database's page 0 is its header page: page type 1 (pag_header) at 0, page number 0 at 12, the page size
 *   (a power of two, 1–32 KiB) at 16 and the on-disk structure version at 18 (0x8000 marks Firebird: ODS 10–13,
 *   Firebird 1–5), little-endian on the usual CPUs; the file is whole pages. The header flags (at 42) say whether a
 *   database crypt plugin has encrypted the pages (hdr_encrypted: 0x40 in ODS 12, 0x08 in ODS 13) or is doing so
 *   (hdr_crypt_process, 0x04); ODS 12 names the plugin at 88. Page 0 itself is never encrypted;
 * - a gbak backup starts with the record type rec_burp (0) and attributes of one type byte, one length byte and
 *   the value: first the backup format (2, 4 bytes), later the database's file name (7) and the backup date (1).
 * isql-fb and the server read a plain database, gbak restores a backup.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { afterStructureEnd, locked, notingZeroPadding, plain, u16le, u32le, wholePagesEnd } from './util.js';

const PAGE_HEADER = 1;
const FIREBIRD_ODS = 0x8000;
const FORMATS = {
  database: { id: 'firebird-database', name: 'Firebird database' },
  encrypted: { id: 'firebird-database-encrypted', name: 'Firebird database, encrypted by a crypt plugin' },
  backup: { id: 'firebird-gbak-backup', name: 'Firebird gbak backup' },
} as const;

/** The encrypted and crypt-in-progress flags of the header page, by ODS major version. */
function cryptFlags(ods: number): { encrypted: number; inProgress: number } {
  return ods >= 13 ? { encrypted: 0x08, inProgress: 0x04 } : { encrypted: 0x40, inProgress: 0x04 };
}

/** A NUL-padded printable name, or '' when the field is empty or not text. */
function fieldText(b: Uint8Array, at: number, length: number): string {
  let s = '';
  for (let i = at; i < at + length && i < b.length; i++) {
    const c = b[i]!;
    if (c === 0) break;
    if (c < 0x20 || c > 0x7e) return '';
    s += String.fromCharCode(c);
  }
  return s;
}

function database(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (h[0] !== PAGE_HEADER || u32le(h, 12) !== 0 || h.length < 96) return undefined;
  const pageSize = u16le(h, 16)!;
  const odsVersion = u16le(h, 18)!;
  const ods = odsVersion & 0x7fff;
  if (![1024, 2048, 4096, 8192, 16384, 32768].includes(pageSize)) return undefined;
  if ((odsVersion & FIREBIRD_ODS) === 0 || ods < 10 || ods > 13) return undefined;
  // Whole pages; one line end, a few NULs or text after the last whole page (a copy's byte, slack, a carve into a log)
  // are set aside and named (wholePagesEnd).
  const end = wholePagesEnd(probe, pageSize);
  if (end === undefined || end < pageSize) return undefined;
  const after = afterStructureEnd(probe, end);
  const flags = u16le(h, 42)!;
  const crypt = cryptFlags(ods);
  const figures = { pageSize, ods, pages: end / pageSize, flags };
  const where = `page 0 is a header page (type 1, page number 0), ${pageSize}-byte pages, ODS ${ods} (Firebird ${ods - 9 > 3 ? '4–5' : ods - 9})`;
  if ((flags & (crypt.encrypted | crypt.inProgress)) !== 0) {
    const plugin = ods === 12 ? fieldText(h, 88, 32) : '';
    const partial = (flags & crypt.inProgress) !== 0;
    return notingZeroPadding(
      locked({
        ...FORMATS.encrypted,
        confidence: 0.9,
        code: 'FIREBIRD_HEADER_ENCRYPTED',
        message: `Firebird database: ${where}; the header flags (0x${flags.toString(16)}) say ${partial ? 'a crypt plugin is encrypting or decrypting it now' : 'its pages are encrypted'}${plugin ? ` by the crypt plugin "${plugin}"` : ' by a database crypt plugin'}.`,
        figures,
        scheme: 'firebird-db-crypt',
        scope: partial ? 'partial' : 'full',
        keyHint: {
          description: `The key the crypt plugin${plugin ? ` "${plugin}"` : ''} gets from its key holder (a plugin on the server or the client, often configured with a key file).`,
          kind: 'key-file',
          present: 'unknown',
        },
      }),
      after,
      'the whole pages before them',
    );
  }
  return notingZeroPadding(
    plain('analysable', {
      ...FORMATS.database,
      confidence: 0.85,
      code: 'FIREBIRD_HEADER_PAGE',
      message: `Firebird database: ${where}; not encrypted (header flags 0x${flags.toString(16)}). isql-fb and the Firebird server read it, gbak backs it up.`,
      figures,
    }),
    after,
    'the whole pages before them',
  );
}

function backup(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (h[0] !== 0 || h[1] !== 2 || h[2] !== 4) return undefined;
  const version = u32le(h, 3)!;
  if (version < 1 || version > 16) return undefined;
  // The attributes of the backup record, up to its end (attribute 0).
  let at = 7;
  let file = '';
  let date = '';
  for (let n = 0; n < 32; n++) {
    const type = h[at];
    const length = h[at + 1];
    if (type === undefined) return undefined;
    if (type === 0) break;
    if (length === undefined || type > 20 || at + 2 + length > h.length) return undefined;
    if (type === 7) file = fieldText(h, at + 2, length);
    if (type === 1) date = fieldText(h, at + 2, length);
    at += 2 + length;
  }
  if (h[at] !== 0 || file === '' || date === '') return undefined;
  return plain('analysable', {
    ...FORMATS.backup,
    confidence: 0.9,
    code: 'FIREBIRD_GBAK_HEADER',
    message: `Firebird gbak backup: backup format ${version}, of "${file}", made ${date}. gbak restores it (gbak -c).`,
    figures: { backupFormat: version },
  });
}

export const firebirdDetector = defineDetector({
  meta: {
    id: 'firebird',
    version: '1.1.0',
    title: "Firebird databases (and their crypt plugins' encryption) and gbak backups",
    formats: [
      { ...FORMATS.database, status: 'analysable', how: 'header-field', extensions: ['fdb', 'gdb'] },
      { ...FORMATS.encrypted, status: 'encrypted', how: 'header-field', extensions: ['fdb', 'gdb'] },
      { ...FORMATS.backup, status: 'analysable', how: 'structure', extensions: ['fbk', 'gbk'] },
    ],
  },
  minSize: 64,
  priority: 30,
  detect: (probe) => database(probe) ?? backup(probe),
});
