/**
 * A streaming LZMA decoder, bounded per step: LZMA-alone (`.lzma`, `.tlz`),
 * lzip (`.lz`) members and ZIP's method 14. No npm package decodes LZMA as a
 * stream on Node 20 without native code (README, dependency notes), and
 * xz-embedded's WebAssembly build reads only xz's LZMA2.
 *
 * The decoder suspends between symbols: it decodes one only while 64 bytes of
 * input are buffered (a symbol reads at most ~50) or the input has ended, and
 * hands out its output once a step passes 64 KiB, so a bomb yields 64 KiB per
 * step to the consumer's ratio guard. The dictionary is allocated once, at
 * most MAX_DICTIONARY bytes (or the known output size when smaller).
 *
 * References: Igor Pavlov, lzma-specification.txt (LZMA SDK 9.x: range coder,
 * literal and match coding, the reference decoder's checks); the lzip manual,
 * "File format" (member header, dictionary-size byte, 20-byte trailer); PKWARE
 * APPNOTE 6.3.10 §5.8.8 (LZMA in ZIP: version, properties size, properties).
 */
import zlib from 'node:zlib';

/** The largest dictionary allocated: xz's and lzip's presets stop at 64 MiB (lzma -9, lzip -9 use 32 MiB). */
export const MAX_DICTIONARY = 64 * 1024 * 1024;
/** Output handed out per step. */
const STEP_OUTPUT = 64 * 1024;
/** Input that must be buffered before a symbol is decoded (the longest symbol reads about 50 bytes). */
const SYMBOL_INPUT = 64;
const PROB_INIT = 1024;
const STATES = 12;
const POS_STATES_MAX = 16;
const LEN_LOW_SYMBOLS = 8;
const END_POS_MODEL_INDEX = 14;
const FULL_DISTANCES = 128;
const MATCH_MIN_LEN = 2;

export interface LzmaProperties {
  lc: number;
  lp: number;
  pb: number;
  dictionarySize: number;
}

/** The properties byte ((pb * 5 + lp) * 9 + lc) and dictionary size, or why they are not LZMA's. */
export function lzmaProperties(byte: number, dictionarySize: number): LzmaProperties | string {
  if (byte >= 9 * 5 * 5) return `a properties byte of ${byte} (LZMA's is below 225)`;
  const lc = byte % 9;
  const lp = Math.floor(byte / 9) % 5;
  const pb = Math.floor(byte / 45);
  return { lc, lp, pb, dictionarySize };
}

/** A length coder's probabilities: choice, choice2, low and mid trees per position state, the high tree. */
class LengthCoder {
  readonly probs = new Uint16Array(2 + POS_STATES_MAX * LEN_LOW_SYMBOLS * 2 + 256).fill(PROB_INIT);
}

const LOW = 2;
const MID = LOW + POS_STATES_MAX * LEN_LOW_SYMBOLS;
const HIGH = MID + POS_STATES_MAX * LEN_LOW_SYMBOLS;

/** What a decode step ended on. */
export type StepResult = 'input' | 'output' | 'end';

/**
 * One LZMA stream's decoder. Feed it input with `push`, call `step` until it
 * asks for input ('input'), has a step's output ready ('output': take it with
 * `take`) or ends ('end'). Errors are thrown as plain messages.
 */
export class LzmaDecoder {
  private input: Uint8Array = new Uint8Array(0);
  private at = 0;
  private ended = false;
  private started = false;
  // The range coder's range and code are held as signed 32-bit integers (small integers to V8, never boxed)
  // and compared as unsigned by flipping their sign bits.
  private range = -1;
  private code = 0;

  private readonly dict: Uint8Array;
  private pos = 0;
  /** Bytes of the dictionary written (at most its length). */
  private filled = 0;
  /** Bytes output, modulo 2^32: only its low bits are read (position states, literal positions). */
  private low = 0;
  private out: Uint8Array = new Uint8Array(STEP_OUTPUT + 300);
  private outLength = 0;

  private state = 0;
  private rep0 = 0;
  private rep1 = 0;
  private rep2 = 0;
  private rep3 = 0;
  private remaining: number;
  private finished = false;

  private readonly literal: Uint16Array;
  private readonly isMatch = new Uint16Array(STATES * POS_STATES_MAX).fill(PROB_INIT);
  private readonly isRep = new Uint16Array(STATES).fill(PROB_INIT);
  private readonly isRepG0 = new Uint16Array(STATES).fill(PROB_INIT);
  private readonly isRepG1 = new Uint16Array(STATES).fill(PROB_INIT);
  private readonly isRepG2 = new Uint16Array(STATES).fill(PROB_INIT);
  private readonly isRep0Long = new Uint16Array(STATES * POS_STATES_MAX).fill(PROB_INIT);
  private readonly posSlot = new Uint16Array(4 * 64).fill(PROB_INIT);
  private readonly posCoders = new Uint16Array(1 + FULL_DISTANCES - END_POS_MODEL_INDEX).fill(PROB_INIT);
  private readonly align = new Uint16Array(16).fill(PROB_INIT);
  private readonly lengths = new LengthCoder();
  private readonly repLengths = new LengthCoder();

  /**
   * `size`: the output's size when the container gives it (the stream may then end without an end
   * marker), else undefined (an end marker is required). `marker`: an end marker must follow `size` bytes.
   */
  constructor(
    private readonly props: LzmaProperties,
    size: number | undefined,
    private readonly marker = size === undefined,
  ) {
    const wanted = Math.max(props.dictionarySize, 4096);
    const cap = size === undefined ? wanted : Math.max(Math.min(wanted, size), 4096);
    // A valid stream this decoder will not allocate for: `unsupported` (compressed.ts), not damage.
    if (cap > MAX_DICTIONARY)
      throw Object.assign(
        new Error(`a ${props.dictionarySize}-byte dictionary, past the ${MAX_DICTIONARY} bytes this decoder allocates`),
        { unsupported: true },
      );
    this.dict = new Uint8Array(cap);
    this.remaining = size ?? Number.POSITIVE_INFINITY;
    this.literal = new Uint16Array(0x300 << (props.lc + props.lp)).fill(PROB_INIT);
  }

  /** Bytes of compressed input not yet consumed (what follows the stream, once it has ended). */
  rest(): Uint8Array {
    return this.input.subarray(this.at);
  }

  push(chunk: Uint8Array | undefined): void {
    if (chunk === undefined) {
      this.ended = true;
      return;
    }
    const left = this.input.length - this.at;
    const next = new Uint8Array(left + chunk.length);
    next.set(this.input.subarray(this.at));
    next.set(chunk, left);
    this.input = next;
    this.at = 0;
  }

  take(): Uint8Array {
    const out = this.out.slice(0, this.outLength);
    this.outLength = 0;
    return out;
  }

  step(): StepResult {
    if (this.finished) return 'end';
    if (!this.started) {
      if (this.input.length - this.at < 5) {
        if (this.ended) throw new Error('unexpected end of the stream');
        return 'input';
      }
      if (this.input[this.at] !== 0) throw new Error('corrupt data (the range coder does not start with 0)');
      const i = this.input;
      const a = this.at;
      this.code = (i[a + 1]! << 24) | (i[a + 2]! << 16) | (i[a + 3]! << 8) | i[a + 4]!;
      this.at += 5;
      if (this.code === this.range) throw new Error('corrupt data (the range coder starts at its range)');
      this.started = true;
    }
    while (this.outLength < STEP_OUTPUT) {
      if (!this.ended && this.input.length - this.at < SYMBOL_INPUT) return 'input';
      if (this.symbol()) {
        this.finished = true;
        return 'end';
      }
    }
    return 'output';
  }

  private next(): number {
    if (this.at >= this.input.length) throw new Error('unexpected end of the stream');
    return this.input[this.at++]!;
  }

  private bit(probs: Uint16Array, i: number): number {
    const p = probs[i]!;
    const bound = Math.imul(this.range >>> 11, p);
    let b: number;
    if ((this.code ^ 0x80000000) < (bound ^ 0x80000000)) {
      this.range = bound;
      probs[i] = p + ((2048 - p) >>> 5);
      b = 0;
    } else {
      this.range = (this.range - bound) | 0;
      this.code = (this.code - bound) | 0;
      probs[i] = p - (p >>> 5);
      b = 1;
    }
    if ((this.range & 0xff000000) === 0) {
      this.range <<= 8;
      this.code = (this.code << 8) | this.next();
    }
    return b;
  }

  private direct(count: number): number {
    let result = 0;
    for (let i = 0; i < count; i++) {
      this.range = (this.range >>> 1) | 0;
      let b = 0;
      if ((this.code ^ 0x80000000) >= (this.range ^ 0x80000000)) {
        this.code = (this.code - this.range) | 0;
        b = 1;
      }
      if ((this.code ^ 0x80000000) >= (this.range ^ 0x80000000)) throw new Error('corrupt data (direct bits)');
      if ((this.range & 0xff000000) === 0) {
        this.range <<= 8;
        this.code = (this.code << 8) | this.next();
      }
      result = result * 2 + b;
    }
    return result;
  }

  private tree(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) + this.bit(probs, base + m);
    return m - (1 << bits);
  }

  private reverse(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    let symbol = 0;
    for (let i = 0; i < bits; i++) {
      const b = this.bit(probs, base + m);
      m = (m << 1) + b;
      symbol |= b << i;
    }
    return symbol;
  }

  private length(coder: LengthCoder, posState: number): number {
    const p = coder.probs;
    if (this.bit(p, 0) === 0) return this.tree(p, LOW + posState * LEN_LOW_SYMBOLS, 3);
    if (this.bit(p, 1) === 0) return LEN_LOW_SYMBOLS + this.tree(p, MID + posState * LEN_LOW_SYMBOLS, 3);
    return 2 * LEN_LOW_SYMBOLS + this.tree(p, HIGH, 8);
  }

  private distance(len: number): number {
    const slot = this.tree(this.posSlot, Math.min(len, 3) * 64, 6);
    if (slot < 4) return slot;
    const bits = (slot >>> 1) - 1;
    let dist = (2 | (slot & 1)) * 2 ** bits;
    if (slot < END_POS_MODEL_INDEX) return dist + this.reverse(this.posCoders, dist - slot, bits);
    dist += this.direct(bits - 4) * 16;
    return dist + this.reverse(this.align, 0, 4);
  }

  /** The byte `distance` back (1 = the last one written). */
  private back(distance: number): number {
    const i = this.pos - distance;
    return this.dict[i >= 0 ? i : i + this.dict.length]!;
  }

  private put(b: number): void {
    this.dict[this.pos++] = b;
    if (this.pos === this.dict.length) this.pos = 0;
    if (this.filled < this.dict.length) this.filled++;
    this.out[this.outLength++] = b;
    this.low = (this.low + 1) | 0;
  }

  /** Copies `len` bytes from `distance` back. */
  private copy(distance: number, len: number): void {
    const dict = this.dict;
    const size = dict.length;
    const out = this.out;
    let from = this.pos - distance;
    if (from < 0) from += size;
    let pos = this.pos;
    let o = this.outLength;
    for (let i = 0; i < len; i++) {
      const b = dict[from++]!;
      if (from === size) from = 0;
      dict[pos++] = b;
      if (pos === size) pos = 0;
      out[o++] = b;
    }
    this.pos = pos;
    this.outLength = o;
    this.filled = Math.min(size, this.filled + len);
    this.low = (this.low + len) | 0;
  }

  /** Decodes one literal or match; true at the stream's end. */
  private symbol(): boolean {
    const { lc, lp, pb } = this.props;
    if (this.remaining === 0 && !this.marker && this.code === 0) return true;
    const posState = this.low & ((1 << pb) - 1);
    const state = this.state;
    if (this.bit(this.isMatch, (state << 4) + posState) === 0) {
      if (this.remaining === 0) throw new Error('data past the size the container gives');
      const prev = this.filled > 0 ? this.back(1) : 0;
      const base = 0x300 * (((this.low & ((1 << lp) - 1)) << lc) + (prev >>> (8 - lc)));
      let symbol = 1;
      if (state >= 7) {
        let match = this.back(this.rep0 + 1);
        do {
          const matchBit = (match >>> 7) & 1;
          match <<= 1;
          const b = this.bit(this.literal, base + ((1 + matchBit) << 8) + symbol);
          symbol = (symbol << 1) | b;
          if (matchBit !== b) break;
        } while (symbol < 0x100);
      }
      while (symbol < 0x100) symbol = (symbol << 1) | this.bit(this.literal, base + symbol);
      this.put(symbol - 0x100);
      this.remaining--;
      this.state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      return false;
    }
    let len: number;
    if (this.bit(this.isRep, state) !== 0) {
      if (this.remaining === 0) throw new Error('data past the size the container gives');
      if (this.filled === 0) throw new Error('corrupt data (a repeated match before any output)');
      if (this.bit(this.isRepG0, state) === 0) {
        if (this.bit(this.isRep0Long, (state << 4) + posState) === 0) {
          this.state = state < 7 ? 9 : 11;
          this.put(this.back(this.rep0 + 1));
          this.remaining--;
          return false;
        }
      } else {
        let dist: number;
        if (this.bit(this.isRepG1, state) === 0) dist = this.rep1;
        else {
          if (this.bit(this.isRepG2, state) === 0) dist = this.rep2;
          else {
            dist = this.rep3;
            this.rep3 = this.rep2;
          }
          this.rep2 = this.rep1;
        }
        this.rep1 = this.rep0;
        this.rep0 = dist;
      }
      len = this.length(this.repLengths, posState);
      this.state = state < 7 ? 8 : 11;
    } else {
      this.rep3 = this.rep2;
      this.rep2 = this.rep1;
      this.rep1 = this.rep0;
      len = this.length(this.lengths, posState);
      this.state = state < 7 ? 7 : 10;
      this.rep0 = this.distance(len);
      if (this.rep0 === 0xffffffff) {
        if (this.code !== 0) throw new Error('corrupt data (an end marker where the range coder has not finished)');
        if (this.remaining !== 0 && this.remaining !== Number.POSITIVE_INFINITY)
          throw new Error('unexpected end of the stream (its end marker comes before the size the container gives)');
        return true;
      }
      if (this.remaining === 0) throw new Error('data past the size the container gives');
      if (this.rep0 >= this.props.dictionarySize || this.rep0 >= this.filled)
        throw new Error(`corrupt data (a match ${this.rep0 + 1} bytes back, past the output or the dictionary)`);
    }
    len += MATCH_MIN_LEN;
    const past = len > this.remaining;
    if (past) len = this.remaining;
    this.copy(this.rep0 + 1, len);
    this.remaining -= len;
    if (past) throw new Error('data past the size the container gives');
    return false;
  }
}

/** Compressed input read from a stream, a chunk at a time, with bytes given back after a stream's end. */
export class Input {
  private held: Uint8Array = new Uint8Array(0);
  private readonly it: AsyncIterator<Buffer>;
  private done = false;
  /** Bytes taken from the input so far (given back bytes not counted): where a member ends. */
  consumed = 0;

  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** The next chunk, or undefined at the end. */
  async chunk(): Promise<Uint8Array | undefined> {
    if (this.held.length) {
      const h = this.held;
      this.held = new Uint8Array(0);
      this.consumed += h.length;
      return h;
    }
    if (this.done) return undefined;
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      return undefined;
    }
    this.consumed += r.value.length;
    return r.value;
  }

  giveBack(bytes: Uint8Array): void {
    this.consumed -= bytes.length;
    const joined = new Uint8Array(bytes.length + this.held.length);
    joined.set(bytes);
    joined.set(this.held, bytes.length);
    this.held = joined;
  }

  /** Reads the rest of the input, keeping none of it: how many bytes there were. */
  async drain(): Promise<number> {
    let n = 0;
    for (let c = await this.chunk(); c; c = await this.chunk()) n += c.length;
    return n;
  }

  /** Exactly `n` bytes, or fewer when the input ends first. */
  async exactly(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const c = await this.chunk();
      if (!c) return out.subarray(0, got);
      const take = Math.min(n - got, c.length);
      out.set(c.subarray(0, take), got);
      got += take;
      if (take < c.length) this.giveBack(c.subarray(take));
    }
    return out;
  }
}

/** Runs one stream's decoder over the input, yielding its output; bytes after the stream go back to the input. */
async function* drive(decoder: LzmaDecoder, input: Input): AsyncGenerator<Buffer> {
  for (;;) {
    let r: StepResult;
    try {
      r = decoder.step();
    } catch (err) {
      // What decoded before the damage comes out before the error, as with the other codecs.
      const before = decoder.take();
      if (before.length) yield Buffer.from(before.buffer, before.byteOffset, before.length);
      throw err;
    }
    if (r === 'input') {
      decoder.push(await input.chunk());
      continue;
    }
    const out = decoder.take();
    if (out.length) yield Buffer.from(out.buffer, out.byteOffset, out.length);
    if (r === 'end') break;
  }
  const rest = decoder.rest();
  if (rest.length) input.giveBack(rest);
}

/** The largest size a header may declare and be believed (2^50 bytes: a PiB). */
const MAX_DECLARED_SIZE = 2 ** 50;

/** Bytes after the end of a stream (offset, length), and what hears of them. */
export type OnTrailing = (t: { offset: number; length: number }) => void;

/**
 * The expansion of an LZMA-alone stream (13-byte header: properties, dictionary size, size or all ones). Bytes after
 * its end (the end marker, or the size its header gives) are not read; `onTrailing` hears of them.
 */
export async function* unlzmaAlone(source: AsyncIterable<Buffer>, onTrailing?: OnTrailing): AsyncGenerator<Buffer> {
  const input = new Input(source);
  const h = await input.exactly(13);
  if (h.length < 13) throw new Error('unexpected end of the stream (in its 13-byte header)');
  const view = new DataView(h.buffer, h.byteOffset, 13);
  const props = lzmaProperties(h[0]!, view.getUint32(1, true));
  if (typeof props === 'string') throw new Error(`not an LZMA stream: ${props}`);
  const low = view.getUint32(5, true);
  const high = view.getUint32(9, true);
  const unknown = low === 0xffffffff && high === 0xffffffff;
  const size = unknown ? undefined : high * 2 ** 32 + low;
  if (size !== undefined && size > MAX_DECLARED_SIZE) throw new Error(`a header declaring ${size} bytes`);
  yield* drive(new LzmaDecoder(props, size), input);
  await reportTrailing(input, input.consumed, 0, onTrailing);
}

/** Hands `onTrailing` the bytes from `offset` to the end of the input (`held` of them already taken), if any. */
export async function reportTrailing(
  input: Input,
  offset: number,
  held: number,
  onTrailing?: OnTrailing,
): Promise<void> {
  if (!onTrailing) return;
  const length = held + (await input.drain());
  if (length > 0) onTrailing({ offset, length });
}

/** lzip's dictionary-size byte: 2^(low 5 bits), less 1/16 of it times the high 3 bits (4 KiB to 512 MiB). */
function lzipDictionary(b: number): number {
  const base = 2 ** (b & 0x1f);
  return base - (base / 16) * (b >> 5);
}

/**
 * The expansion of an lzip file: members ("LZIP", version 1, dictionary byte, LZMA with an end marker, a 20-byte
 * trailer). `onTrailing` hears of bytes after the last member that are no member.
 */
export async function* unlzip(source: AsyncIterable<Buffer>, onTrailing?: OnTrailing): AsyncGenerator<Buffer> {
  const input = new Input(source);
  for (let members = 0; ; members++) {
    const memberStart = input.consumed;
    const h = await input.exactly(6);
    // After a member, anything that is not another member is trailing data, which lzip ignores too.
    if (members > 0 && (h.length < 4 || String.fromCharCode(...h.subarray(0, 4)) !== 'LZIP'))
      return reportTrailing(input, memberStart, h.length, onTrailing);
    if (h.length < 6) throw new Error('unexpected end of the stream (in a member header)');
    if (String.fromCharCode(...h.subarray(0, 4)) !== 'LZIP') throw new Error('not an lzip file (bad magic)');
    if (h[4] !== 1) throw new Error(`an lzip member of version ${h[4]} (only version 1 exists)`);
    const dictionarySize = lzipDictionary(h[5]!);
    if (dictionarySize < 4096 || dictionarySize > 2 ** 29)
      throw new Error(`a dictionary of ${dictionarySize} bytes (lzip's are 4 KiB to 512 MiB)`);
    let crc = 0;
    let size = 0;
    for await (const out of drive(new LzmaDecoder({ lc: 3, lp: 0, pb: 2, dictionarySize }, undefined), input)) {
      crc = zlib.crc32(out, crc);
      size += out.length;
      yield out;
    }
    const t = await input.exactly(20);
    if (t.length < 20) throw new Error('unexpected end of the stream (in a member trailer)');
    const tv = new DataView(t.buffer, t.byteOffset, 20);
    if (tv.getUint32(0, true) !== crc) throw new Error('a member whose CRC-32 does not match its data');
    if (tv.getUint32(4, true) + tv.getUint32(8, true) * 2 ** 32 !== size)
      throw new Error('a member whose trailer gives another data size');
    // The member size (header, data, trailer) is lzip's check of where the next member begins, as `lzip -t` checks it.
    const memberSize = tv.getUint32(12, true) + tv.getUint32(16, true) * 2 ** 32;
    if (memberSize !== input.consumed - memberStart)
      throw new Error(
        `a member whose trailer gives a member size of ${memberSize} bytes, not its ${input.consumed - memberStart}`,
      );
  }
}

/**
 * The expansion of a ZIP member compressed with LZMA (method 14): a 4-byte header (7-Zip's version, the
 * properties' size, 5), the properties, then the stream. `size` is the member's uncompressed size; `marker`
 * its general-purpose bit 1 (an end marker follows the data).
 */
export async function* unzipLzma(source: AsyncIterable<Buffer>, size: number, marker: boolean): AsyncGenerator<Buffer> {
  const input = new Input(source);
  const h = await input.exactly(9);
  if (h.length < 9) throw new Error('unexpected end of the stream (in its LZMA header)');
  const propsSize = h[2]! | (h[3]! << 8);
  if (propsSize !== 5) throw new Error(`LZMA properties of ${propsSize} bytes (5 expected)`);
  const props = lzmaProperties(h[4]!, new DataView(h.buffer, h.byteOffset + 5, 4).getUint32(0, true));
  if (typeof props === 'string') throw new Error(`not an LZMA stream: ${props}`);
  yield* drive(new LzmaDecoder(props, size, marker), input);
}
