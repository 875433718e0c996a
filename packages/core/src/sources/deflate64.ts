/**
 * Deflate64 ("enhanced deflate", ZIP method 9), which 7-Zip and Windows'
 * compressed folders write and node:zlib does not read. It is DEFLATE
 * (RFC 1951) with three changes, as PKWARE's APPNOTE (§5.5) and 7-Zip's
 * decoder give them: a 64 KiB window, length code 285 taking 16 extra bits
 * over a base of 3 (lengths up to 65,538) and distance codes 30 and 31
 * (14 extra bits over 32,769 and 49,153). No maintained npm package decodes
 * it, so this is a small canonical-Huffman decoder in the manner of zlib's
 * puff.c: slow next to zlib, but members compressed this way are rare.
 *
 * It reads its input as it comes and writes its output in chunks, so memory
 * stays at the window and a chunk whatever the member's size; damaged data
 * fails with a message that says where.
 */

const WINDOW = 65536;
const MAX_MATCH = 65538;
const CHUNK = 256 * 1024;
/** The most bits one literal/length symbol and its distance can take (15 + 16 + 15 + 14), in bytes. */
const SYMBOL_BYTES = 8;
/** The most bytes a dynamic block's code-length header can take. */
const HEADER_BYTES = 320;

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 3,
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 16];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
  8193, 12289, 16385, 24577, 32769, 49153,
];
const DIST_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14,
];
/** The order code-length code lengths are sent in (RFC 1951 §3.2.7). */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

class Damaged extends Error {
  constructor(what: string) {
    super(`Deflate64 data is damaged: ${what}`);
  }
}

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Huffman {
  count: Uint16Array;
  symbol: Uint16Array;
}

function huffman(lengths: ArrayLike<number>, n: number, what: string): Huffman {
  const count = new Uint16Array(16);
  const symbol = new Uint16Array(n);
  for (let i = 0; i < n; i++) count[lengths[i]!]!++;
  if (count[0] === n) return { count, symbol };
  // Over-subscribed code lengths describe no code; an incomplete code is allowed (a single distance code is common).
  let left = 1;
  for (let len = 1; len < 16; len++) {
    left = left * 2 - count[len]!;
    if (left < 0) throw new Damaged(`the ${what} code lengths are over-subscribed`);
  }
  const offs = new Uint16Array(16);
  for (let len = 1; len < 15; len++) offs[len + 1] = offs[len]! + count[len]!;
  for (let i = 0; i < n; i++) if (lengths[i] !== 0) symbol[offs[lengths[i]!]!++] = i;
  return { count, symbol };
}

const FIXED = (() => {
  const l = new Uint8Array(288);
  l.fill(8, 0, 144);
  l.fill(9, 144, 256);
  l.fill(7, 256, 280);
  l.fill(8, 280, 288);
  return { lit: huffman(l, 288, 'fixed literal'), dist: huffman(new Uint8Array(32).fill(5), 32, 'fixed distance') };
})();

/** The decoder's input: the bytes not yet read and a bit buffer. */
class Bits {
  buf: Uint8Array = new Uint8Array(0);
  p = 0;
  bitbuf = 0;
  bitcnt = 0;
  ended = false;
  /** Bytes read before `buf` (for messages). */
  consumed = 0;

  available(): number {
    return this.buf.length - this.p;
  }

  append(chunk: Uint8Array): void {
    const rest = this.buf.subarray(this.p);
    this.consumed += this.p;
    const joined = new Uint8Array(rest.length + chunk.length);
    joined.set(rest);
    joined.set(chunk, rest.length);
    this.buf = joined;
    this.p = 0;
  }

  bits(n: number): number {
    while (this.bitcnt < n) {
      if (this.p >= this.buf.length) throw new Damaged(`it ends early, at byte ${this.consumed + this.p}`);
      this.bitbuf |= this.buf[this.p++]! << this.bitcnt;
      this.bitcnt += 8;
    }
    const v = this.bitbuf & ((1 << n) - 1);
    this.bitbuf >>>= n;
    this.bitcnt -= n;
    return v;
  }

  decode(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      code |= this.bits(1);
      const count = h.count[len]!;
      if (code - count < first) return h.symbol[index + (code - first)]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new Damaged(`a code that is in no Huffman table, near byte ${this.consumed + this.p}`);
  }
}

const NEED_INPUT = Symbol('need input');

/**
 * The decoder proper: yields output chunks, or NEED_INPUT when it wants more
 * bytes in `input` (the driver sets `input.ended` when there are none).
 */
function* decoder(input: Bits): Generator<Uint8Array | typeof NEED_INPUT, void, void> {
  const out = new Uint8Array(WINDOW + CHUNK + MAX_MATCH);
  let pos = 0;
  let emitted = 0;
  // Keeps the last 64 KiB as history and hands out what came before.
  function* flush(): Generator<Uint8Array, void, void> {
    yield out.slice(emitted, pos);
    out.copyWithin(0, pos - WINDOW, pos);
    pos = WINDOW;
    emitted = WINDOW;
  }
  for (let last = 0; !last;) {
    while (!input.ended && input.available() < HEADER_BYTES) yield NEED_INPUT;
    last = input.bits(1);
    const type = input.bits(2);
    if (type === 0) {
      input.bitbuf = 0;
      input.bitcnt = 0;
      while (!input.ended && input.available() < 4) yield NEED_INPUT;
      if (input.available() < 4) throw new Damaged('it ends inside a stored block header');
      const b = input.buf;
      const len = b[input.p]! | (b[input.p + 1]! << 8);
      const nlen = b[input.p + 2]! | (b[input.p + 3]! << 8);
      if (len !== (~nlen & 0xffff)) throw new Damaged('a stored block whose length does not match its complement');
      input.p += 4;
      for (let left = len; left > 0;) {
        while (!input.ended && input.available() === 0) yield NEED_INPUT;
        if (input.available() === 0) throw new Damaged('it ends inside a stored block');
        const n = Math.min(left, input.available(), out.length - pos);
        out.set(input.buf.subarray(input.p, input.p + n), pos);
        input.p += n;
        pos += n;
        left -= n;
        if (pos >= WINDOW + CHUNK) yield* flush();
      }
      continue;
    }
    let lit: Huffman;
    let dist: Huffman;
    if (type === 1) ({ lit, dist } = FIXED);
    else if (type === 2) {
      const nlen = input.bits(5) + 257;
      const ndist = input.bits(5) + 1;
      const ncode = input.bits(4) + 4;
      const cl = new Uint8Array(19);
      for (let i = 0; i < ncode; i++) cl[CL_ORDER[i]!] = input.bits(3);
      const lencode = huffman(cl, 19, 'code-length');
      const lengths = new Uint8Array(nlen + ndist);
      for (let i = 0; i < nlen + ndist;) {
        const sym = input.decode(lencode);
        if (sym < 16) {
          lengths[i++] = sym;
          continue;
        }
        let repeat: number;
        let value = 0;
        if (sym === 16) {
          if (i === 0) throw new Damaged('a repeat of the previous code length with none before it');
          value = lengths[i - 1]!;
          repeat = 3 + input.bits(2);
        } else repeat = sym === 17 ? 3 + input.bits(3) : 11 + input.bits(7);
        if (i + repeat > nlen + ndist) throw new Damaged('code lengths that run past the table');
        lengths.fill(value, i, i + repeat);
        i += repeat;
      }
      if (lengths[256] === 0) throw new Damaged('a block with no end-of-block code');
      lit = huffman(lengths.subarray(0, nlen), nlen, 'literal/length');
      dist = huffman(lengths.subarray(nlen), ndist, 'distance');
    } else throw new Damaged('a block of the reserved type 3');
    for (;;) {
      if (!input.ended && input.available() < SYMBOL_BYTES) {
        yield NEED_INPUT;
        continue;
      }
      const sym = input.decode(lit);
      if (sym < 256) {
        out[pos++] = sym;
      } else if (sym === 256) {
        break;
      } else {
        const li = sym - 257;
        if (li >= LENGTH_BASE.length) throw new Damaged(`the length code ${sym}, which does not exist`);
        const length = LENGTH_BASE[li]! + input.bits(LENGTH_EXTRA[li]!);
        const di = input.decode(dist);
        if (di >= DIST_BASE.length) throw new Damaged(`the distance code ${di}, which does not exist`);
        const distance = DIST_BASE[di]! + input.bits(DIST_EXTRA[di]!);
        // What was handed out stays in the window (the last 64 KiB), so the history is everything before pos.
        if (distance > pos) throw new Damaged(`a match ${distance} bytes back, before the start of the data`);
        for (let i = 0; i < length; i++, pos++) out[pos] = out[pos - distance]!;
      }
      if (pos >= WINDOW + CHUNK) yield* flush();
    }
  }
  if (pos > emitted) yield out.slice(emitted, pos);
}

/** Decodes a Deflate64 stream as its compressed bytes arrive. */
export async function* inflate64(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer, void, void> {
  const input = new Bits();
  const chunks = source[Symbol.asyncIterator]();
  const steps = decoder(input);
  try {
    for (let step = steps.next(); !step.done; step = steps.next()) {
      if (step.value !== NEED_INPUT) {
        yield Buffer.from(step.value.buffer, step.value.byteOffset, step.value.byteLength);
        continue;
      }
      const next = await chunks.next();
      if (next.done) input.ended = true;
      else input.append(next.value);
    }
  } finally {
    await chunks.return?.();
  }
}
