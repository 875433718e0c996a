/**
 * MaxMind DB files (`.mmdb`: GeoIP2 and GeoLite2 City, Country, ASN…, and the many databases other tools
 * write in the format): a binary search tree over IP address bits, 16 zero bytes, a data section, then
 * the metadata behind the marker AB CD EF "MaxMind.com" near the end. No magic at the start, and the tree
 * reads as random bytes, so without this they were called structured binary or compressed. Accepted: the
 * last marker in the file's last bytes followed by a metadata map that decodes in the format's own
 * encoding (a control byte of type and size, extended types, strings as map keys) and holds the fields
 * the specification requires: `binary_format_major_version` 2, `record_size` 24, 28 or 32, `ip_version`
 * 4 or 6, `node_count` and `database_type`, with a tree of `node_count` × `record_size` / 4 bytes that
 * fits before the marker (and, where the head holds its end, the 16 zero bytes after it). Analysable:
 * `mmdblookup` and every GeoIP2 library read it.
 * Reference: MaxMind DB File Format Specification 2.0 (maxmind.github.io/MaxMind-DB).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { endOfFile, plain } from './util.js';

const MARKER = Uint8Array.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com')]);
/** The tail the probe reads; the metadata (at most 128 KiB by the specification) is rarely above 2 KiB. */
const SEARCH = 8192;
const MAX_DEPTH = 8;
/** Entries a metadata map or array holds at most here (languages, descriptions): bounds a hostile walk. */
const MAX_ENTRIES = 256;

type Value = string | number | boolean | Uint8Array | Value[] | { [key: string]: Value };

interface Decoded {
  value: Value;
  end: number;
}

/** Decodes one value of the MaxMind DB data format at `at` (no pointers: the metadata has none). */
function decode(b: Uint8Array, at: number, depth: number): Decoded | undefined {
  if (at >= b.length || depth > MAX_DEPTH) return undefined;
  const control = b[at++]!;
  let type = control >> 5;
  if (type === 0) {
    if (at >= b.length) return undefined;
    type = 7 + b[at++]!;
  }
  let size = control & 0x1f;
  if (size >= 29) {
    const extra = size - 28;
    if (at + extra > b.length) return undefined;
    let n = 0;
    for (let i = 0; i < extra; i++) n = n * 256 + b[at + i]!;
    size = [29, 285, 65821][extra - 1]! + n;
    at += extra;
  }
  const bytesEnd = at + size;
  const needBytes = (): boolean => bytesEnd <= b.length;
  const uint = (max: number): Decoded | undefined => {
    if (size > max || !needBytes()) return undefined;
    let n = 0;
    for (let i = at; i < bytesEnd; i++) n = n * 256 + b[i]!;
    return { value: n, end: bytesEnd };
  };
  switch (type) {
    case 2: // UTF-8 string
      return needBytes() ? { value: Buffer.from(b.subarray(at, bytesEnd)).toString('utf8'), end: bytesEnd } : undefined;
    case 3: // double
      return size === 8 && needBytes()
        ? { value: Buffer.from(b.subarray(at, bytesEnd)).readDoubleBE(0), end: bytesEnd }
        : undefined;
    case 4: // bytes
      return needBytes() ? { value: b.subarray(at, bytesEnd), end: bytesEnd } : undefined;
    case 5:
      return uint(2);
    case 6:
    case 8: // uint32, int32
      return uint(4);
    case 9:
      return uint(8);
    case 10:
      return uint(16);
    case 14: // boolean: the size is the value
      return size <= 1 ? { value: size === 1, end: at } : undefined;
    case 15: // float
      return size === 4 && needBytes()
        ? { value: Buffer.from(b.subarray(at, bytesEnd)).readFloatBE(0), end: bytesEnd }
        : undefined;
    case 7: {
      if (size > MAX_ENTRIES) return undefined;
      const map: { [key: string]: Value } = {};
      for (let i = 0; i < size; i++) {
        const key = decode(b, at, depth + 1);
        if (!key || typeof key.value !== 'string') return undefined;
        const value = decode(b, key.end, depth + 1);
        if (!value) return undefined;
        map[key.value] = value.value;
        at = value.end;
      }
      return { value: map, end: at };
    }
    case 11: {
      if (size > MAX_ENTRIES) return undefined;
      const list: Value[] = [];
      for (let i = 0; i < size; i++) {
        const item = decode(b, at, depth + 1);
        if (!item) return undefined;
        list.push(item.value);
        at = item.end;
      }
      return { value: list, end: at };
    }
    default: // pointers, the data cache container, the end marker: not in metadata
      return undefined;
  }
}

function mmdbVerdict(probe: Probe): Detection | undefined {
  const end = endOfFile(probe);
  const window = end.bytes.subarray(Math.max(0, end.bytes.length - SEARCH));
  const windowAt = end.at + (end.bytes.length - window.length);
  const found = Buffer.from(window.buffer, window.byteOffset, window.length).lastIndexOf(MARKER);
  if (found < 0) return undefined;
  const meta = decode(window, found + MARKER.length, 0);
  if (!meta || typeof meta.value !== 'object' || Array.isArray(meta.value) || meta.value instanceof Uint8Array)
    return undefined;
  const m = meta.value;
  const [major, recordSize, ipVersion, nodes, type] = [
    m.binary_format_major_version,
    m.record_size,
    m.ip_version,
    m.node_count,
    m.database_type,
  ];
  if (major !== 2 || ![24, 28, 32].includes(recordSize as number) || ![4, 6].includes(ipVersion as number))
    return undefined;
  if (typeof nodes !== 'number' || nodes < 1 || typeof type !== 'string' || type === '') return undefined;
  const markerAt = windowAt + found;
  const treeBytes = (nodes * (recordSize as number)) / 4;
  if (treeBytes + 16 > markerAt) return undefined;
  // The data section separator: 16 zero bytes right after the tree, checked where the head holds them.
  const separator = probe.head.subarray(treeBytes, treeBytes + 16);
  const separatorSeen = separator.length === 16;
  if (separatorSeen && separator.some((x) => x !== 0)) return undefined;
  const epoch = typeof m.build_epoch === 'number' ? m.build_epoch : undefined;
  const built = epoch !== undefined ? new Date(epoch * 1000).toISOString().slice(0, 10) : undefined;
  return plain('analysable', {
    id: 'maxmind-db',
    name: 'MaxMind DB (GeoIP2/GeoLite2 .mmdb)',
    confidence: separatorSeen ? 0.95 : 0.9,
    code: 'MAXMIND_DB_METADATA',
    message:
      `MaxMind DB metadata at offset ${markerAt}: database type "${type}", IPv${ipVersion as number} search tree of ${nodes} ` +
      `nodes with ${recordSize as number}-bit records (${treeBytes} bytes${separatorSeen ? ', the 16-byte zero separator after it' : ''})` +
      `${built ? `, built ${built}` : ''}. A geolocation or network database mmdblookup reads; not encrypted.`,
    figures: {
      databaseType: type,
      ipVersion: ipVersion as number,
      recordSize: recordSize as number,
      nodes,
      metadataAt: markerAt,
    },
  });
}

export const maxmindDbDetector = defineDetector({
  meta: {
    id: 'maxmind-db',
    version: '1.0.0',
    title: 'MaxMind DB files (GeoIP2/GeoLite2 .mmdb) by the metadata map at their end',
    formats: [
      {
        id: 'maxmind-db',
        name: 'MaxMind DB (GeoIP2/GeoLite2 .mmdb)',
        status: 'analysable',
        how: 'structure',
        extensions: ['mmdb'],
      },
    ],
  },
  minSize: 64,
  priority: 30,
  signatures: [{ offset: 0, hex: 'abcdef4d61784d696e642e636f6d', fromEnd: true, within: SEARCH }],
  detect(probe): Detection | undefined {
    return mmdbVerdict(probe);
  },
});
