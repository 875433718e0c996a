/**
 * MariaDB's Aria storage engine: its table files and transaction log, plain or encrypted at rest
 * (aria_encrypt_tables, encrypt_tmp_disk_tables). Layouts from storage/maria (ma_open.c, ma_crypt.c,
 * ma_blockrec.h, ma_loghandler.c, ma_control_file.c):
 * - index file (`.MAI`): the magic FE FE 09 03, then big-endian lengths: header length (6), state info (8), base
 *   info (10) and where the base info starts (12); the base info holds the key file's start (+16, a whole number of
 *   blocks), the extra options (+90; bit 0: encrypted) and the block size (+100). An encrypted table's crypt data
 *   (scheme 1, 20 bytes: a space id and an IV) ends the header. The index pages after it hold key values, so an
 *   encrypted table's index is encrypted too;
 * - data file (`.MAD`) of the page format (BLOCK_RECORD, the default): no file header. Page 0 is an allocation
 *   bitmap (never encrypted) ending in a CRC-32 of the rest of the page (0xFFFFFFFE while never written: an
 *   empty table); every other page starts with a 7-byte LSN and its type (7: 1 head, 2 tail, 3 blob). An
 *   encrypted head or tail page keeps its 12-byte header clear, then the key version (4 bytes, little-endian)
 *   and ciphertext to the end of the page. Without a header, only the name (`.MAD`), the bitmap's checksum and
 *   that page layout together say it is one (the fixed and dynamic row formats have none of them and stay
 *   unnamed);
 * - transaction log (`aria_log.NNNNNNNN`): the 12-byte magic FE FE 0B 01 "MARIALOG" and 8 KiB pages. It is never
 *   encrypted, even for encrypted tables: it holds their changed rows in clear;
 * - control file (`aria_log_control`): the magic FE FE 0C 01, the server's UUID and the last checkpoint.
 * aria_chk, aria_pack and aria_read_log read the plain files (and the server, with its .frm).
 */
import { defineDetector, type Detection, type KeyHint, type Probe } from '@evtriage/core/contract';
import { locked, plain, u16be, u32be, u32le } from './util.js';

const INDEX_MAGIC = [0xfe, 0xfe, 0x09, 0x03];
const LOG_MAGIC = Buffer.from([0xfe, 0xfe, 0x0b, 0x01, ...Buffer.from('MARIALOG', 'latin1')]);
const CONTROL_MAGIC = [0xfe, 0xfe, 0x0c, 0x01];
const EXTRA_OPTIONS_ENCRYPTED = 1;
const CRYPT_SCHEME_1 = 1;
const CRYPT_DATA_BYTES = 2 + 4 + 16;
const LOG_PAGE = 8192;
const FORMATS = {
  index: { id: 'aria-index', name: 'Aria table index (MariaDB .MAI)' },
  indexEncrypted: { id: 'aria-index-encrypted', name: 'Aria table index, encrypted at rest (MariaDB .MAI)' },
  data: { id: 'aria-data', name: 'Aria table data, page format (MariaDB .MAD)' },
  dataEncrypted: { id: 'aria-data-encrypted', name: 'Aria table data, encrypted at rest (MariaDB .MAD)' },
  log: { id: 'aria-log', name: 'Aria transaction log (MariaDB aria_log)' },
  control: { id: 'aria-log-control', name: 'Aria log control file (MariaDB aria_log_control)' },
} as const;
const KEY_HINT: KeyHint = {
  description:
    "Key 1 (key 2 for temporary tables) of the server's key-management plugin (file_key_management's key file, HashiCorp Vault, a cloud KMS).",
  kind: 'key-file',
  present: 'unknown',
};
const READERS = 'aria_chk and aria_pack read it, the server with the table definition (.frm)';

const startsWithBytes = (h: Uint8Array, magic: ArrayLike<number>) =>
  h.length >= magic.length && Array.prototype.every.call(magic, (b: number, i: number) => h[i] === b);
const isPow2Block = (n: number) => n >= 1024 && n <= 32768 && (n & (n - 1)) === 0;

/** The index file: its header lengths agree with each other, the base info and the file's size. */
function indexFile(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (!startsWithBytes(h, INDEX_MAGIC)) return undefined;
  const headerLength = u16be(h, 6)!;
  const stateLength = u16be(h, 8)!;
  const baseLength = u16be(h, 10)!;
  const basePos = u16be(h, 12)!;
  if (basePos < 24 + stateLength || baseLength < 102 || basePos + baseLength > headerLength) return undefined;
  if (headerLength > probe.size || headerLength > h.length) return undefined;
  const keyStart = (u32be(h, basePos + 16) ?? 0) * 2 ** 32 + (u32be(h, basePos + 20) ?? 0);
  const extra = u16be(h, basePos + 90)!;
  const blockSize = u16be(h, basePos + 100)!;
  if (!isPow2Block(blockSize) || keyStart < headerLength || keyStart % blockSize !== 0 || keyStart > probe.size)
    return undefined;
  const figures = { headerLength, blockSize, keyStart, extraOptions: extra, dataFileType: h[22] ?? 0 };
  const where = `the Aria index header (FE FE 09 03): header ${headerLength} bytes, base info at ${basePos}, ${blockSize}-byte blocks, keys from ${keyStart}`;
  if ((extra & EXTRA_OPTIONS_ENCRYPTED) === 0)
    return plain('analysable', {
      ...FORMATS.index,
      confidence: 0.9,
      code: 'ARIA_INDEX_HEADER',
      message: `Aria table index: ${where}; the encrypted option is not set. ${READERS}.`,
      figures,
    });
  const crypt = headerLength - CRYPT_DATA_BYTES;
  const schemeSeen = h[crypt] === CRYPT_SCHEME_1 && h[crypt + 1] === CRYPT_DATA_BYTES - 2;
  return locked({
    ...FORMATS.indexEncrypted,
    confidence: schemeSeen ? 0.95 : 0.85,
    code: 'ARIA_INDEX_ENCRYPTED',
    message: `Aria table index: ${where}; extra option bit 0 (encrypted) is set${schemeSeen ? ` and the header ends with crypt data of scheme 1 (space id and IV) at ${crypt}` : ''}: the index pages and the table's data file (.MAD) are AES-encrypted.`,
    figures,
    scheme: 'mariadb-aria-aes',
    keyHint: KEY_HINT,
  });
}

/** Shannon entropy in bits per byte. */
function entropy(b: Uint8Array): number {
  const counts = new Array<number>(256).fill(0);
  for (const x of b) counts[x]!++;
  let e = 0;
  for (const c of counts) if (c > 0) e -= (c / b.length) * Math.log2(c / b.length);
  return e;
}

/** CRC-32 (zlib's), as Aria checksums its pages. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const v of b) c = CRC_TABLE[(c ^ v) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
const NO_CRC_BITMAP = 0xfffffffe;

/** How page 0, the allocation bitmap, is checksummed: its CRC-32, or the mark of a bitmap never written. */
function bitmapChecksum(page0: Uint8Array): 'crc' | 'unwritten' | undefined {
  const stored = u32le(page0, page0.length - 4);
  if (stored === crc32(page0.subarray(0, page0.length - 4))) return 'crc';
  if (stored === NO_CRC_BITMAP && page0.subarray(0, page0.length - 4).every((b) => b === 0)) return 'unwritten';
  return undefined;
}

/**
 * A data file of the page format: whole pages, page 0 a checksummed bitmap, page 1 a row page. Named .MAD, a
 * bitmap never written (zeros and a mark) will do; under another name the bitmap's CRC-32 must hold.
 */
function dataFile(probe: Probe): Detection | undefined {
  const named = probe.extension === 'mad';
  const h = probe.head;
  for (let page = 1024; page <= 32768; page *= 2) {
    if (probe.size < page || probe.size % page !== 0 || h.length < Math.min(probe.size, 2 * page)) continue;
    const bitmap = bitmapChecksum(h.subarray(0, page));
    if (bitmap === undefined || (!named && bitmap !== 'crc')) continue;
    if (probe.size === page) {
      if (!named) continue;
      if (bitmap !== 'unwritten') continue;
      return plain('analysable', {
        ...FORMATS.data,
        confidence: 0.7,
        code: 'ARIA_DATA_EMPTY',
        message: `Aria table data: named .MAD, one ${page}-byte page, an allocation bitmap never written (zeros, then the no-checksum mark FE FF FF FF): an empty table, no rows to read or decrypt.`,
        figures: { pageSize: page, pages: 1 },
      });
    }
    const p = h.subarray(page, 2 * page);
    const type = p[7]!;
    // A head or tail page has a directory of at least one row and free space inside the page.
    if (type < 1 || type > 3 || (type !== 3 && (p[8] === 0 || u16le(p, 10) >= page))) continue;
    const figures = { pageSize: page, pages: probe.size / page, pageType: type };
    const where = `${named ? 'named .MAD' : 'not named .MAD'}, ${probe.size / page} pages of ${page} bytes, page 0 an allocation bitmap ${bitmap === 'crc' ? 'whose CRC-32 matches' : 'never written'}, page 1 an Aria ${type === 1 ? 'head' : type === 2 ? 'tail' : 'blob'} page (LSN, type ${type})`;
    const keyVersion = u32le(p, 12)!;
    const body = entropy(p.subarray(16, page - 4));
    if (type !== 3 && keyVersion >= 1 && keyVersion <= 0xffff && body >= 7.5)
      return locked({
        ...FORMATS.dataEncrypted,
        confidence: named ? 0.85 : 0.75,
        code: named ? 'ARIA_DATA_ENCRYPTED' : 'ARIA_DATA_ENCRYPTED_STRUCTURE',
        message: `Aria table data: ${where}; after the clear 12-byte page header come key version ${keyVersion} and bytes of entropy ${body.toFixed(3)} bits/byte to the page's end: an encrypted page (aria_encrypt_tables).`,
        figures: { ...figures, keyVersion, entropy: Number(body.toFixed(4)) },
        scheme: 'mariadb-aria-aes',
        keyHint: KEY_HINT,
      });
    return plain('analysable', {
      ...FORMATS.data,
      confidence: named ? 0.8 : 0.7,
      code: named ? 'ARIA_DATA_PAGES' : 'ARIA_DATA_PAGES_STRUCTURE',
      message: `Aria table data: ${where}; its rows are not encrypted (entropy ${body.toFixed(3)} bits/byte). ${READERS}.`,
      figures: { ...figures, entropy: Number(body.toFixed(4)) },
    });
  }
  return undefined;
}

function u16le(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}

/** The transaction log: its 12-byte magic and whole 8 KiB pages; the control file: its magic and small size. */
function logFiles(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (startsWithBytes(h, LOG_MAGIC) && probe.size % LOG_PAGE === 0)
    return plain('analysable', {
      ...FORMATS.log,
      confidence: 0.9,
      code: 'ARIA_LOG_HEADER',
      message: `Aria transaction log: the magic FE FE 0B 01 "MARIALOG" and ${probe.size / LOG_PAGE} pages of ${LOG_PAGE} bytes. Never encrypted (not even for encrypted tables, whose changed rows it holds in clear); aria_read_log reads it.`,
      figures: { pages: probe.size / LOG_PAGE },
    });
  if (!startsWithBytes(h, CONTROL_MAGIC) || probe.size < 45 || probe.size > 512) return undefined;
  if (probe.name === 'aria_log_control')
    return plain('analysable', {
      ...FORMATS.control,
      confidence: 0.85,
      code: 'ARIA_CONTROL_FILE',
      message: `Aria log control file: named aria_log_control, the magic FE FE 0C 01 and ${probe.size} bytes (the server's UUID, the last checkpoint and log number). aria_chk reads it.`,
      figures: { size: probe.size },
    });
  return controlFileByChecksums(probe);
}

/**
 * The control file under another name: its two parts' sizes (little-endian at 20 and 22) add up to the file's,
 * and each part's CRC-32 holds (the fixed part's in its last 4 bytes, the changeable part's in its first 4), as
 * ma_control_file_open checks them.
 */
function controlFileByChecksums(probe: Probe): Detection | undefined {
  const h = probe.head;
  const fixed = u16le(h, 20);
  const changeable = u16le(h, 22);
  if (fixed < 30 || changeable < 15 || fixed + changeable !== probe.size || h.length < probe.size) return undefined;
  if (crc32(h.subarray(0, fixed - 4)) !== u32le(h, fixed - 4)) return undefined;
  if (crc32(h.subarray(fixed + 4, fixed + changeable)) !== u32le(h, fixed)) return undefined;
  return plain('analysable', {
    ...FORMATS.control,
    confidence: 0.8,
    code: 'ARIA_CONTROL_FILE_CHECKSUMS',
    message: `Aria log control file, not named aria_log_control: the magic FE FE 0C 01, a ${fixed}-byte fixed part and a ${changeable}-byte changeable part adding up to the file's ${probe.size} bytes, each part's CRC-32 matching (the server's UUID, the last checkpoint and log number). aria_chk reads it.`,
    figures: { size: probe.size, fixedPart: fixed, changeablePart: changeable },
  });
}

export const ariaDetector = defineDetector({
  meta: {
    id: 'aria',
    version: '1.0.0',
    title: "MariaDB Aria tables (.MAI, .MAD) and transaction log, and the tables' encryption at rest",
    formats: [
      { ...FORMATS.index, status: 'analysable', how: 'header-field', extensions: ['mai'] },
      { ...FORMATS.indexEncrypted, status: 'encrypted', how: 'header-field', extensions: ['mai'] },
      { ...FORMATS.data, status: 'analysable', how: 'structure', extensions: ['mad'] },
      { ...FORMATS.dataEncrypted, status: 'encrypted', how: 'structure', extensions: ['mad'] },
      { ...FORMATS.log, status: 'analysable', how: 'signature' },
      { ...FORMATS.control, status: 'analysable', how: 'signature' },
    ],
  },
  minSize: 45,
  priority: 30,
  detect: (probe) => indexFile(probe) ?? dataFile(probe) ?? logFiles(probe),
});
