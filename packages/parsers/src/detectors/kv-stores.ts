/**
 * Embedded database files libmagic (wasmagic's build) does not name, each checked by a field tied to the file:
 * - H2 MVStore (`*.mv.db`, Java applications' embedded SQL database): a text header "H:2,block:…,format:…"
 *   written twice (at 0 and 4096), ending in the Fletcher-32 of the text before it. An H2 file opened with
 *   `CIPHER=AES` starts instead with "H2encrypt\n" and a salt, and every block after it is AES (XTS) under the
 *   file password (the first word of the connection password).
 * - Kyoto Cabinet hash and tree databases (`.kch`, `.kct`): "KC\n\0", a database type byte, and the file size
 *   as a big-endian 64-bit word at 40.
 * - QDBM Depot files (Depot, and Villa/Curia built on it): "[depot]\n\f" (little-endian) or "[DEPOT]\n\f",
 *   and the file size at 24 in the file's byte order.
 * - GDBM's binary flat-file dump (`gdbm_dump --format=binary`, the `gdbm_export` format): a text banner
 *   naming the GDBM version, then key and value records, each a big-endian 32-bit length and its bytes (a
 *   64-bit build writes the length in an 8-byte word: the same four bytes, then four zeros). The records
 *   must chain from the banner to the file's end (or through the probe's head).
 * - GDBM databases in the extended ("numsync", `gdbmtool -x`, GDBM 1.21+) format, whose magic libmagic 5.44
 *   does not know (it names the standard ones): the magic (32- or 64-bit file offsets, either byte order),
 *   a power-of-two block size, a hash directory of 2^dir_bits offsets inside the file, and the next
 *   unallocated block no further than the file's end.
 * Readable files are analysable; without them they were unrecognised binary, and an encrypted H2 file was
 * named a SQLCipher database (a random database-sized file).
 * Reference: H2's MVStore (FileStore.writeStoreHeader, DataUtils.getFletcher32) and FilePathEncrypt;
 * Kyoto Cabinet's kchashdb.h (MOFFMAGIC, MOFFTYPE, MOFFSIZE); QDBM's depot.c (DP_MAGICNUMB, DP_FSIZOFF);
 * GDBM 1.23's gdbmexp.c (gdbm_export_to_file) and gdbmimp.c, gdbmconst.h (GDBM_NUMSYNC_MAGIC32/64) and
 * gdbmdefs.h (gdbm_file_header).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, passwordHint, plain, u32be, u32le, u64be, u64le } from './util.js';
import { trimEndOf } from '../text-ends.js';

const H2_BLOCK = 4096;
const H2_ENCRYPTED = 'H2encrypt\n';
/** Kyoto Cabinet database types (kcdb.h): hash, tree, directory hash, forest. */
const KC_TYPES: ReadonlyMap<number, string> = new Map([
  [0x30, 'hash'],
  [0x31, 'tree'],
  [0x40, 'directory'],
  [0x41, 'forest'],
]);

const GDBM_DUMP = '!\r\n! GDBM FLAT FILE DUMP -- THIS IS NOT A TEXT FILE\r\n! ';
/** Records walked at most: enough to trust the chain, bounded for a large dump's head. */
const GDBM_MAX_RECORDS = 4096;

/**
 * The records of a GDBM flat dump from `at` with lengths `width` bytes wide (4, or 8 from a 64-bit build):
 * how many key-value pairs chain, and whether they end exactly at the file's end. Undefined when a length
 * does not fit the file or, in the 8-byte layout, its upper word is not zero.
 */
function gdbmRecords(h: Uint8Array, at: number, width: 4 | 8, size: number, whole: boolean) {
  let pairs = 0;
  let fields = 0;
  while (at < h.length && fields < 2 * GDBM_MAX_RECORDS) {
    if (at + width > h.length) return whole ? undefined : { pairs, end: false };
    const len = u32be(h, at)!;
    if (width === 8 && u32be(h, at + 4) !== 0) return undefined;
    at += width + len;
    if (at > size) return undefined;
    fields++;
    if (fields % 2 === 0) pairs++;
  }
  // A dump ends after a value; with the whole file read the chain must land on its last byte.
  if (whole) return at === size && fields % 2 === 0 ? { pairs, end: true } : undefined;
  return { pairs, end: false };
}

/** GDBM's extended-format magics: file offsets of 4 or 8 bytes. */
const GDBM_NUMSYNC: ReadonlyMap<number, 4 | 8> = new Map([
  [0x13579ad0, 4],
  [0x13579ad1, 8],
]);

/** An extended-format GDBM header: block size, offset width and byte order when its fields fit the file. */
function gdbmNumsync(h: Uint8Array, size: number) {
  const little = GDBM_NUMSYNC.has(u32le(h, 0)!);
  const u32 = (o: number) => (little ? u32le(h, o) : u32be(h, o))!;
  const width = GDBM_NUMSYNC.get(u32(0));
  if (!width) return undefined;
  // gdbm_file_header: magic, block_size, dir (an offset), dir_size, dir_bits, bucket_size, bucket_elems, next_block.
  const off = (o: number) => (width === 4 ? u32(o) : little ? u64le(h, o) : u64be(h, o));
  const blockSize = u32(4);
  const dir = off(8);
  const dirSize = u32(8 + width);
  const dirBits = u32(12 + width);
  const nextBlock = off(24 + width);
  if (blockSize < 512 || blockSize > 1 << 24 || (blockSize & (blockSize - 1)) !== 0) return undefined;
  if (dir === undefined || nextBlock === undefined || dirBits > 31 || dirSize !== 2 ** dirBits * width)
    return undefined;
  if (dir < blockSize || dir + dirSize > size || nextBlock > size || nextBlock < blockSize) return undefined;
  return { blockSize, width, little };
}

/** H2's Fletcher-32: big-endian 16-bit words, sums folded every 360 words. */
function fletcher32(b: Uint8Array): number {
  let s1 = 0xffff;
  let s2 = 0xffff;
  const even = b.length & ~1;
  let i = 0;
  while (i < even) {
    for (const end = Math.min(i + 720, even); i < end; i += 2) {
      s1 += (b[i]! << 8) | b[i + 1]!;
      s2 += s1;
    }
    s1 = (s1 & 0xffff) + (s1 >>> 16);
    s2 = (s2 & 0xffff) + (s2 >>> 16);
  }
  if (b.length & 1) {
    s1 += b[i]! << 8;
    s2 += s1;
  }
  s1 = (s1 & 0xffff) + (s1 >>> 16);
  s2 = (s2 & 0xffff) + (s2 >>> 16);
  return ((s2 << 16) | s1) >>> 0;
}

/** The H2 store header at `at`: its fields when the Fletcher-32 it ends with holds. */
function h2Header(h: Uint8Array, at: number): Record<string, string> | undefined {
  const line = ascii(h, at, Math.min(h.length, at + H2_BLOCK)).split('\n')[0]!;
  const tail = line.lastIndexOf(',fletcher:');
  if (!line.startsWith('H:2,') || tail < 0) return undefined;
  const sum = Number.parseInt(line.slice(tail + 10, tail + 18), 16);
  if (fletcher32(h.subarray(at, at + tail)) !== sum) return undefined;
  return Object.fromEntries(line.split(',').map((kv) => kv.split(':') as [string, string]));
}

export const kvStoresDetector = defineDetector({
  meta: {
    id: 'kv-stores',
    version: '1.1.0',
    title: 'Embedded database files: H2 MVStore (plain or AES), Kyoto Cabinet, QDBM Depot, GDBM (numsync, dumps)',
    formats: [
      {
        id: 'h2-mvstore',
        name: 'H2 database (MVStore)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['db'],
      },
      {
        id: 'h2-encrypted',
        name: 'H2 database encrypted with AES',
        status: 'encrypted',
        how: 'signature',
        extensions: ['db'],
      },
      {
        id: 'kyotocabinet',
        name: 'Kyoto Cabinet database',
        status: 'analysable',
        how: 'header-field',
        extensions: ['kch', 'kct'],
      },
      { id: 'qdbm-depot', name: 'QDBM Depot database', status: 'analysable', how: 'header-field' },
      { id: 'gdbm', name: 'GNU dbm database', status: 'analysable', how: 'header-field', extensions: ['gdbm', 'db'] },
      {
        id: 'gdbm-dump',
        name: 'GDBM flat-file dump (binary)',
        status: 'analysable',
        how: 'structure',
        extensions: ['dump', 'gdbm'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'H:2,' },
    { offset: 0, ascii: H2_ENCRYPTED },
    { offset: 0, hex: '4b430a00' },
    { offset: 0, ascii: '[depot]\n\f' },
    { offset: 0, ascii: '[DEPOT]\n\f' },
    { offset: 0, ascii: GDBM_DUMP },
    { offset: 0, hex: '13579ad0' },
    { offset: 0, hex: 'd09a5713' },
    { offset: 0, hex: '13579ad1' },
    { offset: 0, hex: 'd19a5713' },
  ],
  minSize: 48,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const magic = ascii(h, 0, 10);
    if (magic === H2_ENCRYPTED && probe.size >= 2 * H2_BLOCK && probe.size % H2_BLOCK === 0)
      return locked({
        id: 'h2-encrypted',
        name: 'H2 database encrypted with AES',
        confidence: 0.93,
        code: 'H2_ENCRYPT_HEADER',
        message: `"H2encrypt" file header and salt, then ${probe.size / H2_BLOCK - 1} blocks of 4 KiB: an H2 database opened with CIPHER=AES, every block encrypted under the file password.`,
        scheme: 'h2-aes-xts',
        keyHint: passwordHint(
          'the H2 file password: the first word of the connection password when the URL says CIPHER=AES',
        ),
      });
    if (magic.startsWith('H:2,')) {
      const fields = h2Header(h, 0);
      // The header is written twice; the second copy is checked when the probe holds it.
      const again = h.length >= H2_BLOCK + 64 ? h2Header(h, H2_BLOCK) : fields;
      if (!fields || !again || !fields.format) return undefined;
      return plain('analysable', {
        id: 'h2-mvstore',
        name: 'H2 database (MVStore)',
        confidence: 0.95,
        code: 'H2_STORE_HEADER',
        message: `H2 MVStore header (format ${fields.format}${fields.blockSize ? `, block size 0x${fields.blockSize}` : ''}) whose Fletcher-32 holds${h.length >= H2_BLOCK + 64 ? ', and its copy at 4096' : ''}; H2's tools read it.`,
        figures: { format: Number(fields.format) },
      });
    }
    if (magic.startsWith('KC\n\0')) {
      const type = KC_TYPES.get(h[8]!);
      const size = u64be(h, 40);
      if (!type || size === undefined || size < 64 || size > probe.size) return undefined;
      return plain('analysable', {
        id: 'kyotocabinet',
        name: 'Kyoto Cabinet database',
        confidence: 0.93,
        code: 'KYOTOCABINET_HEADER',
        message: `Kyoto Cabinet ${type} database: magic, type byte 0x${h[8]!.toString(16)} and a recorded size of ${size} bytes${size === probe.size ? ' (the file size)' : ''}; kchashmgr/kctreemgr read it.`,
        figures: { type, size },
      });
    }
    if (magic.startsWith('[depot]\n\f') || magic.startsWith('[DEPOT]\n\f')) {
      const little = magic[1] === 'd';
      const size = little ? u64le(h, 24) : u64be(h, 24);
      if (size !== probe.size) return undefined;
      // The library version as text at 12 ("14" for QDBM 1.8).
      const version = trimEndOf(ascii(h, 12, 16), '\0');
      if (!/^\d+$/.test(version)) return undefined;
      return plain('analysable', {
        id: 'qdbm-depot',
        name: 'QDBM Depot database',
        confidence: 0.93,
        code: 'QDBM_DEPOT_HEADER',
        message: `QDBM Depot file (${little ? 'little' : 'big'}-endian, library format ${version}) whose header records the file's size; dpmgr/vlmgr read it.`,
        figures: { size },
      });
    }
    if (magic.startsWith('!\r\n! GDBM')) return gdbmDump(probe.head, probe.size, probe.complete);
    const numsync = gdbmNumsync(h, probe.size);
    if (numsync)
      return plain('analysable', {
        id: 'gdbm',
        name: 'GNU dbm database',
        confidence: 0.93,
        code: 'GDBM_NUMSYNC_HEADER',
        message: `GDBM database in the extended (numsync) format, ${numsync.width * 8}-bit file offsets, ${numsync.little ? 'little' : 'big'}-endian, ${numsync.blockSize}-byte blocks: the hash directory and the next free block lie inside the file; gdbmtool and gdbm_dump read it.`,
        figures: { blockSize: numsync.blockSize, offsetBits: numsync.width * 8 },
      });
    return undefined;
  },
});

/** A GDBM binary dump: the banner, its version line, and records that chain in one of the two widths. */
function gdbmDump(h: Uint8Array, size: number, complete: boolean): Detection | undefined {
  if (ascii(h, 0, GDBM_DUMP.length) !== GDBM_DUMP) return undefined;
  const banner = ascii(h, GDBM_DUMP.length, Math.min(h.length, GDBM_DUMP.length + 256));
  const close = banner.indexOf('\r\n!\r\n');
  if (close < 0 || !banner.startsWith('GDBM version ')) return undefined;
  const version = banner.slice(0, close);
  const start = GDBM_DUMP.length + close + 5;
  const whole = complete && h.length === size;
  const walk = gdbmRecords(h, start, 8, size, whole) ?? gdbmRecords(h, start, 4, size, whole);
  if (!walk || (walk.pairs === 0 && !walk.end)) return undefined;
  return plain('analysable', {
    id: 'gdbm-dump',
    name: 'GDBM flat-file dump (binary)',
    confidence: 0.93,
    code: 'GDBM_FLAT_DUMP',
    message: `GDBM flat-file dump banner ("${version}") and ${walk.pairs}${walk.end ? '' : ' or more'} key-value records whose lengths chain${walk.end ? " to the file's end" : ' through the head'}; gdbm_load restores it.`,
    figures: { pairs: walk.pairs },
  });
}
