/**
 * Binary logs and relay logs of MariaDB and MySQL (`binlog.000001`, `mysql-bin.000001`, `relay-bin.000001`),
 * plain or encrypted at rest. A plain log is the magic FE "bin", then events, each with a 19-byte header
 * (timestamp, type at 4, server id, event size at 9, next position at 13, flags, all little-endian); the first
 * is a FORMAT_DESCRIPTION event (type 15) whose body starts with binlog version 4 and the server's version.
 * - MariaDB (encrypt_binlog, 10.1.7 and later) puts a START_ENCRYPTION event (type 164: scheme 1, key version,
 *   a 12-byte nonce) right after it; every later event is AES-encrypted (sql/log_event.h, log_event_server.cc).
 * - MySQL (binlog_encryption, 8.0.14 and later) replaces the whole file's magic by FD "bin" and a 512-byte
 *   header: version 1, then the replication master key's id (field 1), the file password encrypted with it
 *   (field 2, 32 bytes) and the IV (field 3, 16 bytes) (libbinlogevents, binlog/rpl_log_encryption.cc).
 * mysqlbinlog (mariadb-binlog) reads a plain log's events and the SQL they carry.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { locked, plain, u16le, u32le } from './util.js';

const FORMAT_DESCRIPTION = 15;
const START_ENCRYPTION = 164;
const HEADER = 19;
const FORMATS = {
  plain: { id: 'mysql-binlog', name: 'MariaDB/MySQL binary log or relay log' },
  encrypted: { id: 'mysql-binlog-encrypted', name: 'MariaDB/MySQL binary log or relay log, encrypted at rest' },
} as const;

/** The printable server version in the format description (50 bytes, NUL-padded), or undefined. */
function serverVersion(h: Uint8Array, at: number): string | undefined {
  let s = '';
  for (let i = at; i < at + 50 && i < h.length; i++) {
    const c = h[i]!;
    if (c === 0) break;
    if (c < 0x20 || c > 0x7e) return undefined;
    s += String.fromCharCode(c);
  }
  return /^\d+\.\d+\.\d+/.test(s) ? s : undefined;
}

function plainLog(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (h[0] !== 0xfe || h[1] !== 0x62 || h[2] !== 0x69 || h[3] !== 0x6e || h.length < 4 + HEADER + 57) return undefined;
  const size = u32le(h, 4 + 9)!;
  const next = u32le(h, 4 + 13)!;
  if (h[4 + 4] !== FORMAT_DESCRIPTION || size < HEADER + 57 || size > 1024 || next !== 4 + size) return undefined;
  if (probe.size < next || u16le(h, 4 + HEADER) !== 4) return undefined;
  const version = serverVersion(h, 4 + HEADER + 2);
  // The common header length in the format description is always 19 for version 4.
  if (version === undefined || h[4 + HEADER + 2 + 50 + 4] !== HEADER) return undefined;
  const figures = { formatDescriptionSize: size };
  const where = `the magic FE "bin" and a format description event (type 15, ${size} bytes, binlog version 4, server "${version}")`;
  const e = 4 + size;
  // Its body is 17 bytes, then a 4-byte CRC-32 when binlog_checksum is on.
  const startSize = u32le(h, e + 9);
  const sized = (startSize === HEADER + 17 || startSize === HEADER + 21) && u32le(h, e + 13) === e + startSize;
  if (h[e + 4] === START_ENCRYPTION && sized && h[e + HEADER] === 1) {
    const keyVersion = u32le(h, e + HEADER + 1)!;
    return locked({
      ...FORMATS.encrypted,
      confidence: 0.95,
      code: 'MARIADB_BINLOG_START_ENCRYPTION',
      message: `Binary log: ${where}, then a START_ENCRYPTION event (type 164, scheme 1, key version ${keyVersion}): every later event is AES-encrypted (encrypt_binlog).`,
      figures: { ...figures, keyVersion },
      scheme: 'mariadb-binlog-aes',
      keyHint: {
        description:
          "Key 1 of the MariaDB server's key-management plugin (file_key_management's key file, HashiCorp Vault, a cloud KMS).",
        kind: 'key-file',
        present: 'unknown',
      },
    });
  }
  return plain('analysable', {
    ...FORMATS.plain,
    confidence: 0.9,
    code: 'BINLOG_FORMAT_DESCRIPTION',
    message: `Binary log: ${where}, no START_ENCRYPTION event after it. mysqlbinlog (mariadb-binlog) reads its events.`,
    figures,
  });
}

/** MySQL's encrypted binary log header: FD "bin", version 1, the key id field, the password and IV fields. */
function mysqlEncrypted(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (h[0] !== 0xfd || h[1] !== 0x62 || h[2] !== 0x69 || h[3] !== 0x6e || h[4] !== 1 || probe.size < 512)
    return undefined;
  const idLength = h[6] ?? 0;
  if (h[5] !== 1 || idLength < 8 || idLength > 128 || h.length < 7 + idLength + 2 + 32 + 2 + 16) return undefined;
  const keyId = String.fromCharCode(...h.subarray(7, 7 + idLength));
  if (!/^[\x21-\x7e]+$/.test(keyId)) return undefined;
  const p = 7 + idLength;
  if (h[p] !== 2 || h[p + 1 + 32] !== 3) return undefined;
  return locked({
    ...FORMATS.encrypted,
    confidence: 0.9,
    code: 'MYSQL_BINLOG_ENCRYPTION_HEADER',
    message: `Binary log: the magic FD "bin" of MySQL's encrypted binary log, header version 1, key id "${keyId}", then the encrypted file password and IV: the events after the 512-byte header are AES-encrypted (binlog_encryption).`,
    figures: { headerVersion: 1 },
    scheme: 'mysql-binlog-aes',
    keyHint: {
      description: `The replication master key "${keyId}" in the MySQL server's keyring (keyring_file or a KMS component), which unwraps the file password.`,
      kind: 'keystore',
      present: 'unknown',
    },
  });
}

export const mysqlBinlogDetector = defineDetector({
  meta: {
    id: 'mysql-binlog',
    version: '1.0.0',
    title: 'MariaDB/MySQL binary and relay logs, and their encryption at rest, by the first events or header',
    formats: [
      { ...FORMATS.plain, status: 'analysable', how: 'header-field' },
      { ...FORMATS.encrypted, status: 'encrypted', how: 'header-field' },
    ],
  },
  minSize: 80,
  priority: 30,
  detect: (probe) => plainLog(probe) ?? mysqlEncrypted(probe),
});
