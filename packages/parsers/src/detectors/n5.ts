/**
 * N5 dataset blocks: the chunk files of an N5 container (`dataset/0/1/2`,
 * beside its `attributes.json`), written by the N5 Java libraries, BigDataViewer,
 * Fiji and zarr-python's N5Store, used for microscopy and connectomics volumes.
 * Each block is a big-endian header (mode, number of dimensions, the block's
 * size in each, and in mode 1 an element count) followed by the data, raw or
 * compressed as the dataset's attributes say (gzip, bzip2, xz, LZ4, Blosc,
 * zstd). With no magic a compressed block looked random, and Blosc-compressed
 * ones were called encrypted. The header alone is small numbers, so the body
 * must confirm it: a compressed stream's own signature right after the header
 * (a Blosc header whose size is the rest of the file; a numcodecs LZ4 block
 * whose size word is the block's element count times an element size and
 * that decodes to it), or raw data exactly the block's element count times
 * 1, 2, 4, 8 or 16 bytes (only in a file named by its grid position, as N5
 * names blocks).
 * A compressed block is analysable (a compressed stream in a known wrapper);
 * a raw one is numbers whose type only `attributes.json` gives: opaque.
 * Reference: saalfeldlab/n5 README "File-system specification" (block
 * header, modes 0-2); zarr 2.13 zarr/n5.py (N5ChunkWrapper).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { bloscChunk } from './blosc.js';
import { walkLz4Block } from './lz4-block.js';
import { plain, startsWith, u16be, u32be, u32le } from './util.js';

const MAX_DIMS = 16;
const ELEMENT_SIZES = [1, 2, 4, 8, 16];

interface Block {
  header: number;
  dims: number[];
  elements: number;
}

function header(h: Uint8Array): Block | undefined {
  const mode = u16be(h, 0);
  const n = u16be(h, 2);
  if (mode === undefined || mode > 2 || n === undefined || n < 1 || n > MAX_DIMS) return undefined;
  const dims: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = u32be(h, 4 + 4 * i);
    if (d === undefined || d === 0 || d > 1 << 24) return undefined;
    dims.push(d);
  }
  let at = 4 + 4 * n;
  let elements = dims.reduce((a, b) => a * b, 1);
  if (mode === 1) {
    // Varlength mode: the element count follows the dimensions.
    const count = u32be(h, at);
    if (count === undefined) return undefined;
    elements = count;
    at += 4;
  }
  return elements > 0 && elements <= 2 ** 40 ? { header: at, dims, elements } : undefined;
}

/** What the body after the header is, or undefined when nothing confirms it. */
function body(h: Uint8Array, b: Block, size: number, complete: boolean, gridName: boolean): string | undefined {
  const rest = h.subarray(b.header);
  const bodySize = size - b.header;
  if (rest.length < 4) return undefined;
  if (startsWith(rest, '\x1f\x8b\x08')) return 'gzip';
  if (/^BZh[1-9]$/.test(String.fromCharCode(...rest.subarray(0, 4)))) return 'bzip2';
  if (startsWith(rest, '\xfd7zXZ\0')) return 'xz';
  if (startsWith(rest, '\x28\xb5\x2f\xfd')) return 'zstd';
  if (startsWith(rest, 'LZ4Block')) return 'lz4';
  if (bloscChunk(rest, bodySize)) return 'blosc';
  // numcodecs LZ4: the decoded size (the block's elements times their width), then an LZ4 block that
  // decodes to exactly that at the file's end.
  const word = u32le(rest, 0)!;
  if (ELEMENT_SIZES.some((s) => word === b.elements * s) && walkLz4Block(rest, word, complete)?.whole) return 'lz4';
  // Sizes alone ("1 dimension of n, then n words") are a pattern other formats share: only under
  // the name N5 gives a block, its grid position.
  if (gridName && ELEMENT_SIZES.some((s) => bodySize === b.elements * s)) return 'raw';
  return undefined;
}

const FORMATS = {
  compressed: { id: 'n5-chunk', name: 'N5 dataset block (compressed)' },
  raw: { id: 'n5-chunk-raw', name: 'N5 dataset block (raw)' },
};

export const n5Detector = defineDetector({
  meta: {
    id: 'n5',
    version: '1.0.0',
    title: 'N5 dataset blocks: header dimensions confirmed by the compressed or raw body',
    formats: [
      { ...FORMATS.compressed, status: 'analysable', how: 'structure', extensions: [] },
      { ...FORMATS.raw, status: 'opaque', how: 'structure', extensions: [] },
    ],
  },
  signatures: [
    { offset: 0, hex: '0000' },
    { offset: 0, hex: '0001' },
    { offset: 0, hex: '0002' },
  ],
  minSize: 12,
  priority: 40,
  detect(probe): Detection | undefined {
    const b = header(probe.head);
    if (!b) return undefined;
    const kind = body(probe.head, b, probe.size, probe.complete, /^\d+$/.test(probe.name));
    if (kind === undefined) return undefined;
    const raw = kind === 'raw';
    const f = raw ? FORMATS.raw : FORMATS.compressed;
    return plain(raw ? 'opaque' : 'analysable', {
      ...f,
      confidence: 0.88,
      code: 'N5_BLOCK_HEADER',
      message: `N5 block header (${b.header} bytes): a ${b.dims.join(' × ')} block of ${b.elements} elements, then ${raw ? `the raw elements, exactly ${(probe.size - b.header) / b.elements} bytes each (their type is in the dataset's attributes.json)` : `a ${kind} stream (compressed, not encrypted)`}.`,
      figures: { elements: b.elements, dimensions: b.dims.length },
      details: { body: kind },
    });
  },
});
