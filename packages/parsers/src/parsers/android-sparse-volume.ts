/**
 * What an Android sparse image (img2simg, fastboot images, many phone extractions) holds: the partition it
 * expands to. The sparse header is clear, so the file reads as a plain image; but the partition may be an
 * encrypted volume. The chunks are walked to rebuild the partition's first and last 16 KiB (raw chunks copied,
 * fill chunks repeated, don't-care chunks zero) and judged by guest-volume.ts: a LUKS or BitLocker header
 * names the scheme (certain); uniformly random bytes in the first sector are suspected whole-volume
 * encryption (Android full-disk encryption keeps no header there).
 * Reference: AOSP system/core/libsparse/sparse_format.h (sparse_header_t: magic 0xED26FF3A, version 1.0,
 * 28-byte file header, 12-byte chunk headers, block size, block and chunk counts; chunk_header_t: type
 * RAW 0xCAC1, FILL 0xCAC2, DONT_CARE 0xCAC3, CRC32 0xCAC4, size in blocks, total size in bytes).
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';
import { guestVolumeVerdict } from './guest-volume.js';

const MAGIC = 0xed26ff3a;
const RAW = 0xcac1;
const FILL = 0xcac2;
const DONT_CARE = 0xcac3;
const CRC32 = 0xcac4;
/** What is rebuilt of the partition's start and end: a LUKS2 header and JSON area, an end-of-volume footer. */
const WINDOW = 16 * 1024;
/** Chunk headers read at most: a whole phone partition has a few thousand; past this the end is not rebuilt. */
const CHUNKS_MAX = 100_000;

interface Chunk {
  type: number;
  /** Where the chunk's blocks start in the partition, and how many bytes they cover. */
  at: number;
  length: number;
  /** Where a raw chunk's data starts in the file; the 4-byte value of a fill chunk. */
  data: number;
  fill: number;
}

type Read = (offset: number, length: number) => Promise<Buffer>;

interface Walk {
  chunks: Chunk[];
  blockSize: number;
  partitionBytes: number;
  /** Why the walk stopped before the last chunk, if it did. */
  stopped?: string;
}

/** The chunk list, checked as libsparse checks it: each chunk's total size agrees with its type and blocks. */
async function walkChunks(read: Read, size: number): Promise<Walk | undefined> {
  const h = await read(0, 28);
  if (h.length < 28 || h.readUInt32LE(0) !== MAGIC || h.readUInt16LE(4) !== 1) return undefined;
  const fileHeader = h.readUInt16LE(8);
  const chunkHeader = h.readUInt16LE(10);
  const blockSize = h.readUInt32LE(12);
  const totalBlocks = h.readUInt32LE(16);
  const totalChunks = h.readUInt32LE(20);
  if (fileHeader < 28 || chunkHeader < 12 || blockSize === 0 || blockSize % 4 !== 0) return undefined;
  const walk: Walk = { chunks: [], blockSize, partitionBytes: totalBlocks * blockSize };
  let offset = fileHeader;
  let at = 0;
  for (let i = 0; i < totalChunks; i++) {
    if (i >= CHUNKS_MAX) return { ...walk, stopped: `more than ${CHUNKS_MAX} chunks` };
    const c = await read(offset, 12);
    if (c.length < 12) return { ...walk, stopped: `chunk ${i} header at ${offset} past the end of the file` };
    const type = c.readUInt16LE(0);
    const length = c.readUInt32LE(4) * blockSize;
    const total = c.readUInt32LE(8);
    const expected =
      type === RAW ? chunkHeader + length : type === FILL || type === CRC32 ? chunkHeader + 4 : chunkHeader;
    if (![RAW, FILL, DONT_CARE, CRC32].includes(type) || total !== expected)
      return { ...walk, stopped: `chunk ${i} at ${offset}: type 0x${type.toString(16)}, total size ${total}` };
    const value = type === FILL ? await read(offset + chunkHeader, 4) : undefined;
    const fill = value && value.length >= 4 ? value.readUInt32LE(0) : 0;
    if (type !== CRC32) walk.chunks.push({ type, at, length, data: offset + chunkHeader, fill });
    if (type !== CRC32) at += length;
    offset += total;
    if (offset > size) return { ...walk, stopped: `chunk ${i} runs past the end of the file` };
  }
  return walk;
}

/** The partition's bytes [from, from + length) from the chunks (zeros where no chunk reaches). */
async function partitionBytes(walk: Walk, from: number, length: number, read: Read): Promise<Buffer> {
  const out = Buffer.alloc(length);
  for (const c of walk.chunks) {
    const start = Math.max(from, c.at);
    const end = Math.min(from + length, c.at + c.length);
    if (start >= end) continue;
    if (c.type === RAW) (await read(c.data + (start - c.at), end - start)).copy(out, start - from);
    else if (c.type === FILL)
      for (let p = start; p < end; p++) out[p - from] = (c.fill >>> (8 * ((p - c.at) % 4))) & 0xff;
  }
  return out;
}

export const androidSparseVolumeParser = defineParser({
  meta: {
    id: 'android-sparse-volume',
    version: '1.0.0',
    title:
      'The partition inside an Android sparse image: an encrypted volume header, or random bytes where a file system starts',
    formats: ['android-sparse-image'],
    diagnostics: {
      SPARSE_CHUNKS_DAMAGED:
        'The chunk list of the sparse image stops early: {reason}. Only the chunks before it were read.',
    },
  },
  priority: 35,
  async parse(ctx): Promise<ParseResult | undefined> {
    const read: Read = (o, n) => ctx.read(o, n);
    const walk = await walkChunks(read, ctx.item.size);
    if (!walk || walk.partitionBytes < 512) return undefined;
    if (walk.stopped)
      ctx.report({
        code: 'SPARSE_CHUNKS_DAMAGED',
        severity: 'warning',
        message: `The chunk list of the sparse image stops early: ${walk.stopped}. Only the chunks before it were read.`,
      });
    const window = Math.min(WINDOW, walk.partitionBytes);
    const head = await partitionBytes(walk, 0, window, read);
    const tail = await partitionBytes(walk, walk.partitionBytes - window, window, read);
    const figures = { partitionBytes: walk.partitionBytes, chunks: walk.chunks.length };
    return guestVolumeVerdict(
      ctx.probe,
      {
        size: walk.partitionBytes,
        head,
        tail,
        read: (o, n) => {
          const from = Math.max(0, Math.min(o, walk.partitionBytes));
          return partitionBytes(walk, from, Math.max(0, Math.min(n, walk.partitionBytes - from)), read);
        },
      },
      {
        format: { id: 'android-sparse-image-encrypted', name: 'Android sparse image of an encrypted volume' },
        holds: `The sparse image expands to a partition of ${walk.partitionBytes} bytes (${walk.partitionBytes / walk.blockSize} blocks of ${walk.blockSize} bytes in ${walk.chunks.length} chunks)`,
        codes: {
          named: 'SPARSE_ENCRYPTED_VOLUME',
          random: 'SPARSE_RANDOM_PARTITION_START',
          partition: 'SPARSE_ENCRYPTED_PARTITION',
        },
        details: figures,
        figures,
        randomKey:
          "The device's lock-screen PIN, pattern or password with its hardware-bound key (Android full-disk encryption), or the volume's passphrase.",
      },
    );
  },
});
