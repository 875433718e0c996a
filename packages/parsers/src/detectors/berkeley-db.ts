/**
 * Berkeley DB 2.x-18.x database files, read from their metadata page (page 0). Berkeley DB encrypts a database
 * with AES when the application sets a password (`DB->set_encrypt`, `DB_ENV->set_encrypt`, `db_load -P`): every
 * page but the metadata page's first bytes is then ciphertext, and the metadata page says so in its
 * `encrypt_alg` byte. libmagic names both kinds "Berkeley DB (Btree, version 9...)", so an encrypted database
 * was a readable one. Access methods and their page-0 types: btree/recno (magic 0x053162, type 9), hash
 * (0x061561, 8), queue (0x042253, 10), heap (0x074582, 14).
 * An environment opened with a password (`DB_ENV->set_encrypt`, Bitcoin Core's and OpenLDAP's environments)
 * also encrypts its transaction logs (`log.0000000001`): each record's header is then 48 bytes (previous
 * record's offset, length, a 20-byte HMAC-SHA1, a 16-byte IV, the unpadded size) before an AES-CBC body, so
 * even the log's first record (the 16-byte persistent header with the log magic libmagic knows) is
 * ciphertext. Such a log is named by its records: the first one 48 + 16 bytes holding 16, then records whose
 * `prev` points back at the one before and whose bodies are whole AES blocks.
 * Reference: Berkeley DB's dbinc/db_page.h (DBMETA: lsn, pgno, magic at 12, version at 16, pagesize at 20,
 * encrypt_alg at 24, type at 25, metaflags at 26), crypto/crypto.c (DB_ENCRYPT_AES = 1) and dbinc/log.h
 * (HDR, HDR_CRYPTO_SZ = 48, LOGP).
 */
import { defineDetector, u32be, u32le, type Detection, type Probe } from '@evtriage/core/contract';
import { randomAfterHeader } from './random-body.js';
import { afterStructureEnd, appendedAfterRecords, locked, notingZeroPadding, passwordHint, plain } from './util.js';

/** Metadata page magic -> access method, page-0 type and the versions Berkeley DB has written. */
const METHODS: ReadonlyMap<number, { method: string; type: number; versions: [number, number] }> = new Map([
  [0x053162, { method: 'btree', type: 9, versions: [6, 10] }],
  [0x061561, { method: 'hash', type: 8, versions: [4, 10] }],
  [0x042253, { method: 'queue', type: 10, versions: [1, 4] }],
  [0x074582, { method: 'heap', type: 14, versions: [1, 1] }],
]);
const AES = 1;
/** An encrypted log record's header: prev, len, HMAC-SHA1 (20), IV (16), orig_size. */
const CRYPTO_HDR = 48;
/** The log's persistent header (LOGP: magic, version, log size, unused), the first record of every log file. */
const LOGP_SIZE = 16;
/** Records walked at most in the head. */
const MAX_LOG_RECORDS = 256;

/**
 * Encrypted log records from offset 0 in the byte order `u32`: how many chain (each `prev` the offset of the
 * one before, each body whole AES blocks holding its unpadded size) before the zeros after the last record, the
 * end of the head or bytes that are no record (`broken`), and where the last one ends. Undefined unless the first
 * is an encrypted persistent header.
 */
function encryptedLogRecords(
  h: Uint8Array,
  u32: (o: number) => number,
): { records: number; end: number; broken: boolean } | undefined {
  if (u32(0) !== 0 || u32(4) !== CRYPTO_HDR + LOGP_SIZE || u32(44) !== LOGP_SIZE) return undefined;
  // The HMAC and IV are 36 random bytes, never a run of zeros or a repeated pattern.
  if (new Set(h.subarray(8, 44)).size < 20) return undefined;
  let records = 0;
  let prev = 0;
  let at = 0;
  while (at + CRYPTO_HDR <= h.length && records < MAX_LOG_RECORDS) {
    const len = u32(at + 4);
    if (records > 0 && len === 0 && u32(at) === 0) break; // the zeros after the last record written
    const body = len - CRYPTO_HDR;
    const orig = u32(at + 44);
    if (u32(at) !== prev || body < 16 || body % 16 !== 0 || orig > body || orig <= body - 16) {
      // No record here: the first refuses the file; after it, the caller decides whether what follows was appended.
      if (records === 0) return undefined;
      return { records, end: at, broken: true };
    }
    records++;
    prev = at;
    at += len;
  }
  return { records, end: at, broken: false };
}

export const berkeleyDbDetector = defineDetector({
  meta: {
    id: 'berkeley-db',
    version: '1.2.0',
    title: 'Berkeley DB databases, AES-encrypted or not (metadata page)',
    formats: [
      {
        id: 'berkeley-db',
        name: 'Berkeley DB database',
        status: 'analysable',
        how: 'header-field',
        extensions: ['db'],
      },
      {
        id: 'berkeley-db-encrypted',
        name: 'Berkeley DB database encrypted with AES',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['db'],
      },
      {
        id: 'berkeley-db-log-encrypted',
        name: 'Berkeley DB transaction log of an encrypted environment',
        status: 'encrypted',
        how: 'structure',
      },
    ],
  },
  signatures: [
    // An encrypted log's first record: prev 0, length 64, in either byte order.
    { offset: 0, hex: '0000000040000000' },
    { offset: 0, hex: '0000000000000040' },
    ...[...METHODS.keys()].flatMap((magic) => {
      const le = Buffer.alloc(4);
      le.writeUInt32LE(magic);
      const be = Buffer.alloc(4);
      be.writeUInt32BE(magic);
      return [
        { offset: 12, hex: le.toString('hex') },
        { offset: 12, hex: be.toString('hex') },
      ];
    }),
  ],
  minSize: 512,
  // After the Bitcoin wallet detector (25), which reads wallet records in a btree's pages; before libmagic.
  priority: 45,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h.length < 72) return undefined;
    const log = encryptedLog(probe);
    if (log) return log;
    // The metadata page is written in the byte order of the machine that made the file.
    const little = METHODS.has(u32le(h, 12)!);
    const u32 = (o: number) => (little ? u32le(h, o) : u32be(h, o))!;
    const found = METHODS.get(u32(12));
    if (!found) return undefined;
    const version = u32(16);
    const pageSize = u32(20);
    const algorithm = h[24]!;
    const powerOfTwo = (pageSize & (pageSize - 1)) === 0;
    if (
      version < found.versions[0] ||
      version > found.versions[1] ||
      !powerOfTwo ||
      pageSize < 512 ||
      pageSize > 65536 ||
      h[25] !== found.type ||
      u32(8) !== 0 || // page 0's own page number
      algorithm > AES
    )
      return undefined;
    const figures = { method: found.method, version, pageSize };
    const described = `Berkeley DB ${found.method} database, version ${version}, ${pageSize}-byte pages`;
    if (algorithm === AES)
      return locked({
        id: 'berkeley-db-encrypted',
        name: 'Berkeley DB database encrypted with AES',
        confidence: 0.95,
        code: 'BERKELEY_DB_ENCRYPT_ALG',
        message: `${described}: the metadata page's encrypt_alg is AES (1), so every page holding keys and data is AES-encrypted under the application's password.`,
        figures: { ...figures, encryptAlg: algorithm },
        scheme: 'berkeley-db-aes',
        keyHint: passwordHint(
          'the password the application gives Berkeley DB (DB->set_encrypt or DB_ENV->set_encrypt; db_load/db_dump -P)',
        ),
      });
    return plain('analysable', {
      id: 'berkeley-db',
      name: 'Berkeley DB database',
      confidence: 0.8,
      code: 'BERKELEY_DB_METADATA',
      message: `${described}, not encrypted (the metadata page's encrypt_alg is 0); db_dump reads it.`,
      figures,
    });
  },
});

/** Berkeley DB's log file names: `log.` and a ten-digit file number. */
const LOG_NAME = /^log\.\d{10}$/;
/** Zero bytes after fewer than three records that stand for the log file's unwritten rest (Berkeley DB's logs are mostly zeros until filled). */
const MIN_ZERO_TAIL = 1024;

/**
 * A log of an encrypted environment: its persistent header and at least two more records chain; or one or two
 * records (a log just switched to) either in a file named as Berkeley DB names its logs or, under any name,
 * followed by nothing but zeros to the end of the head (at least 1 KiB): the unwritten rest of the log file.
 */
function encryptedLog(probe: Probe): Detection | undefined {
  const h = probe.head;
  const little = u32le(h, 4) === CRYPTO_HDR + LOGP_SIZE;
  const u32 = (o: number) => (little ? u32le(h, o) : u32be(h, o))!;
  const found = encryptedLogRecords(h, u32);
  if (!found || found.records < 1) return undefined;
  const { records, end } = found;
  const named = LOG_NAME.test(probe.name);
  // The unwritten rest of the log file: zeros after the last record. Bytes after the records or after those zeros
  // (a copy's line feed or NUL, slack, a carve that ran on into a log) are set aside only when they are NULs or text
  // to the end of the file (`appendedAfterRecords`); bytes that are no record and no such tail refuse the file.
  let zerosEnd = end;
  while (zerosEnd < h.length && h[zerosEnd] === 0) zerosEnd++;
  // Only in a file the head holds whole, and not after a walk cut at MAX_LOG_RECORDS: else the records run on.
  const whole = h.length === probe.size && records < MAX_LOG_RECORDS;
  const appendedAt = found.broken ? end : whole && zerosEnd < h.length ? zerosEnd : undefined;
  if (appendedAt !== undefined && !appendedAfterRecords(probe, appendedAt)) return undefined;
  const zeroRun = zerosEnd - end;
  const zeroTail = zeroRun >= MIN_ZERO_TAIL && (zerosEnd === h.length || appendedAt === zerosEnd);
  if (records < 3 && !named && !zeroTail) return undefined;
  const byStructure = records < 3 && !named;
  const chain =
    records > 1
      ? `and ${records - 1} more record(s) chain by their back pointers, each body whole AES blocks behind an HMAC-SHA1 and an IV`
      : 'an HMAC-SHA1 and an IV before it, and no record after it yet';
  return notingZeroPadding(
    locked({
      id: 'berkeley-db-log-encrypted',
      name: 'Berkeley DB transaction log of an encrypted environment',
      confidence: byStructure ? 0.7 : 0.9,
      code: byStructure ? 'BERKELEY_DB_LOG_ENCRYPTED_STRUCTURE' : 'BERKELEY_DB_LOG_ENCRYPTED',
      message: `Berkeley DB log records with 48-byte encrypted-record headers (${little ? 'little' : 'big'}-endian): the persistent header's record holds 16 bytes in one AES block, ${chain}${byStructure ? `; the name is not Berkeley DB's log name (log.NNNNNNNNNN), but ${zeroRun} zero bytes follow the record(s)${zerosEnd === h.length ? ` to the end of the ${h.length} bytes read` : ''}, the unwritten rest of a log file` : ''}: the log of an environment opened with a password.`,
      figures: byStructure ? { records, zeroBytesAfter: zeroRun } : { records },
      scheme: 'berkeley-db-aes',
      keyHint: passwordHint(
        'the password the application gives the Berkeley DB environment (DB_ENV->set_encrypt; db_printlog/db_recover -P)',
      ),
    }),
    appendedAt === undefined ? undefined : afterStructureEnd(probe, appendedAt),
    'the records before them',
  );
}

/** A Berkeley DB environment's region files: `__db.001` (the environment), `__db.002` and on (locks, log, cache…). */
const REGION_NAME = /^__db\.\d{3}$/;
/** REGENV's magic (DB_REGION_MAGIC), at the start of `__db.001`, followed by the library's version. */
const REGION_MAGIC = 0x120897;

/**
 * Environment region files: memory-mapped shared state of a running environment (mutexes, the lock table,
 * the log buffer, the page cache), written back to disk as it changes. No tool reads them as data (db_stat
 * reports on a live environment): opaque, named so. `__db.001` starts with the region magic and the
 * library version (major, minor, patch); the others have no header, so their Berkeley DB name is the
 * evidence (libmagic took their first words for an a.out executable).
 */
export const berkeleyDbRegionDetector = defineDetector({
  meta: {
    id: 'berkeley-db-region',
    version: '1.0.0',
    title: 'Berkeley DB environment region files (__db.001, __db.002…)',
    formats: [
      {
        id: 'berkeley-db-region',
        name: 'Berkeley DB environment region file',
        status: 'opaque',
        how: 'path',
      },
    ],
  },
  minSize: 64,
  priority: 45,
  detect(probe): Detection | undefined {
    const named = REGION_NAME.test(probe.name);
    const h = probe.head;
    const little = u32le(h, 0) === REGION_MAGIC;
    const u32 = (o: number) => (little ? u32le(h, o) : u32be(h, o))!;
    const header = u32(0) === REGION_MAGIC && u32(8) >= 2 && u32(8) <= 18 && u32(12) <= 20 && u32(16) <= 99;
    // Under another name the header must hold whole: the panic flag after the magic is 0 or 1.
    if (!named) return header && u32(4) <= 1 ? regionByHeader(probe.name, u32(8), u32(12), u32(16)) : undefined;
    if (probe.name === '__db.001' && !header) return undefined;
    // Regions are zeros, pointers and runs of 0xFF: random bytes under the name are some other (encrypted) file.
    if (!header && randomAfterHeader(probe)) return undefined;
    return plain('opaque', {
      id: 'berkeley-db-region',
      name: 'Berkeley DB environment region file',
      confidence: header ? 0.9 : 0.75,
      code: header ? 'BERKELEY_DB_REGION_HEADER' : 'BERKELEY_DB_REGION_NAME',
      message: header
        ? `Berkeley DB environment region (region magic, library ${u32(8)}.${u32(12)}.${u32(16)}): the shared state of an environment, not data a tool reads.`
        : `Named as Berkeley DB names an environment's region files (${probe.name}): shared locks, log buffer or page cache of an environment, not data a tool reads.`,
      figures: header ? { major: u32(8), minor: u32(12), patch: u32(16) } : {},
    });
  },
});

/** An environment region recognised by its header alone (REGENV's magic, panic flag and library version). */
function regionByHeader(name: string, major: number, minor: number, patch: number): Detection {
  return plain('opaque', {
    id: 'berkeley-db-region',
    name: 'Berkeley DB environment region file',
    confidence: 0.8,
    code: 'BERKELEY_DB_REGION_MAGIC',
    message: `Berkeley DB environment region (region magic, panic flag clear, library ${major}.${minor}.${patch}), though not named as Berkeley DB names region files (__db.NNN, here "${name}"): the shared state of an environment, not data a tool reads.`,
    figures: { major, minor, patch },
  });
}
