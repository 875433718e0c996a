/**
 * LevelDB files (Chrome/Android IndexedDB and Local Storage): write-ahead
 * logs and MANIFEST files (32 KiB blocks of CRC32C-checked records) and
 * sorted tables (.ldb/.sst, magic 0xdb4775248b80fb57 in the footer). RocksDB (a LevelDB fork: Android and
 * desktop apps, Kafka, Ethereum clients) writes the same logs and manifests, but its table files end with
 * magics of their own, after a 32-bit format version: block-based 0x88e241b785f4cff7, plain 0x8242229663bf9564,
 * cuckoo 0x926789d0c5f17873 (a RocksDB table was unrecognised binary).
 * Reference: google/leveldb doc/log_format.md and doc/table_format.md; RocksDB's table/format.h (footer) and
 * table/*_table_builder.cc (the magic numbers).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { afterStructureEnd, notingZeroPadding, plain, u16le, u32le, varint } from './util.js';

const TABLE_MAGIC = '57fb808b247547db';
const TABLE_MAGIC_BYTES = Buffer.from(TABLE_MAGIC, 'hex');
/** How far before the end of the file a table's footer is looked for when bytes follow it (appended data). */
const FOOTER_SEARCH_BYTES = 4096;
/** A block's trailer: its compression type byte and masked CRC32C. */
const BLOCK_TRAILER_BYTES = 5;
/** RocksDB table magics as the footer stores them (little-endian), by table kind. */
const ROCKSDB_MAGIC: Record<string, string> = {
  f7cff485b741e288: 'block-based',
  '6495bf6396224282': 'plain',
  '7378f1c5d0896792': 'cuckoo',
};
const CRC32C = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32c(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC32C[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** LevelDB stores CRCs masked: rotate right by 15 and add a constant. */
function masked(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

export const leveldbDetector = defineDetector({
  meta: {
    id: 'leveldb',
    version: '1.2.0',
    title: 'LevelDB logs, manifests and tables (and RocksDB tables)',
    formats: [
      {
        id: 'leveldb-log',
        name: 'LevelDB write-ahead log',
        status: 'analysable',
        how: 'structure',
        extensions: ['log'],
      },
      { id: 'leveldb-manifest', name: 'LevelDB manifest', status: 'analysable', how: 'structure' },
      {
        id: 'leveldb-table',
        name: 'LevelDB sorted table',
        status: 'analysable',
        how: 'signature',
        extensions: ['ldb', 'sst'],
      },
      {
        id: 'rocksdb-table',
        name: 'RocksDB sorted table',
        status: 'analysable',
        how: 'signature',
        extensions: ['sst'],
      },
    ],
  },
  minSize: 8,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const end = probe.tail.length > 0 ? probe.tail : h;
    const table = probe.size >= 48 ? tableEnd(probe) : undefined;
    if (table !== undefined) {
      const after = table < probe.size ? afterStructureEnd(probe, table) : undefined;
      return notingZeroPadding(
        plain('analysable', {
          id: 'leveldb-table',
          name: 'LevelDB sorted table',
          confidence: 0.97,
          code: 'LEVELDB_TABLE_MAGIC',
          message:
            table === probe.size
              ? 'LevelDB table footer magic 0xdb4775248b80fb57 in the last 8 bytes.'
              : `LevelDB table footer magic 0xdb4775248b80fb57 at offset ${table - 8}, its index block handle ending where the footer starts.`,
        }),
        after,
        'the table before them',
      );
    }
    const rocks =
      probe.size >= 48 ? ROCKSDB_MAGIC[Buffer.from(end.subarray(end.length - 8)).toString('hex')] : undefined;
    const formatVersion = u32le(end, end.length - 12) ?? -1;
    // Format versions 0-7 so far (RocksDB 8/9 write 5 or 6 by default).
    if (rocks && formatVersion >= 0 && formatVersion <= 7) {
      return plain('analysable', {
        id: 'rocksdb-table',
        name: 'RocksDB sorted table',
        confidence: 0.97,
        code: 'ROCKSDB_TABLE_MAGIC',
        message: `RocksDB ${rocks} table footer magic in the last 8 bytes, format version ${formatVersion}; sst_dump reads it.`,
        figures: { table: rocks, formatVersion },
      });
    }
    // First log record: masked CRC32C over type + payload, length, type FULL (1) or FIRST (2).
    const length = u16le(h, 4) ?? 0;
    const type = h[6];
    if ((type === 1 || type === 2) && length > 0 && 7 + length <= Math.min(h.length, 32768)) {
      const crc = u32le(h, 0);
      if (crc === masked(crc32c(h.subarray(6, 7 + length)))) {
        // A manifest's records are version edits, the first naming the comparator (tag 1, a varint length, the
        // name); a log's are write batches, which open with an 8-byte sequence number. Either the structure or
        // the name MANIFEST-<number> says manifest.
        const manifest = comparatorFirst(h.subarray(7, 7 + length)) || /^MANIFEST-\d+$/.test(probe.name);
        return plain('analysable', {
          id: manifest ? 'leveldb-manifest' : 'leveldb-log',
          name: manifest ? 'LevelDB manifest' : 'LevelDB write-ahead log',
          confidence: 0.96,
          code: 'LEVELDB_LOG_RECORD',
          message: `LevelDB log record at offset 0 (${type === 1 ? 'FULL' : 'FIRST'}, ${length} bytes) whose masked CRC32C checks.`,
          figures: { recordBytes: length },
        });
      }
    }
    return undefined;
  },
});

/**
 * Where a LevelDB table ends: the file's size when its last 8 bytes are the footer magic; else the end of the last
 * footer found in the last `FOOTER_SEARCH_BYTES` (bytes appended after the table) whose index block handle ends,
 * with its block trailer, exactly where the footer starts and whose metaindex block lies before the index block
 * (table_format.md: the index block is written last, then the 48-byte footer).
 */
function tableEnd(probe: { head: Uint8Array; tail: Uint8Array; size: number }): number | undefined {
  const last = probe.tail.length > 0 ? probe.tail : probe.head;
  const base = probe.size - last.length;
  if (Buffer.from(last.subarray(last.length - 8)).toString('hex') === TABLE_MAGIC) return probe.size;
  const window = Buffer.from(last.buffer, last.byteOffset, last.byteLength);
  const from = Math.max(48 - 8, last.length - FOOTER_SEARCH_BYTES);
  for (let at = window.lastIndexOf(TABLE_MAGIC_BYTES); at >= from; at = window.lastIndexOf(TABLE_MAGIC_BYTES, at - 1)) {
    const footer = base + at - 40;
    if (footer >= 0 && at >= 40 && footerHandlesFit(last.subarray(at - 40, at), footer)) return base + at + 8;
    if (at === 0) break;
  }
  return undefined;
}

/** The footer's two block handles (varint offset and size each): metaindex, then index ending at the footer. */
function footerHandlesFit(handles: Uint8Array, footer: number): boolean {
  const metaOffset = varint(handles, 0);
  const metaSize = metaOffset && varint(handles, metaOffset[1]);
  const indexOffset = metaSize && varint(handles, metaSize[1]);
  const indexSize = indexOffset && varint(handles, indexOffset[1]);
  if (!metaOffset || !metaSize || !indexOffset || !indexSize) return false;
  return (
    indexSize[0] > 0 &&
    indexOffset[0] + indexSize[0] + BLOCK_TRAILER_BYTES === footer &&
    metaOffset[0] + metaSize[0] + BLOCK_TRAILER_BYTES <= indexOffset[0]
  );
}

/** A version edit that opens with the comparator's name (tag 1, a one-byte length of 1-127, printable ASCII). */
function comparatorFirst(payload: Uint8Array): boolean {
  const n = payload[1] ?? 0;
  if (payload[0] !== 1 || n < 1 || n > 127 || payload.length < 2 + n) return false;
  for (let i = 2; i < 2 + n; i++) if (payload[i]! < 0x20 || payload[i]! > 0x7e) return false;
  return true;
}
