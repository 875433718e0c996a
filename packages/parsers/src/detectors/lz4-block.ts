/**
 * LZ4 blocks behind their decoded size (a 4-byte little-endian length, then
 * one LZ4 block): what numcodecs' LZ4 codec writes for each Zarr chunk and
 * N5 block, and what python-lz4's `lz4.block.compress` (store_size, its
 * default) gives the apps that cache with it. No magic, and the body looks
 * random, so such a chunk was unnamed. The block is walked as LZ4 decodes
 * it: each sequence's literal run must fit, each match offset must point
 * back into what is already decoded (never 0), and the output must never
 * pass the size word; a whole file must end on a literal run with exactly
 * that many bytes decoded. Random bytes fail within a few sequences. Compressed,
 * not encrypted: analysable.
 * Reference: LZ4 Block Format Description (lz4/lz4 doc/lz4_Block_format.md):
 * token, literal and match length extension bytes, 2-byte offset, end of
 * block rules; numcodecs 0.11 lz4.pyx (the 4-byte size header).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u32le } from './util.js';

/** Sequences a block cut by the probe's head must get through to count. */
const MIN_SEQUENCES_CUT = 64;
/** Whole blocks need a few matches, or enough bytes that a literal run of exactly the size word's length counts. */
const MIN_MATCHES = 2;
const MIN_LITERAL_BLOCK = 64;

export interface Walk {
  sequences: number;
  matches: number;
  decoded: number;
  whole: boolean;
}

/** Walks the block in `b` from byte 4 (after the size word); `complete` says `b` ends where the block must. */
export function walkLz4Block(b: Uint8Array, target: number, complete: boolean): Walk | undefined {
  let ip = 4;
  let out = 0;
  let sequences = 0;
  let matches = 0;
  const end = b.length;
  while (ip < end) {
    const token = b[ip++]!;
    let literals = token >> 4;
    if (literals === 15) {
      let more: number;
      do {
        if (ip >= end) return complete ? undefined : { sequences, matches, decoded: out, whole: false };
        more = b[ip++]!;
        literals += more;
      } while (more === 255);
    }
    ip += literals;
    out += literals;
    sequences++;
    if (out > target) return undefined;
    if (ip > end) return complete ? undefined : { sequences, matches, decoded: out, whole: false };
    // The last sequence is literals only and ends the block.
    if (ip === end) return complete && out === target ? { sequences, matches, decoded: out, whole: true } : undefined;
    if (ip + 2 > end) return complete ? undefined : { sequences, matches, decoded: out, whole: false };
    const offset = b[ip]! | (b[ip + 1]! << 8);
    ip += 2;
    if (offset === 0 || offset > out) return undefined;
    let length = token & 15;
    if (length === 15) {
      let more: number;
      do {
        if (ip >= end) return complete ? undefined : { sequences, matches, decoded: out, whole: false };
        more = b[ip++]!;
        length += more;
      } while (more === 255);
    }
    out += length + 4;
    matches++;
    if (out > target) return undefined;
  }
  return complete ? undefined : { sequences, matches, decoded: out, whole: false };
}

export const lz4BlockDetector = defineDetector({
  meta: {
    id: 'lz4-block',
    version: '1.0.0',
    title: 'LZ4 blocks behind their decoded size (numcodecs Zarr/N5 chunks, python-lz4), walked sequence by sequence',
    formats: [
      {
        id: 'lz4-block',
        name: 'LZ4 block with its decoded size',
        status: 'analysable',
        how: 'structure',
        extensions: [],
      },
    ],
  },
  fallback: true,
  minSize: 16,
  priority: 80,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const target = u32le(h, 0)!;
    const body = probe.size - 4;
    // LZ4 expands incompressible data by at most 1/255 plus a few bytes, and shrinks by at most 255:1.
    if (target === 0 || target < body - Math.ceil(body / 255) - 16 || target > body * 255) return undefined;
    const w = walkLz4Block(h, target, probe.complete);
    if (!w) return undefined;
    // Incompressible data (noise) is one literal run: its length ending exactly at the file's end is the evidence.
    if (w.whole ? w.matches < MIN_MATCHES && target < MIN_LITERAL_BLOCK : w.sequences < MIN_SEQUENCES_CUT)
      return undefined;
    return plain('analysable', {
      id: 'lz4-block',
      name: 'LZ4 block with its decoded size',
      confidence: 0.7,
      code: 'LZ4_BLOCK_WALKED',
      message: `A size word of ${target} bytes, then an LZ4 block whose ${w.sequences} sequences (${w.matches} matches, each pointing back into the decoded bytes) ${w.whole ? `decode to exactly that size at the file's end` : `decode ${w.decoded} bytes without passing it, as far as the bytes read go`}: an LZ4-compressed chunk (numcodecs, python-lz4), not ciphertext.`,
      figures: { decodedSize: target, sequences: w.sequences },
      details: { whole: w.whole },
    });
  },
});
