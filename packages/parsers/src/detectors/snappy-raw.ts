/**
 * Raw (unframed) Snappy blocks: no magic, only a varint of the uncompressed
 * length, then literal and copy elements. Apps keep them as cache entries and
 * database values (LevelDB and Chrome use the block format); they look
 * random and are not encrypted. Nothing in the header can be believed alone,
 * so the block is decoded as far as the probe's head goes: every element
 * must be well formed, every copy must reach back into what was already
 * produced, the output may never pass the declared length, and a block held
 * whole must produce exactly that length. Only lengths and offsets are
 * tracked: nothing is allocated by the declared length.
 * Reference: google/snappy format_description.txt (preamble, element tags,
 * literal lengths 60-63, copies with 1-, 2- and 4-byte offsets).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, varint } from './util.js';

/** Copies a head that ends mid-block must have shown: random bytes rarely manage a few valid back-references. */
const MIN_COPIES_PARTIAL = 16;
/** Blocks shorter than this are a few bytes that chance can arrange. */
const MIN_SIZE = 16;
/** The best ratio Snappy reaches (a 64-byte copy in 3 bytes), with room for the preamble. */
const MAX_RATIO = 22;

interface Decoded {
  produced: number;
  copies: number;
  /** Bytes of the input consumed by whole elements. */
  consumed: number;
  /** The input ended inside an element. */
  cut: boolean;
}

/** Decodes the element structure of `b` from `at`; undefined when an element is invalid. */
export function walkSnappy(b: Uint8Array, at: number, declared: number): Decoded | undefined {
  let produced = 0;
  let copies = 0;
  // A block ends when its declared length is produced.
  while (at < b.length && produced < declared) {
    const tag = b[at]!;
    let length: number;
    let next: number;
    if ((tag & 3) === 0) {
      length = (tag >> 2) + 1;
      next = at + 1;
      if (length > 60) {
        // 1 to 4 little-endian bytes of (length - 1).
        const n = length - 60;
        if (at + 1 + n > b.length) return { produced, copies, consumed: at, cut: true };
        length = 1;
        for (let i = 0; i < n; i++) length += b[at + 1 + i]! * 2 ** (8 * i);
        next = at + 1 + n;
      }
      if (produced + length > declared) return undefined;
      // A literal runs past the input's end: what was held decoded.
      if (next + length > b.length) return { produced, copies, consumed: at, cut: true };
      next += length;
    } else {
      let offset: number;
      if ((tag & 3) === 1) {
        if (at + 2 > b.length) return { produced, copies, consumed: at, cut: true };
        length = 4 + ((tag >> 2) & 7);
        offset = ((tag >> 5) << 8) | b[at + 1]!;
        next = at + 2;
      } else if ((tag & 3) === 2) {
        if (at + 3 > b.length) return { produced, copies, consumed: at, cut: true };
        length = (tag >> 2) + 1;
        offset = b[at + 1]! | (b[at + 2]! << 8);
        next = at + 3;
      } else {
        if (at + 5 > b.length) return { produced, copies, consumed: at, cut: true };
        length = (tag >> 2) + 1;
        offset = (b[at + 1]! | (b[at + 2]! << 8) | (b[at + 3]! << 16)) + b[at + 4]! * 2 ** 24;
        next = at + 5;
      }
      if (offset === 0 || offset > produced || produced + length > declared) return undefined;
      copies++;
    }
    produced += length;
    at = next;
  }
  return { produced, copies, consumed: at, cut: false };
}

export const snappyRawDetector = defineDetector({
  meta: {
    id: 'snappy-raw',
    version: '1.0.0',
    title: 'Raw Snappy blocks, confirmed by decoding',
    formats: [
      {
        id: 'snappy-raw',
        name: 'Snappy block (raw, unframed)',
        status: 'opaque',
        how: 'structure',
        extensions: ['rawsnappy', 'snappy', 'sz'],
      },
    ],
  },
  minSize: MIN_SIZE,
  // After every detector with a magic: a raw block has none.
  priority: 80,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const pre = varint(h, 0);
    // The preamble is at most 5 bytes (lengths below 2^32).
    if (!pre || pre[1] > 5) return undefined;
    const [declared, start] = pre;
    if (declared < MIN_SIZE || declared > probe.size * MAX_RATIO || declared >= 2 ** 32) return undefined;
    // Incompressible input grows by at most a literal tag per 64 KiB (and the preamble).
    if (probe.size - start > declared + 5 * Math.ceil(declared / 65536) + 5) return undefined;
    const whole = probe.size <= h.length;
    const d = walkSnappy(h, start, declared);
    if (!d || d.copies === 0) return undefined;
    // One block is the whole file: a block that ends before the file does is one of many (a LevelDB table's
    // first data block), or chance.
    if (d.produced === declared && d.consumed !== probe.size) return undefined;
    if (whole ? d.cut || d.produced !== declared : d.copies < MIN_COPIES_PARTIAL) return undefined;
    return plain('opaque', {
      id: 'snappy-raw',
      name: 'Snappy block (raw, unframed)',
      confidence: 0.85,
      code: 'SNAPPY_RAW_DECODED',
      message: whole
        ? `Raw Snappy block: its ${d.copies} back-reference(s) and literals decode to exactly the ${declared} bytes its length preamble declares: compressed data, high entropy, not encrypted.`
        : `Raw Snappy block: the first ${d.consumed} bytes decode (${d.copies} valid back-references, ${d.produced} of the ${declared} declared bytes): compressed data, high entropy, not encrypted.`,
      figures: { declared, copies: d.copies },
    });
  },
});
