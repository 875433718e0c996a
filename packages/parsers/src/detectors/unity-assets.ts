/**
 * Unity's game data as phones and computers keep it (`Android/obb/<pkg>/*.obb`
 * members, `/data/data/<game>/files/UnityCache`, `*.app/Data/` on iOS, a PC
 * game's `<Game>_Data/`):
 *
 * - Asset bundles (`.unity3d`, `.bundle`, `.ab`, often no extension):
 *   "UnityFS" then a big-endian format version, two version strings, the
 *   bundle's total size, the compressed and decompressed sizes of its block
 *   table and flags (low six bits: 0 stored, 1 LZMA, 2 LZ4, 3 LZ4HC; 0x80:
 *   the table is at the end of the file). The table (16-byte hash, block
 *   sizes, then the directory of serialized files) is decoded and its block
 *   sizes must fill the file. The blocks are LZ4/LZMA-compressed game data,
 *   which the statistics took for ciphertext. The older "UnityWeb"/"UnityRaw"
 *   bundles carry their header size and complete file size the same way.
 * - Serialized files (`*.assets`, `sharedassets0.assets`, `globalgamemanagers`,
 *   the `CAB-…` members of bundles): no magic, a big-endian header of metadata
 *   size, file size, format version and data offset, then the Unity version
 *   string; the sizes must agree with the file.
 * - IL2CPP `global-metadata.dat`: magic AF 1B B1 FA, a version, then a table
 *   of (offset, size) sections that must lie inside the file (protectors that
 *   encrypt it remove the magic: that is left to the statistics).
 *
 * None needs a key: AssetStudio and UnityPy read them, but no general reader
 * does, so they are opaque (named, never called encrypted).
 * References: UnityPy files/BundleFile.py and files/SerializedFile.py,
 * AssetStudio BundleFile.cs and SerializedFileHeader, Il2CppDumper
 * Il2Cpp/MetadataClass.cs (header layout).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { indexOf, isUtf8TextWindow, plain, u16be, u32be, u32le, u64be } from './util.js';
import { decodeLz4Block } from './lz4-decode.js';
import { trialLzma } from './trial-decode.js';

const BUNDLE = { id: 'unity-asset-bundle', name: 'Unity asset bundle' } as const;
const SERIALIZED = { id: 'unity-serialized-file', name: 'Unity serialized file' } as const;
const METADATA = { id: 'il2cpp-metadata', name: 'Unity IL2CPP global metadata' } as const;
/** Block tables larger than this are not decoded (real ones are a few KiB; a hostile size cannot claim memory). */
const MAX_TABLE = 4 << 20;
const COMPRESSION = ['stored', 'LZMA', 'LZ4', 'LZ4HC'] as const;

function cString(b: Uint8Array, at: number, max = 64): [string, number] | undefined {
  const end = b.indexOf(0, at);
  if (end < 0 || end - at > max) return undefined;
  const s = Buffer.from(b.subarray(at, end)).toString('latin1');
  return /^[\x20-\x7e]*$/.test(s) ? [s, end + 1] : undefined;
}

/** The Unity version strings seen in headers: 5.x.x, 2019.4.40f1, 6000.0.23f1. */
const UNITY_VERSION = /^(\d{1,4}\.\d{1,2}\.(\d{1,3}[a-z]\d{1,3}(-\w+)?|x)|5\.x\.x)$/;

interface BlockTable {
  blocks: number;
  compressedSum: number;
  uncompressedSum: number;
  nodes: number;
  names: string[];
}

/** Reads the decoded table: hash, blocks (u32 sizes, u16 flags), then directory nodes (u64 offset, u64 size, u32 flags, name). */
function readTable(t: Uint8Array): BlockTable | undefined {
  const blocks = u32be(t, 16);
  if (blocks === undefined || blocks === 0 || 20 + blocks * 10 + 4 > t.length) return undefined;
  let at = 20;
  let compressedSum = 0;
  let uncompressedSum = 0;
  for (let i = 0; i < blocks; i++) {
    uncompressedSum += u32be(t, at)!;
    compressedSum += u32be(t, at + 4)!;
    if ((u16be(t, at + 8)! & 0x3f) > 4) return undefined;
    at += 10;
  }
  const nodes = u32be(t, at)!;
  at += 4;
  if (nodes === 0 || nodes > 100_000) return undefined;
  const names: string[] = [];
  for (let i = 0; i < nodes; i++) {
    const offset = u64be(t, at);
    const size = u64be(t, at + 8);
    if (offset === undefined || size === undefined || offset + size > uncompressedSum) return undefined;
    const name = cString(t, at + 20, 1024);
    if (!name) return undefined;
    if (names.length < 16) names.push(name[0]);
    at = name[1];
  }
  return { blocks, compressedSum, uncompressedSum, nodes, names };
}

function readUnityFs(probe: Probe): Detection | undefined {
  const h = probe.head;
  const version = u32be(h, 8);
  if (version === undefined || version < 3 || version > 12) return undefined;
  const player = cString(h, 12);
  const engine = player && cString(h, player[1]);
  if (!player || !engine || !UNITY_VERSION.test(engine[0])) return undefined;
  let at = engine[1];
  const total = u64be(h, at);
  const ci = u32be(h, at + 8);
  const ui = u32be(h, at + 12);
  const flags = u32be(h, at + 16);
  if (total === undefined || ci === undefined || ui === undefined || flags === undefined) return undefined;
  at += 20;
  if (version >= 7) at = (at + 15) & ~15;
  const method = flags & 0x3f;
  if (method > 3 || ci === 0 || ui === 0 || ci > total || at + ci > total) return undefined;
  // The header's total is the file's size; a copy cut short is smaller, never larger.
  if (total < probe.size) return undefined;
  const cut = total > probe.size;
  const atEnd = (flags & 0x80) !== 0;
  const tableAt = atEnd ? total - ci : at;
  const whole = probe.complete ? probe.head : undefined;
  let bytes: Uint8Array | undefined;
  if (!atEnd && tableAt + ci <= h.length) bytes = h.subarray(tableAt, tableAt + ci);
  else if (atEnd && !cut) {
    const end = whole ?? probe.tail;
    const from = end.length - (total - tableAt);
    if (from >= 0) bytes = end.subarray(from);
  }
  let table: BlockTable | undefined;
  let decoded = false;
  if (bytes && ui <= MAX_TABLE) {
    const raw = method === 0 ? bytes : method >= 2 ? decodeLz4Block(bytes, ui) : undefined;
    if (method === 1) {
      // Unity's LZMA has the 5 property bytes and no size: put the size in to make it LZMA-alone.
      const alone = new Uint8Array(13 + bytes.length - 5);
      alone.set(bytes.subarray(0, 5));
      new DataView(alone.buffer).setBigUint64(5, BigInt(ui), true);
      alone.set(bytes.subarray(5), 13);
      if (!trialLzma(alone, true).ok) return undefined;
    } else {
      if (!raw || raw.length !== ui) return undefined;
      table = readTable(raw);
      if (!table) return undefined;
      decoded = true;
      // The blocks fill the file between header and table (16-byte alignment at most).
      const filled = at + ci + table.compressedSum;
      if (!cut && (filled > total || total - filled > 16)) return undefined;
    }
  }
  const figures: Record<string, number | boolean | string> = {
    formatVersion: version,
    totalBytes: total,
    tableBytes: ci,
    compression: COMPRESSION[method]!,
    truncated: cut,
  };
  let message = `Unity asset bundle (UnityFS format ${version}, built by Unity ${engine[0]}): its header gives ${total} bytes${cut ? ` (the file holds ${probe.size}: cut short)` : ', the size of the file'} and a ${COMPRESSION[method]} block table of ${ci} bytes${atEnd ? ' at its end' : ''}`;
  if (table) {
    Object.assign(figures, { blocks: table.blocks, files: table.nodes, uncompressedBytes: table.uncompressedSum });
    message += ` that decodes to ${table.blocks} blocks (${table.uncompressedSum} bytes) and ${table.nodes} serialized files (${table.names.slice(0, 3).join(', ')})${cut ? '' : ' whose blocks fill the file'}`;
  } else if (method === 1 && bytes) message += ' whose LZMA stream decodes';
  message += `. ${COMPRESSION[method] === 'stored' ? 'Stored' : 'Compressed'} game data, not encrypted; read by AssetStudio or UnityPy.`;
  return plain('opaque', {
    ...BUNDLE,
    confidence: decoded || (method === 1 && bytes) ? 0.97 : 0.9,
    code: decoded ? 'UNITY_BUNDLE_TABLE' : 'UNITY_BUNDLE_HEADER',
    message,
    figures,
    ...(table ? { details: { files: table.names } } : {}),
  });
}

/** UnityWeb (LZMA) and UnityRaw (stored) bundles, Unity 3–5: header size and complete file size in the header. */
function readUnityWeb(probe: Probe, kind: 'UnityWeb' | 'UnityRaw'): Detection | undefined {
  const h = probe.head;
  const version = u32be(h, 9);
  if (version === undefined || version < 1 || version > 3) return undefined;
  const player = cString(h, 13);
  const engine = player && cString(h, player[1]);
  if (!player || !engine || !UNITY_VERSION.test(engine[0])) return undefined;
  const at = engine[1];
  const headerSize = u32be(h, at + 4);
  const levels = u32be(h, at + 12);
  if (headerSize === undefined || levels === undefined || levels === 0 || levels > 4096) return undefined;
  if (headerSize < at + 16 + levels * 8 || headerSize > probe.size) return undefined;
  const complete = version >= 2 ? u32be(h, at + 16 + levels * 8) : undefined;
  if (complete !== undefined && complete !== probe.size && complete < probe.size) return undefined;
  // UnityWeb's body is one LZMA-alone stream per level: decode its start.
  if (kind === 'UnityWeb' && headerSize < h.length && !trialLzma(h.subarray(headerSize), probe.complete).ok)
    return undefined;
  return plain('opaque', {
    ...BUNDLE,
    confidence: 0.93,
    code: 'UNITY_BUNDLE_HEADER',
    message: `Unity asset bundle (${kind} format ${version}, Unity ${engine[0]}): a ${headerSize}-byte header with ${levels} level(s)${complete !== undefined ? ` and a complete size of ${complete} bytes (the file holds ${probe.size})` : ''}${kind === 'UnityWeb' ? '; its LZMA body decodes' : ''}. Compressed game data, not encrypted; read by AssetStudio or UnityPy.`,
    figures: { formatVersion: version, headerBytes: headerSize, levels },
  });
}

function readSerialized(probe: Probe): Detection | undefined {
  const h = probe.head;
  const version = u32be(h, 8);
  if (version === undefined || version < 9 || version > 40) return undefined;
  let metadata = u32be(h, 0)!;
  let fileSize = u32be(h, 4)!;
  let dataOffset = u32be(h, 12)!;
  let stringAt = 20;
  if (version >= 22) {
    // Format 22 (Unity 2020.1+) keeps the old fields zero and writes 64-bit ones after the endianness byte.
    metadata = u32be(h, 20) ?? 0;
    fileSize = u64be(h, 24) ?? 0;
    dataOffset = u64be(h, 32) ?? 0;
    stringAt = 48;
  }
  const endian = h[16];
  if ((endian !== 0 && endian !== 1) || h[17] !== 0 || h[18] !== 0 || h[19] !== 0) return undefined;
  if (fileSize !== probe.size || dataOffset > fileSize || metadata === 0 || metadata > dataOffset) return undefined;
  const unity = cString(h, stringAt, 32);
  if (!unity || !UNITY_VERSION.test(unity[0])) return undefined;
  const platform = endian === 0 ? u32le(h, unity[1]) : u32be(h, unity[1]);
  return plain('opaque', {
    ...SERIALIZED,
    confidence: 0.95,
    code: 'UNITY_SERIALIZED_HEADER',
    message: `Unity serialized file (format ${version}, Unity ${unity[0]}): its header gives the file's size (${fileSize} bytes), ${metadata} bytes of type metadata and the objects from byte ${dataOffset}. Game objects in Unity's own layout, not encrypted; read by AssetStudio or UnityPy.`,
    figures: {
      formatVersion: version,
      metadataBytes: metadata,
      dataOffset,
      ...(platform !== undefined ? { platform } : {}),
    },
  });
}

function readMetadata(probe: Probe): Detection | undefined {
  const h = probe.head;
  const version = u32le(h, 4);
  if (version === undefined || version < 16 || version > 40) return undefined;
  // The first section starts right after the header: that offset says how many (offset, size) pairs it holds.
  const first = u32le(h, 8);
  if (first === undefined || first < 8 + 10 * 8 || first > 1024 || first % 4 !== 0 || first > h.length)
    return undefined;
  let sections = 0;
  for (let at = 8; at + 8 <= first; at += 8) {
    const offset = u32le(h, at)!;
    const size = u32le(h, at + 4)!;
    if (size === 0) continue;
    if (offset < first || offset + size > probe.size) return undefined;
    sections++;
  }
  if (sections < 8) return undefined;
  return plain('opaque', {
    ...METADATA,
    confidence: 0.95,
    code: 'IL2CPP_METADATA_HEADER',
    message: `Unity IL2CPP metadata (global-metadata.dat, version ${version}): magic AF 1B B1 FA and a ${first}-byte header whose ${sections} sections all lie inside the file. Type and string tables of the game's compiled code, not encrypted; read by Il2CppDumper.`,
    figures: { version, headerBytes: first, sections },
  });
}

export const unityAssetsDetector = defineDetector({
  meta: {
    id: 'unity-assets',
    version: '1.0.0',
    title: "Unity's asset bundles, serialized files and IL2CPP metadata",
    formats: [
      { ...BUNDLE, status: 'opaque', how: 'structure', extensions: ['unity3d', 'bundle', 'ab', 'assetbundle'] },
      { ...SERIALIZED, status: 'opaque', how: 'header-field', extensions: ['assets', 'sharedassets', 'resource'] },
      { ...METADATA, status: 'opaque', how: 'header-field', extensions: ['dat'] },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'UnityFS\0' },
    { offset: 0, ascii: 'UnityWeb\0' },
    { offset: 0, ascii: 'UnityRaw\0' },
    { offset: 0, hex: 'af1bb1fa' },
    // A serialized file's format version (9–40), big-endian at byte 8.
    ...Array.from({ length: 32 }, (_, i) => ({ offset: 8, hex: `000000${(i + 9).toString(16).padStart(2, '0')}` })),
  ],
  minSize: 48,
  priority: 30,
  detect(probe) {
    const h = probe.head;
    if (indexOf(h.subarray(0, 9), 'UnityFS\0') === 0) return readUnityFs(probe);
    if (indexOf(h.subarray(0, 9), 'UnityWeb\0') === 0) return readUnityWeb(probe, 'UnityWeb');
    if (indexOf(h.subarray(0, 9), 'UnityRaw\0') === 0) return readUnityWeb(probe, 'UnityRaw');
    if (h[0] === 0xaf && h[1] === 0x1b && h[2] === 0xb1 && h[3] === 0xfa) return readMetadata(probe);
    return readSerialized(probe);
  },
});

const STREAM = { id: 'unity-resource-stream', name: 'Unity resource stream (.resS)' } as const;

/**
 * Unity's `.resS` streams (`sharedassets0.assets.resS`, `CAB-<hash>.resS` in a bundle) hold the raw texture,
 * mesh and video bytes that the serialized file beside them points into (offset and size in each object):
 * no header at all, and ETC2/ASTC/DXT textures read as random, so the statistics took them for ciphertext.
 * Only the name says what they are (Unity alone writes the `.resS` suffix): a path rule, which outranks the
 * statistics; text is left to the text detector.
 */
export const unityResourceStreamDetector = defineDetector({
  meta: {
    id: 'unity-resource-stream',
    version: '1.0.0',
    title: "Unity's .resS resource streams (by name)",
    formats: [{ ...STREAM, status: 'opaque', how: 'path', extensions: ['ress'] }],
  },
  fallback: true,
  priority: 30,
  minSize: 1,
  detect(probe): Detection | undefined {
    // This runs on every unrecognised file: the name first.
    if (probe.extension !== 'ress' || !probe.name.endsWith('.resS')) return undefined;
    if (isUtf8TextWindow(probe.head)) return undefined;
    const owner = probe.name.slice(0, -'.resS'.length);
    const beside = /\.assets$/.test(owner) || /^level\d+$/.test(owner) || /^CAB-[0-9a-f]{32}$/.test(owner);
    return {
      ...plain('opaque', {
        ...STREAM,
        confidence: beside ? 0.8 : 0.7,
        code: 'UNITY_RESS_NAME',
        message: `"${probe.name}": a Unity resource stream by its .resS suffix${beside ? ` (the stream of the serialized file "${owner}")` : ''}, ${probe.size} bytes of raw texture, mesh or video data with no header, which the serialized file points into. Game data, not encrypted.`,
        figures: { bytes: probe.size },
      }),
      basis: 'path',
    };
  },
});
