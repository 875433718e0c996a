/**
 * InnoDB tablespaces of MariaDB and MySQL (`ibdata1`, `<table>.ibd`, undo tablespaces), plain or encrypted at
 * rest. Page 0 is the file-space header page: its FIL header gives page number 0 (offset 4), page type
 * FIL_PAGE_TYPE_FSP_HDR (8, at 24) and the space id (at 34), which the FSP header repeats at 38; the FSP flags
 * at 54 give the page size (MariaDB's full_crc32 format, flag bit 4: 512 << bits 0–3; otherwise bits 6–9, 0 for
 * 16 KiB), and the file is a whole number of pages. Page 0 is never encrypted, and says whether the others are:
 * - MariaDB (10.1 and later) keeps the tablespace's crypt data on it: the magic "s\x0E\x0CREt", the scheme
 *   (1: encrypted), the IV, the minimum key version and the key id of the key-management plugin;
 * - MySQL (5.7.11 and later) sets FSP flag bit 13 (ENCRYPTION) and keeps the tablespace key, wrapped by the
 *   keyring's master key, behind the magic "lCA", "lCB" or "lCC".
 * The server reads a plain tablespace (with its data dictionary): analysable. libmagic has no rule for them, and
 * the statistics saw structure (or, for small encrypted tables, random pages) without a name.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { afterStructureEnd, locked, notingZeroPadding, plain, u16be, u32be, wholePagesEnd } from './util.js';

const FSP_HDR = 8;
const MARIADB_CRYPT_MAGIC = Buffer.from([0x73, 0x0e, 0x0c, 0x52, 0x45, 0x74]);
const MYSQL_ENCRYPTION_FLAG = 1 << 13;
const FULL_CRC32 = 1 << 4;
const FORMATS = {
  plain: { id: 'innodb-tablespace', name: 'InnoDB tablespace (MariaDB, MySQL)' },
  encrypted: { id: 'innodb-tablespace-encrypted', name: 'InnoDB tablespace, encrypted at rest (MariaDB, MySQL)' },
} as const;

/** The physical page size the FSP flags give, or undefined when they hold none these servers write. */
function pageSize(flags: number): number | undefined {
  if ((flags & FULL_CRC32) !== 0) {
    const ssize = flags & 0x0f;
    return ssize >= 3 && ssize <= 7 ? 512 << ssize : undefined;
  }
  // Compressed row format (ZIP_SSIZE, bits 1–4) stores pages of 1–16 KiB.
  const zip = (flags >> 1) & 0x0f;
  if (zip !== 0) return zip <= 5 ? 512 << zip : undefined;
  const ssize = (flags >> 6) & 0x0f;
  if (ssize === 0) return 16384;
  return ssize >= 3 && ssize <= 7 ? 512 << ssize : undefined;
}

interface MariaCrypt {
  scheme: number;
  minKeyVersion: number;
  keyId: number;
  mode: number;
}

/** MariaDB's crypt data on page 0: magic, scheme, IV length and IV, minimum key version, key id, mode. */
function mariaCrypt(page: Uint8Array): MariaCrypt | undefined {
  const at = Buffer.from(page.buffer, page.byteOffset, page.length).indexOf(MARIADB_CRYPT_MAGIC);
  if (at < 0) return undefined;
  const scheme = page[at + 6];
  const ivLength = page[at + 7];
  if (scheme === undefined || scheme > 1 || ivLength === undefined || ivLength > 32) return undefined;
  const after = at + 8 + ivLength;
  const minKeyVersion = u32be(page, after);
  const keyId = u32be(page, after + 4);
  const mode = page[after + 8];
  if (minKeyVersion === undefined || keyId === undefined || mode === undefined || mode > 2) return undefined;
  return { scheme, minKeyVersion, keyId, mode };
}

/** MySQL's encryption information on page 0: its magic, "lCA" to "lCC" (versions 1 to 3). */
function mysqlKeyMagic(page: Uint8Array): string | undefined {
  for (let i = page.indexOf(0x6c); i >= 0 && i + 3 <= page.length; i = page.indexOf(0x6c, i + 1))
    if (page[i + 1] === 0x43 && page[i + 2]! >= 0x41 && page[i + 2]! <= 0x43)
      return String.fromCharCode(...page.subarray(i, i + 3));
  return undefined;
}

function verdict(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (u32be(h, 4) !== 0 || u16be(h, 24) !== FSP_HDR) return undefined;
  const space = u32be(h, 34);
  if (space === undefined || space !== u32be(h, 38)) return undefined;
  const flags = u32be(h, 54) ?? 0;
  const size = pageSize(flags);
  if (size === undefined || probe.size < size) return undefined;
  // Whole pages; one line end, a few NULs or text after the last whole page (a copy's byte, slack, a carve into a log)
  // are set aside and named (wholePagesEnd).
  const end = wholePagesEnd(probe, size);
  if (end === undefined || end < size) return undefined;
  const after = afterStructureEnd(probe, end);
  const note = (d: Detection): Detection => notingZeroPadding(d, after, 'the whole pages before them');
  const page0 = h.subarray(0, Math.min(size, h.length));
  const figures = { spaceId: space, pageSize: size, pages: end / size, fspFlags: flags };
  const where = `page 0 is a file-space header (FIL_PAGE_TYPE_FSP_HDR) of space ${space}, ${size}-byte pages, ${end / size} pages`;
  const maria = mariaCrypt(page0);
  if (maria?.scheme === 1)
    return note(
      locked({
        ...FORMATS.encrypted,
        confidence: 0.95,
        code: 'INNODB_MARIADB_CRYPT_DATA',
        message: `InnoDB tablespace: ${where}; its MariaDB crypt data ("s\\x0E\\x0CREt") says encryption scheme 1, key id ${maria.keyId}, minimum key version ${maria.minKeyVersion}${maria.minKeyVersion === 0 ? ' (some pages may not be encrypted yet)' : ''}: the other pages are AES-encrypted with that key.`,
        figures: { ...figures, keyId: maria.keyId, minKeyVersion: maria.minKeyVersion },
        scheme: 'mariadb-innodb-aes',
        scope: maria.minKeyVersion === 0 ? 'partial' : 'full',
        keyHint: {
          description: `Key ${maria.keyId} of the server's key-management plugin (file_key_management's key file, HashiCorp Vault, a cloud KMS).`,
          kind: 'key-file',
          present: 'unknown',
        },
      }),
    );
  const mysqlMagic =
    (flags & FULL_CRC32) === 0 && (flags & MYSQL_ENCRYPTION_FLAG) !== 0 ? mysqlKeyMagic(page0) : undefined;
  if (mysqlMagic)
    return note(
      locked({
        ...FORMATS.encrypted,
        confidence: 0.9,
        code: 'INNODB_MYSQL_ENCRYPTION',
        message: `InnoDB tablespace: ${where}; FSP flag 13 (ENCRYPTION) is set and page 0 holds the tablespace key behind "${mysqlMagic}": the other pages are AES-encrypted with it.`,
        figures,
        scheme: 'mysql-innodb-aes',
        keyHint: {
          description:
            "The tablespace key, wrapped on page 0 by the master key in the MySQL server's keyring (keyring_file or a KMS component).",
          kind: 'keystore',
          present: 'unknown',
        },
      }),
    );
  return note(
    plain('analysable', {
      ...FORMATS.plain,
      confidence: 0.9,
      code: 'INNODB_FSP_HEADER',
      message: `InnoDB tablespace: ${where}${maria ? '; its MariaDB crypt data says not encrypted' : ''}. MariaDB or MySQL reads it with its data dictionary.`,
      figures,
    }),
  );
}

export const innodbDetector = defineDetector({
  meta: {
    id: 'innodb',
    version: '1.1.0',
    title: 'InnoDB tablespaces (MariaDB, MySQL), and their encryption at rest, by page 0',
    formats: [
      { ...FORMATS.plain, status: 'analysable', how: 'structure', extensions: ['ibd', 'ibu'] },
      { ...FORMATS.encrypted, status: 'encrypted', how: 'header-field', extensions: ['ibd', 'ibu'] },
    ],
  },
  minSize: 4096,
  priority: 30,
  detect: verdict,
});
