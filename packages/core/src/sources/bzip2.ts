/**
 * A streaming bzip2 decoder, one block (at most 900 kB before its last run-length
 * stage, ~46 MB after it) at a time, handing out its bytes in 1 MiB pieces. Written
 * here because the npm decoders either need the whole input or loop without end on a
 * crafted run of RUNA/RUNB symbols (their run counter overflows to a negative length);
 * every count here is checked against the block size before it is used. Concatenated
 * streams (`cat a.bz2 b.bz2`) are read as one, as `bzip2 -d` does; bytes after the last
 * stream that are not another stream are ignored, as bzip2 does.
 * Reference: the bzip2 1.0.8 sources (decompress.c, huffman.c) and Joe Tsai's
 * "The bzip2 file format" notes: stream header "BZh1"-"BZh9", block magic
 * 0x314159265359, end magic 0x177245385090, CRC-32/BZIP2 (MSB first, 0x04C11DB7).
 */
import type { Readable } from 'node:stream';

/** Thrown by the bit reader when the block in hand needs bytes not read yet (caught by `withInput`). */
class NeedMore extends Error {}
const NEED_MORE = new NeedMore('bzip2 decoder: needs more input');

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

const OUT_PIECE = 1024 * 1024;
const MAX_GROUPS = 6;
const MAX_CODE_LEN = 20;
/**
 * The most compressed bytes one block may span: every symbol at the longest code (20 bits) and 1 MiB for
 * the tables. Nothing in the format bounds the delta-coded code lengths (a crafted block can go on
 * "increment, decrement" for ever), and the decoder keeps a block's input until the block is complete.
 */
function maxBlockInput(blockMax: number): number {
  return Math.ceil((blockMax * MAX_CODE_LEN) / 8) + 1024 * 1024;
}

class Bits {
  data: Buffer = Buffer.alloc(0);
  pos = 0;
  /** Bytes of the input dropped before `data` (compact(), more()). */
  dropped = 0;
  private acc = 0;
  private count = 0;
  ended = false;

  mark(): [number, number, number] {
    return [this.pos, this.acc, this.count];
  }
  reset([pos, acc, count]: [number, number, number]): void {
    this.pos = pos;
    this.acc = acc;
    this.count = count;
  }
  /** Up to 24 bits, most significant first. */
  read(n: number): number {
    while (this.count < n) {
      if (this.pos >= this.data.length) throw NEED_MORE;
      this.acc = ((this.acc << 8) | this.data[this.pos++]!) & 0xffffffff;
      this.count += 8;
    }
    const v = (this.acc >>> (this.count - n)) & ((1 << n) - 1);
    this.count -= n;
    this.acc &= (1 << this.count) - 1;
    return v;
  }
  read32(): number {
    return ((this.read(16) << 16) | this.read(16)) >>> 0;
  }
  /** Drops the whole bytes already read (the start of the next block is kept). */
  compact(): void {
    this.dropped += this.pos;
    this.data = this.data.subarray(this.pos);
    this.pos = 0;
  }
  /** Offset in the input of the next whole byte not yet read (the accumulator's bytes count as not read). */
  offset(): number {
    return this.dropped + this.pos - Math.floor(this.count / 8);
  }
  align(): void {
    this.count -= this.count % 8;
    this.acc &= (1 << this.count) - 1;
  }
  /** Bytes left to read, counting the whole bytes in the accumulator. */
  left(): number {
    return this.data.length - this.pos + Math.floor(this.count / 8);
  }
}

function fail(message: string): never {
  throw new Error(`bzip2 decoder: ${message}`);
}

/** One block's symbols, decoded as far as the inverse BWT (decompress.c, up to "the BWT"). */
function readBlock(bits: Bits, blockMax: number, tt: Uint32Array): { length: number; origPtr: number; crc: number } {
  const crc = bits.read32();
  if (bits.read(1)) fail('a randomised block (an obsolete form bzip2 stopped writing in 0.9.5) is not read');
  const origPtr = bits.read(24);
  // The symbol map: which byte values occur, in 16 groups of 16.
  const used = bits.read(16);
  const seqToUnseq = new Uint8Array(256);
  let nInUse = 0;
  for (let i = 0; i < 16; i++)
    if (used & (0x8000 >>> i)) {
      const bitsIn = bits.read(16);
      for (let j = 0; j < 16; j++) if (bitsIn & (0x8000 >>> j)) seqToUnseq[nInUse++] = i * 16 + j;
    }
  if (nInUse === 0) fail('a block that uses no byte value');
  const alphaSize = nInUse + 2;
  const nGroups = bits.read(3);
  if (nGroups < 2 || nGroups > MAX_GROUPS) fail(`${nGroups} Huffman tables (2 to 6 are allowed)`);
  const nSelectors = bits.read(15);
  if (nSelectors < 1) fail('no selectors');
  const mtfGroups = [0, 1, 2, 3, 4, 5].slice(0, nGroups);
  const selectors = new Uint8Array(nSelectors);
  for (let i = 0; i < nSelectors; i++) {
    let j = 0;
    while (bits.read(1)) if (++j >= nGroups) fail('a selector past the Huffman tables');
    const g = mtfGroups[j]!;
    mtfGroups.splice(j, 1);
    mtfGroups.unshift(g);
    selectors[i] = g;
  }
  // Code lengths (delta coded), then canonical decoding tables per group (huffman.c, BZ2_hbCreateDecodeTables).
  const tables: Array<{ min: number; max: number; limit: Int32Array; base: Int32Array; perm: Uint16Array }> = [];
  const lens = new Uint8Array(alphaSize);
  for (let g = 0; g < nGroups; g++) {
    let cur = bits.read(5);
    for (let s = 0; s < alphaSize; s++) {
      for (;;) {
        if (cur < 1 || cur > MAX_CODE_LEN) fail(`a code length of ${cur}`);
        if (!bits.read(1)) break;
        cur += bits.read(1) ? -1 : 1;
      }
      lens[s] = cur;
    }
    let min = MAX_CODE_LEN;
    let max = 0;
    for (let s = 0; s < alphaSize; s++) {
      min = Math.min(min, lens[s]!);
      max = Math.max(max, lens[s]!);
    }
    const limit = new Int32Array(MAX_CODE_LEN + 2).fill(-1);
    const base = new Int32Array(MAX_CODE_LEN + 2);
    const perm = new Uint16Array(alphaSize);
    let code = 0;
    let pi = 0;
    for (let len = min; len <= max; len++) {
      base[len] = code - pi;
      for (let s = 0; s < alphaSize; s++)
        if (lens[s] === len) {
          perm[pi++] = s;
          code++;
        }
      limit[len] = code - 1;
      code <<= 1;
    }
    tables.push({ min, max, limit, base, perm });
  }
  // Huffman symbols -> MTF/RLE2 -> the block's bytes in tt (low 8 bits), counting each byte value.
  const counts = new Int32Array(256);
  const mtf = new Uint8Array(256);
  for (let i = 0; i < 256; i++) mtf[i] = i;
  const eob = nInUse + 1;
  let n = 0;
  let groupLeft = 0;
  let selector = 0;
  let table = tables[0]!;
  let run = 0;
  let runWeight = 0;
  for (;;) {
    if (groupLeft-- === 0) {
      if (selector >= nSelectors) fail('more symbols than its selectors cover');
      table = tables[selectors[selector++]!]!;
      groupLeft = 49;
    }
    let len = table.min;
    let v = bits.read(len);
    while (v > table.limit[len]!) {
      if (++len > table.max) fail('a Huffman code that is not in its table');
      v = (v << 1) | bits.read(1);
    }
    const idx = v - table.base[len]!;
    if (idx < 0 || idx >= alphaSize) fail('a Huffman code that is not in its table');
    const sym = table.perm[idx]!;
    if (sym <= 1) {
      // RUNA/RUNB: a run length in bijective base 2; checked before it can pass the block (or overflow).
      if (runWeight === 0) {
        runWeight = 1;
        run = 0;
      }
      run += runWeight * (sym + 1);
      runWeight *= 2;
      if (run > blockMax || runWeight > 2 * blockMax) fail('a run longer than the block');
      continue;
    }
    if (runWeight) {
      if (n + run > blockMax) fail('a run longer than the block');
      const b = seqToUnseq[mtf[0]!]!;
      counts[b] = counts[b]! + run;
      tt.fill(b, n, n + run);
      n += run;
      runWeight = 0;
    }
    if (sym === eob) break;
    if (n >= blockMax) fail('more bytes than the block size');
    const at = sym - 1;
    const m = mtf[at]!;
    mtf.copyWithin(1, 0, at);
    mtf[0] = m;
    const b = seqToUnseq[m]!;
    counts[b] = counts[b]! + 1;
    tt[n++] = b;
  }
  if (origPtr >= n) fail('a start pointer past the block');
  // The inverse BWT's links: each byte's successor index above its 8 low bits.
  const next = new Int32Array(256);
  for (let i = 0, sum = 0; i < 256; i++) {
    next[i] = sum;
    sum += counts[i]!;
  }
  for (let i = 0; i < n; i++) {
    const k = next[tt[i]! & 0xff]!++;
    tt[k] = (tt[k]! | (i << 8)) >>> 0;
  }
  return { length: n, origPtr, crc };
}

/**
 * The bytes of a bzip2 stream (or streams, concatenated) read from `source`. Bytes after the last stream that are no
 * stream are ignored, as `bzip2 -d` ignores them ("trailing garbage after EOF ignored"), and handed to `onTrailing`.
 */
export async function* unbzip2(
  source: Readable,
  onTrailing?: (t: { offset: number; length: number }) => void,
): AsyncGenerator<Buffer> {
  const bits = new Bits();
  const it = (source as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let inputMax = maxBlockInput(900000);
  /** Reads more input: at least doubles what is buffered (so a block is decoded again only a few times). */
  const more = async (): Promise<boolean> => {
    // Kept from the start of the block in hand (compact()), so this is what the block has spanned so far.
    if (bits.left() > inputMax)
      fail(
        `a block that goes on past ${inputMax} compressed bytes, more than any bzip2 block can hold (crafted or damaged data)`,
      );
    const want = Math.max(64 * 1024, bits.left() * 2);
    const parts: Buffer[] = [bits.data.subarray(bits.pos)];
    let got = 0;
    while (got < want) {
      const r = await it.next();
      if (r.done) {
        bits.ended = true;
        break;
      }
      parts.push(r.value);
      got += r.value.length;
    }
    bits.dropped += bits.pos;
    bits.data = Buffer.concat(parts);
    bits.pos = 0;
    return got > 0;
  };
  /** Runs `step` on the bits, reading more input and starting again whenever it runs out. */
  const withInput = async <T>(step: () => T): Promise<T> => {
    for (;;) {
      const mark = bits.mark();
      try {
        return step();
      } catch (err) {
        if (err !== NEED_MORE) throw err;
        bits.reset(mark);
        if (!(await more())) fail('unexpected end of the stream');
        bits.reset([0, mark[1], mark[2]]);
      }
    }
  };
  let tt: Uint32Array | undefined;
  let streams = 0;
  for (;;) {
    // A stream header, or the end: after the first stream, anything that is not another stream ends the input.
    const at = bits.offset();
    const level = await withInput(() => {
      if (streams > 0 && bits.left() === 0 && bits.ended) return 0;
      const m = bits.read(24);
      const l = bits.read(8) - 0x30;
      return m === 0x425a68 && l >= 1 && l <= 9 ? l : -1;
    }).catch((err: unknown) => {
      // Fewer than four bytes after a stream: no header either.
      if (streams > 0) return -1;
      throw err;
    });
    if (level === 0) return;
    if (level < 0 && streams > 0) {
      let length = bits.dropped + bits.data.length - at;
      for (let r = await it.next(); !r.done; r = await it.next()) length += r.value.length;
      // Nothing after the last stream, found only when the input ran out on the next header's read.
      if (length > 0) onTrailing?.({ offset: at, length });
      return;
    }
    if (level < 0) fail('not a bzip2 stream (no "BZh1"-"BZh9" header)');
    streams++;
    const blockMax = level * 100000;
    inputMax = maxBlockInput(blockMax);
    if (!tt || tt.length < blockMax) tt = new Uint32Array(blockMax);
    let combined = 0;
    for (;;) {
      bits.compact();
      const magic = await withInput(() => bits.read(24) * 0x1000000 + bits.read(24));
      if (magic === 0x177245385090) {
        const stored = await withInput(() => bits.read32());
        if (stored !== combined) fail('the stream CRC does not match its blocks');
        bits.align();
        break;
      }
      if (magic !== 0x314159265359) fail('a block that does not start with the block magic');
      const block = await withInput(() => readBlock(bits, blockMax, tt!));
      // Undo the BWT and the first run-length stage (4 equal bytes, then a count), 1 MiB at a time.
      let crc = 0xffffffff;
      let out = Buffer.allocUnsafe(OUT_PIECE);
      let o = 0;
      let pos = tt[block.origPtr]! >>> 8;
      let last = -1;
      let same = 0;
      for (let i = 0; i < block.length; i++) {
        const e = tt[pos]!;
        const b = e & 0xff;
        pos = e >>> 8;
        let copies = 1;
        let byte = b;
        if (same === 4) {
          copies = b;
          byte = last;
          same = 0;
        } else if (b === last) same++;
        else {
          last = b;
          same = 1;
        }
        for (let c = 0; c < copies; c++) {
          crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
          out[o++] = byte;
          if (o === OUT_PIECE) {
            yield out;
            out = Buffer.allocUnsafe(OUT_PIECE);
            o = 0;
          }
        }
      }
      if (o > 0) yield out.subarray(0, o);
      crc = ~crc >>> 0;
      if (crc !== block.crc) fail('a block whose CRC does not match its bytes');
      combined = (((combined << 1) | (combined >>> 31)) ^ crc) >>> 0;
    }
  }
}
