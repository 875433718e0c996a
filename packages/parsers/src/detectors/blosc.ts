/**
 * Blosc compressed chunks: how Zarr (v2 and v3), bcolz, PyTables and
 * TileDB store each chunk of a scientific array, one file per chunk in a
 * Zarr store (`0.0`, `c/0/1`). The body is blosclz, LZ4, Zstd, zlib or
 * Snappy output behind a 16-byte header (32 in Blosc2's extended form), so
 * with no signature a chunk looked random and was called encrypted. The
 * header is all sizes that must agree with the file: the compressed size
 * field equals the file's size, the block size fits the uncompressed size,
 * and the block start offsets that follow point forward inside the chunk,
 * the first one right after them. Compressed, not encrypted: analysable
 * (numcodecs, c-blosc and the libraries above decode it; what the array
 * means is in the store's `.zarray`/`zarr.json` beside it).
 * Reference: c-blosc 1.21 README_CHUNK_FORMAT.rst (header, bstarts, the
 * memcpyed flag); c-blosc2 2.x README_CHUNK_FORMAT.rst (version 3+, the
 * extended 32-byte header when both shuffle flags are set).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u32le } from './util.js';

const MEMCPYED = 0x02;
const CODECS = ['blosclz', 'lz4', 'snappy', 'zlib', 'zstd'];
/** Block starts checked at most (a chunk has one per block; the rest add no evidence). */
const MAX_STARTS = 64;

export interface Chunk {
  version: number;
  codec: string;
  uncompressed: number;
  blocks: number;
  memcpyed: boolean;
}

/** The Blosc chunk `h` starts, when its header agrees with a chunk of `size` bytes (the whole file, or an N5 block body). */
export function bloscChunk(h: Uint8Array, size: number): Chunk | undefined {
  if (h.length < 16) return undefined;
  const [version, lzVersion, flags, typesize] = [h[0]!, h[1]!, h[2]!, h[3]!];
  if (version < 1 || version > 5 || lzVersion < 1 || lzVersion > 9 || typesize === 0) return undefined;
  const codec = CODECS[flags >> 5];
  if (codec === undefined) return undefined;
  const nbytes = u32le(h, 4)!;
  const blocksize = u32le(h, 8)!;
  const cbytes = u32le(h, 12)!;
  // The chunk is the whole file; a block is never larger than the data unless the data is one short block.
  if (cbytes !== size || nbytes === 0 || blocksize === 0 || blocksize > Math.max(nbytes, 1 << 20)) return undefined;
  const extended = version >= 3 && (flags & 0x05) === 0x05;
  const headerBytes = extended ? 32 : 16;
  if ((flags & MEMCPYED) !== 0 && !extended) {
    // Stored: the data follows the header as it was.
    return cbytes === nbytes + 16 ? { version, codec, uncompressed: nbytes, blocks: 0, memcpyed: true } : undefined;
  }
  const blocks = Math.ceil(nbytes / blocksize);
  const first = headerBytes + 4 * blocks;
  if (first >= cbytes) return undefined;
  let previous = 0;
  for (let i = 0; i < Math.min(blocks, MAX_STARTS); i++) {
    const start = u32le(h, headerBytes + 4 * i);
    if (start === undefined) break;
    if ((i === 0 && start !== first) || start <= previous || start >= cbytes) return undefined;
    previous = start;
  }
  return { version, codec, uncompressed: nbytes, blocks, memcpyed: false };
}

export const bloscDetector = defineDetector({
  meta: {
    id: 'blosc',
    version: '1.0.0',
    title: 'Blosc compressed chunks (Zarr, bcolz, PyTables): header sizes and block starts checked',
    formats: [
      {
        id: 'blosc',
        name: 'Blosc compressed chunk',
        status: 'analysable',
        how: 'structure',
        mime: 'application/x-blosc',
        extensions: [],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '01' },
    { offset: 0, hex: '02' },
    { offset: 0, hex: '03' },
    { offset: 0, hex: '04' },
    { offset: 0, hex: '05' },
  ],
  minSize: 17,
  priority: 30,
  detect(probe): Detection | undefined {
    const c = bloscChunk(probe.head, probe.size);
    if (!c) return undefined;
    const body = c.memcpyed
      ? 'stored uncompressed (memcpyed flag)'
      : `${c.blocks} block${c.blocks === 1 ? '' : 's'} of ${c.codec} output whose start offsets point forward inside it`;
    return plain('analysable', {
      id: 'blosc',
      name: 'Blosc compressed chunk',
      mime: 'application/x-blosc',
      confidence: 0.9,
      code: 'BLOSC_CHUNK_HEADER',
      message: `Blosc${c.version >= 3 ? '2' : ''} chunk header (format version ${c.version}) whose compressed size is the file's ${probe.size} bytes, ${c.uncompressed} bytes when expanded, ${body}: compressed array data (a Zarr or bcolz chunk), not encrypted.`,
      figures: { uncompressed: c.uncompressed, blocks: c.blocks, codec: c.codec },
      details: { codec: c.codec, memcpyed: c.memcpyed },
    });
  },
});
