/**
 * InnoDB redo logs (`ib_logfile0`, MySQL 8.0.30's `#ib_redoN`), plain or encrypted at rest. The first 512-byte
 * block is the log file header: the log format (offset 0), zero (4), the first LSN (8), the creator string
 * ("MariaDB 10.11.19", "MySQL 8.0.36", "Backup …", at 16–48) and a CRC-32C of bytes 0–507 at 508
 * (storage/innobase/log/log0log.cc, log_t::header_write). Formats:
 * - 0x50687973 "Phys": MariaDB 10.8 and later; encrypted (innodb_encrypt_log) when the key id and key version
 *   after the creator (offset 48, log_crypt_write_header) are set;
 * - 0xF09F979D (the UTF-8 of U+1F5DD, "old key"): MariaDB 10.11.15, 11.4.9 and later, encrypted logs only;
 * - 0x50485953 "PHYS" (MariaDB 10.5–10.7), 103/104 (10.3, 10.4), 1–6 (MySQL 5.7.9–8.0): bit 31 set means
 *   encrypted for MariaDB; MySQL keeps its redo key, wrapped by the keyring's master key, behind "lCA"–"lCC" in
 *   the block at 1024.
 * The server replays a plain log at crash recovery and mariadb-backup copies it: analysable.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { crc32c } from './leveldb.js';
import { locked, plain, u32be } from './util.js';

const FORMAT_10_8 = 0x50687973;
const FORMAT_ENC_11 = 0xf09f979d;
const FORMAT_10_5 = 0x50485953;
const ENCRYPTED_BIT = 0x80000000;
const START_OFFSET = 12288;
const FORMATS = {
  plain: { id: 'innodb-redo-log', name: 'InnoDB redo log (MariaDB, MySQL)' },
  encrypted: { id: 'innodb-redo-log-encrypted', name: 'InnoDB redo log, encrypted at rest (MariaDB, MySQL)' },
} as const;

/** Which server wrote a log format, or undefined for a value no server writes. */
function formatName(format: number): string | undefined {
  const base = format === FORMAT_ENC_11 ? format : format & ~ENCRYPTED_BIT;
  if (base === FORMAT_10_8) return 'MariaDB 10.8+';
  if (base === FORMAT_ENC_11) return 'MariaDB 10.11.15+ (encrypted)';
  if (base === FORMAT_10_5) return 'MariaDB 10.5–10.7';
  if (base === 103 || base === 104) return `MariaDB 10.${base - 100}`;
  if (base >= 1 && base <= 6 && (format & ENCRYPTED_BIT) === 0) return 'MySQL 5.7.9–8.0';
  return undefined;
}

/** The creator string at 16–48: printable ASCII, then NUL padding; undefined when it is not that. */
function creator(h: Uint8Array): string | undefined {
  let text = '';
  let end = false;
  for (let i = 16; i < 48; i++) {
    const c = h[i]!;
    if (c === 0) end = true;
    else if (end || c < 0x20 || c > 0x7e) return undefined;
    else text += String.fromCharCode(c);
  }
  return text.length >= 4 ? text : undefined;
}

function verdict(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (h.length < 512 || probe.size < START_OFFSET) return undefined;
  const format = u32be(h, 0)!;
  const server = formatName(format);
  if (server === undefined || u32be(h, 4) !== 0) return undefined;
  const by = creator(h);
  const crc = u32be(h, 508)!;
  if (by === undefined || crc32c(h.subarray(0, 508)) !== crc) return undefined;
  const firstLsn = u32be(h, 8)! * 2 ** 32 + u32be(h, 12)!;
  const figures = { format, firstLsn, size: probe.size };
  const where = `block 0 is a redo log header: format 0x${format.toString(16).padStart(8, '0')} (${server}), creator "${by}", first LSN ${firstLsn}, its CRC-32C matches`;
  const keyId = u32be(h, 48) ?? 0;
  const keyVersion = u32be(h, 52) ?? 0;
  const mariaEncrypted =
    format === FORMAT_ENC_11 || (format === FORMAT_10_8 && keyId !== 0) || (format & ENCRYPTED_BIT) !== 0;
  if (mariaEncrypted)
    return locked({
      ...FORMATS.encrypted,
      confidence: 0.95,
      code: 'INNODB_REDO_ENCRYPTED',
      message: `InnoDB redo log: ${where}; ${format === FORMAT_ENC_11 || (format & ENCRYPTED_BIT) !== 0 ? 'the format says encrypted' : `encryption information follows the creator (key id ${keyId}, key version ${keyVersion})`} (innodb_encrypt_log): the log records are AES-encrypted.`,
      figures: format === FORMAT_10_8 || format === FORMAT_ENC_11 ? { ...figures, keyId, keyVersion } : figures,
      scheme: 'mariadb-innodb-redo-aes',
      keyHint: {
        description: `Key ${format === FORMAT_10_8 || format === FORMAT_ENC_11 ? keyId : 1} of the server's key-management plugin (file_key_management's key file, HashiCorp Vault, a cloud KMS).`,
        kind: 'key-file',
        present: 'unknown',
      },
    });
  const mysqlKey = by.startsWith('MySQL') && h.length >= 1027 ? mysqlKeyMagic(h.subarray(1024, 1027)) : undefined;
  if (mysqlKey)
    return locked({
      ...FORMATS.encrypted,
      confidence: 0.9,
      code: 'INNODB_REDO_MYSQL_ENCRYPTION',
      message: `InnoDB redo log: ${where}; the block at 1024 holds the redo key behind "${mysqlKey}" (innodb_redo_log_encrypt): the log records are AES-encrypted with it.`,
      figures,
      scheme: 'mysql-innodb-redo-aes',
      keyHint: {
        description:
          "The redo log key, wrapped by the master key in the MySQL server's keyring (keyring_file or a KMS component).",
        kind: 'keystore',
        present: 'unknown',
      },
    });
  return plain('analysable', {
    ...FORMATS.plain,
    confidence: 0.9,
    code: 'INNODB_REDO_HEADER',
    message: `InnoDB redo log: ${where}. Not encrypted: the server replays it at crash recovery, mariadb-backup copies it, and its records name the pages they change.`,
    figures,
  });
}

function mysqlKeyMagic(b: Uint8Array): string | undefined {
  return b[0] === 0x6c && b[1] === 0x43 && b[2]! >= 0x41 && b[2]! <= 0x43 ? String.fromCharCode(...b) : undefined;
}

export const innodbRedoLogDetector = defineDetector({
  meta: {
    id: 'innodb-redo-log',
    version: '1.0.0',
    title: 'InnoDB redo logs (MariaDB, MySQL), and their encryption at rest, by the log file header',
    formats: [
      { ...FORMATS.plain, status: 'analysable', how: 'header-field' },
      { ...FORMATS.encrypted, status: 'encrypted', how: 'header-field' },
    ],
  },
  minSize: START_OFFSET,
  priority: 30,
  detect: verdict,
});
