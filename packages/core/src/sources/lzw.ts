/**
 * A streaming decoder for compress(1)'s `.Z` files (LZW), bounded per step, written from the format's published
 * description (the compress/ncompress manual and the layout gzip documents for its own `.Z` reader): a 3-byte
 * header (1F 9D, then a flags byte: the largest code width, 9-16, in its low 5 bits, "block mode" in its high
 * bit, bits 5-6 reserved), then LZW codes of 9 bits growing to that width, packed least significant bit first.
 * Codes 0-255 are bytes; in block mode code 256 clears the table (the next free code is then 257). compress
 * writes codes in groups of eight (a group of a width fills that many bytes): when the width grows, and after a
 * clear, the rest of the current group is padding and is skipped.
 *
 * Bounds: the table is 65,536 entries (2^16, the largest width), a string is at most that long, and output is
 * handed out once a step passes STEP_OUTPUT bytes, so a bomb yields a step at a time to the consumer's ratio guard.
 */
import { Input } from './lzma.js';

/** Output handed out per step. */
const STEP_OUTPUT = 64 * 1024;
const CLEAR = 256;

/** Whether `head` starts a compress(1) stream: the magic and a flags byte with a width of 9-16 and no reserved bit. */
export function lzwAt(head: Uint8Array): boolean {
  if (head.length < 3 || head[0] !== 0x1f || head[1] !== 0x9d) return false;
  const bits = head[2]! & 0x1f;
  return bits >= 9 && bits <= 16 && (head[2]! & 0x60) === 0;
}

/** Bits read least significant first from the input, with the absolute bit position kept for group alignment. */
class Bits {
  private buf = new Uint8Array(0);
  /** Bit position within `buf`. */
  private at = 0;
  /** Bits consumed before `buf`'s start. */
  private base = 0;
  ended = false;

  constructor(private readonly input: Input) {}

  get position(): number {
    return this.base + this.at;
  }

  /** Whether `n` bits are available (reading more input when needed). */
  async have(n: number): Promise<boolean> {
    while (this.buf.length * 8 - this.at < n && !this.ended) {
      const c = await this.input.chunk();
      if (!c) {
        this.ended = true;
        break;
      }
      const keep = this.at >> 3;
      const joined = new Uint8Array(this.buf.length - keep + c.length);
      joined.set(this.buf.subarray(keep), 0);
      joined.set(c, this.buf.length - keep);
      this.buf = joined;
      this.base += keep * 8;
      this.at -= keep * 8;
    }
    return this.buf.length * 8 - this.at >= n;
  }

  /** `n` bits (at most 16) as a number; `have(n)` was true. */
  read(n: number): number {
    let v = 0;
    for (let got = 0; got < n;) {
      const byte = this.buf[this.at >> 3]!;
      const off = this.at & 7;
      const take = Math.min(8 - off, n - got);
      v |= ((byte >> off) & ((1 << take) - 1)) << got;
      got += take;
      this.at += take;
    }
    return v;
  }

  /** Skips to absolute bit `to` (past what is buffered: the next reads find the input's end or skip on). */
  async skipTo(to: number): Promise<void> {
    while (this.position < to) {
      const left = to - this.position;
      const buffered = this.buf.length * 8 - this.at;
      if (buffered >= left) {
        this.at += left;
        return;
      }
      this.at += buffered;
      if (!(await this.have(1))) return;
    }
  }
}

/** The expansion of a compress(1) `.Z` stream. */
export async function* unlzw(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const input = new Input(source);
  const h = await input.exactly(3);
  if (h.length < 3) throw new Error('unexpected end of the stream (in its 3-byte header)');
  if (h[0] !== 0x1f || h[1] !== 0x9d) throw new Error('not a compress(1) stream (bad magic)');
  const maxBits = h[2]! & 0x1f;
  const block = (h[2]! & 0x80) !== 0;
  if (maxBits < 9 || maxBits > 16) throw new Error(`a largest code width of ${maxBits} bits (compress writes 9-16)`);
  if (h[2]! & 0x60) throw new Error(`reserved flag bits set (flags byte 0x${h[2]!.toString(16)})`);
  const maxMaxCode = 1 << maxBits;
  const prefix = new Uint16Array(65536);
  const suffix = new Uint8Array(65536);
  const stack = new Uint8Array(65536);
  const bits = new Bits(input);
  let width = 9;
  /** The largest code of the current width; at the largest width, the table's end (the width grows no more). */
  const maxOf = (w: number) => (w === maxBits ? maxMaxCode : (1 << w) - 1);
  let maxCode = maxOf(width);
  let free = block ? 257 : 256;
  let groupStart = bits.position;
  let old = -1;
  let fin = 0;
  let out = new Uint8Array(STEP_OUTPUT * 2);
  let outLen = 0;
  /** Skips the rest of the current group of eight codes of `width` bits. */
  const endGroup = async () => {
    const group = width * 8;
    const used = bits.position - groupStart;
    await bits.skipTo(groupStart + Math.ceil(used / group) * group);
    groupStart = bits.position;
  };
  for (;;) {
    if (free > maxCode) {
      await endGroup();
      width++;
      maxCode = maxOf(width);
    }
    if (!(await bits.have(width))) break;
    let code = bits.read(width);
    if (old === -1) {
      if (code >= 256) throw new Error(`corrupt data (a first code of ${code}, not a byte)`);
      old = fin = code;
      out[outLen++] = code;
      continue;
    }
    if (code === CLEAR && block) {
      await endGroup();
      free = 256;
      width = 9;
      maxCode = maxOf(width);
      continue;
    }
    const incode = code;
    let sp = 0;
    if (code >= free) {
      if (code > free) throw new Error(`corrupt data (code ${code} before the table reached it, at ${free})`);
      stack[sp++] = fin;
      code = old;
    }
    while (code >= 256) {
      stack[sp++] = suffix[code]!;
      code = prefix[code]!;
    }
    fin = code;
    stack[sp++] = fin;
    if (outLen + sp > out.length) {
      const grown = new Uint8Array(outLen + sp + STEP_OUTPUT);
      grown.set(out.subarray(0, outLen));
      out = grown;
    }
    while (sp > 0) out[outLen++] = stack[--sp]!;
    if (free < maxMaxCode) {
      prefix[free] = old;
      suffix[free] = fin;
      free++;
    }
    old = incode;
    if (outLen >= STEP_OUTPUT) {
      yield Buffer.from(out.subarray(0, outLen));
      outLen = 0;
    }
  }
  if (outLen) yield Buffer.from(out.subarray(0, outLen));
}
