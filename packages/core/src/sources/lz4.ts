/**
 * A streaming LZ4 decoder, bounded per step, written from the published format descriptions only: LZ4 frames
 * (lz4_Frame_format.md 1.6.x: magic 0x184D2204, frame descriptor with its xxHash32 check byte, data blocks of at
 * most the declared maximum size, stored or compressed, linked or independent, optional block and content
 * checksums, skippable frames 0x184D2A50-5F, frames one after another), the legacy frame (magic 0x184C2102, then
 * blocks of at most LZ4_compressBound(8 MiB) bytes, each expanding to at most 8 MiB, `lz4 -l`), and Mozilla's
 * mozLz4 (toolkit/components/lz4: "mozLz40\0", the expanded size as u32 little-endian, one LZ4 block: Firefox's
 * `.jsonlz4`, `.baklz4`, `.mozlz4`). Block sequences per lz4_Block_format.md (token, literal length, literals,
 * 2-byte offset, match length, the last sequence literals only). Checksums per xxhash_spec.md (XXH32, seed 0).
 *
 * Bounds: a frame block is held whole (at most 4 MiB, its descriptor's maximum) and a legacy block (at most
 * ~8.03 MiB); a mozLz4 block, which is the rest of its file, is held up to MOZ_MAX_BLOCK bytes. Output is handed
 * out in steps of STEP_OUTPUT bytes from a window that keeps the last 64 KiB (the farthest a match reaches), so a
 * bomb yields a step at a time to the consumer's ratio guard; a block may not expand past what its frame allows
 * (a frame's maximum block size, 8 MiB in a legacy frame, the size a mozLz4 header declares).
 */
import { Input, reportTrailing, type OnTrailing } from './lzma.js';

const FRAME_MAGIC = 0x184d2204;
const LEGACY_MAGIC = 0x184c2102;
const MOZ_MAGIC = Buffer.from('mozLz40\0', 'latin1');
/** The farthest back a match may reach (a 16-bit offset). */
const HISTORY = 65536;
/** Output handed out per step. */
const STEP_OUTPUT = 64 * 1024;
/** A legacy block's expansion and its compressed bound (LZ4_COMPRESSBOUND(8 MiB) = n + n/255 + 16). */
const LEGACY_BLOCK_OUT = 8 * 1024 * 1024;
const LEGACY_BLOCK_IN = LEGACY_BLOCK_OUT + Math.floor(LEGACY_BLOCK_OUT / 255) + 16;
/** The largest mozLz4 block held (the rest of its file): Firefox's session stores are a few MiB. */
export const MOZ_MAX_BLOCK = 64 * 1024 * 1024;
const BLOCK_MAX = [0, 0, 0, 0, 64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024];

const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;
const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
const round = (acc: number, lane: number) => Math.imul(rotl((acc + Math.imul(lane, P2)) >>> 0, 13), P1) >>> 0;

/** XXH32 with seed 0, fed in pieces (xxhash_spec.md). */
export class Xxh32 {
  private v = [(P1 + P2) >>> 0, P2, 0, (0 - P1) >>> 0];
  private readonly stripe = new Uint8Array(16);
  private held = 0;
  private total = 0;

  update(b: Uint8Array): this {
    this.total += b.length;
    let at = 0;
    if (this.held) {
      const n = Math.min(16 - this.held, b.length);
      this.stripe.set(b.subarray(0, n), this.held);
      this.held += n;
      at = n;
      if (this.held < 16) return this;
      this.lanes(this.stripe, 0);
      this.held = 0;
    }
    for (; at + 16 <= b.length; at += 16) this.lanes(b, at);
    this.stripe.set(b.subarray(at), 0);
    this.held = b.length - at;
    return this;
  }

  private lanes(b: Uint8Array, at: number): void {
    for (let i = 0; i < 4; i++) {
      const o = at + i * 4;
      this.v[i] = round(this.v[i]!, (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0);
    }
  }

  digest(): number {
    const [v1, v2, v3, v4] = this.v as [number, number, number, number];
    let acc =
      this.total >= 16 ? (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0 : (this.v[2]! + P5) >>> 0;
    acc = (acc + (this.total >>> 0)) >>> 0;
    const s = this.stripe;
    let i = 0;
    for (; i + 4 <= this.held; i += 4) {
      const lane = (s[i]! | (s[i + 1]! << 8) | (s[i + 2]! << 16) | (s[i + 3]! << 24)) >>> 0;
      acc = Math.imul(rotl((acc + Math.imul(lane, P3)) >>> 0, 17), P4) >>> 0;
    }
    for (; i < this.held; i++) acc = Math.imul(rotl((acc + Math.imul(s[i]!, P5)) >>> 0, 11), P1) >>> 0;
    acc = Math.imul(acc ^ (acc >>> 15), P2) >>> 0;
    acc = Math.imul(acc ^ (acc >>> 13), P3) >>> 0;
    return (acc ^ (acc >>> 16)) >>> 0;
  }
}

export function xxh32(b: Uint8Array): number {
  return new Xxh32().update(b).digest();
}

/** The output side: the last 64 KiB (what a match may reach) and the bytes of this step not handed out yet. */
class Window {
  private readonly buf = new Uint8Array(HISTORY + STEP_OUTPUT);
  /** Where the next byte goes; bytes before `from` were handed out. */
  private pos = 0;
  private from = 0;
  /** Bytes of history a match may reach: everything since the window was last reset, up to 64 KiB. */
  private reach = 0;

  reset(): void {
    this.pos = 0;
    this.from = 0;
    this.reach = 0;
  }

  get full(): boolean {
    return this.pos === this.buf.length;
  }

  /** The bytes not handed out yet (a copy), then the buffer slid back so the last 64 KiB stay. */
  flush(): Buffer {
    const out = Buffer.from(this.buf.subarray(this.from, this.pos));
    if (this.pos > HISTORY) {
      this.buf.copyWithin(0, this.pos - HISTORY, this.pos);
      this.pos = HISTORY;
    }
    this.from = this.pos;
    return out;
  }

  /** Copies literals; returns how many fitted before the buffer filled. */
  literals(src: Uint8Array, at: number, n: number): number {
    const take = Math.min(n, this.buf.length - this.pos);
    this.buf.set(src.subarray(at, at + take), this.pos);
    this.pos += take;
    this.reach = Math.min(HISTORY, this.reach + take);
    return take;
  }

  /** Copies up to `n` bytes of a match `offset` back; returns how many fitted before the buffer filled. */
  match(offset: number, n: number): number {
    if (offset > this.reach)
      throw new Error(`corrupt data (a match ${offset} bytes back, past the ${this.reach} bytes decoded before it)`);
    const take = Math.min(n, this.buf.length - this.pos);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < take; i++, p++) b[p] = b[p - offset]!;
    this.pos = p;
    this.reach = Math.min(HISTORY, this.reach + take);
    return take;
  }
}

/**
 * Decodes one LZ4 block into `w`, yielding a step's output whenever the window fills; at most `limit` bytes
 * (more is an error). Returns how many bytes it decoded (the caller flushes the rest).
 */
function* block(src: Uint8Array, w: Window, limit: number): Generator<Buffer, number> {
  let ip = 0;
  let out = 0;
  const end = src.length;
  const over = (n: number) => {
    if (out + n > limit) throw new Error(`corrupt data (a block expanding past the ${limit} bytes it may hold)`);
    out += n;
  };
  if (end === 0) throw new Error('corrupt data (an empty compressed block)');
  for (;;) {
    const token = src[ip++]!;
    let lit = token >> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (ip >= end) throw new Error('unexpected end of a block (in a literal length)');
        b = src[ip++]!;
        lit += b;
      } while (b === 255);
    }
    if (ip + lit > end) throw new Error('unexpected end of a block (in its literals)');
    over(lit);
    for (let left = lit; left > 0;) {
      const n = w.literals(src, ip, left);
      ip += n;
      left -= n;
      if (w.full) yield w.flush();
    }
    // The last sequence has literals only.
    if (ip === end) return out;
    if (ip + 2 > end) throw new Error('unexpected end of a block (in a match offset)');
    const offset = src[ip]! | (src[ip + 1]! << 8);
    ip += 2;
    if (offset === 0) throw new Error('corrupt data (a match offset of 0)');
    let len = token & 15;
    if (len === 15) {
      let b: number;
      do {
        if (ip >= end) throw new Error('unexpected end of a block (in a match length)');
        b = src[ip++]!;
        len += b;
      } while (b === 255);
    }
    len += 4;
    over(len);
    for (let left = len; left > 0;) {
      left -= w.match(offset, left);
      if (w.full) yield w.flush();
    }
    if (ip >= end) throw new Error('corrupt data (a block ending in a match, not literals)');
  }
}

function u32(b: Uint8Array, at = 0): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** One frame after its magic (lz4_Frame_format.md). */
async function* frame(input: Input): AsyncGenerator<Buffer> {
  const d = await input.exactly(2);
  if (d.length < 2) throw new Error('unexpected end of the stream (in a frame descriptor)');
  const flg = d[0]!;
  const bd = d[1]!;
  if (flg >> 6 !== 1) throw new Error(`a frame of version ${flg >> 6} (only version 01 exists)`);
  if (flg & 0x02 || bd & 0x8f) throw new Error('corrupt data (reserved bits set in the frame descriptor)');
  const maxBlock = BLOCK_MAX[(bd >> 4) & 7]!;
  if (!maxBlock) throw new Error(`a block maximum size code of ${(bd >> 4) & 7} (4-7 exist)`);
  const independent = (flg & 0x20) !== 0;
  const blockSums = (flg & 0x10) !== 0;
  const hasSize = (flg & 0x08) !== 0;
  const contentSum = (flg & 0x04) !== 0;
  const hasDict = (flg & 0x01) !== 0;
  const rest = await input.exactly((hasSize ? 8 : 0) + (hasDict ? 4 : 0) + 1);
  if (rest.length < (hasSize ? 8 : 0) + (hasDict ? 4 : 0) + 1)
    throw new Error('unexpected end of the stream (in a frame descriptor)');
  const descriptor = new Uint8Array(2 + rest.length - 1);
  descriptor.set(d, 0);
  descriptor.set(rest.subarray(0, rest.length - 1), 2);
  const hc = (xxh32(descriptor) >>> 8) & 0xff;
  if (hc !== rest[rest.length - 1]) throw new Error('a frame descriptor whose check byte does not match it');
  const size = hasSize ? u32(rest, 0) + u32(rest, 4) * 2 ** 32 : undefined;
  if (hasDict)
    throw Object.assign(
      new Error(
        `a frame compressed with a dictionary (ID ${u32(rest, hasSize ? 8 : 0)}) that is not in the stream; lz4 -d -D <that dictionary> reads it`,
      ),
      { unsupported: true },
    );
  const w = new Window();
  const sum = contentSum ? new Xxh32() : undefined;
  let total = 0;
  for (;;) {
    const h = await input.exactly(4);
    if (h.length < 4) throw new Error('unexpected end of the stream (in a block header)');
    const word = u32(h);
    if (word === 0) break;
    const stored = (word & 0x80000000) !== 0;
    const n = word & 0x7fffffff;
    if (n > maxBlock)
      throw new Error(`corrupt data (a block of ${n} bytes, past the frame's ${maxBlock}-byte maximum)`);
    const data = await input.exactly(n);
    if (data.length < n) throw new Error('unexpected end of the stream (in a block)');
    if (blockSums) {
      const c = await input.exactly(4);
      if (c.length < 4) throw new Error('unexpected end of the stream (in a block checksum)');
      if (u32(c) !== xxh32(data)) throw new Error('a block whose checksum does not match it');
    }
    if (independent) w.reset();
    const pieces: Buffer[] = [];
    if (stored) {
      for (let at = 0; at < n;) {
        at += w.literals(data, at, n - at);
        if (w.full) pieces.push(w.flush());
      }
    } else {
      const it = block(data, w, maxBlock);
      for (let r = it.next(); ; r = it.next()) {
        if (r.done) break;
        yield* emit(r.value, sum);
        total += r.value.length;
      }
    }
    pieces.push(w.flush());
    for (const p of pieces) {
      if (!p.length) continue;
      total += p.length;
      yield* emit(p, sum);
    }
  }
  if (sum) {
    const c = await input.exactly(4);
    if (c.length < 4) throw new Error('unexpected end of the stream (in the content checksum)');
    if (u32(c) !== sum.digest()) throw new Error('a frame whose content checksum does not match its data');
  }
  if (size !== undefined && size !== total)
    throw new Error(`a frame whose header gives a content size of ${size} bytes, not its ${total}`);
}

function* emit(b: Buffer, sum: Xxh32 | undefined): Generator<Buffer> {
  sum?.update(b);
  yield b;
}

/** A legacy frame after its magic: blocks until the input ends or another frame's magic. */
async function* legacy(input: Input): AsyncGenerator<Buffer> {
  const w = new Window();
  for (;;) {
    const h = await input.exactly(4);
    if (h.length === 0) return;
    if (h.length < 4) throw new Error('unexpected end of the stream (in a legacy block header)');
    const n = u32(h);
    // lz4 takes a word past the bound for the next frame's magic.
    if (n > LEGACY_BLOCK_IN) {
      input.giveBack(h);
      return;
    }
    const data = await input.exactly(n);
    if (data.length < n) throw new Error('unexpected end of the stream (in a legacy block)');
    w.reset();
    yield* block(data, w, LEGACY_BLOCK_OUT);
    const last = w.flush();
    if (last.length) yield last;
  }
}

/** A mozLz4 file after its 8-byte magic: the declared size, then one block (the rest of the input). */
async function* mozLz4(input: Input): AsyncGenerator<Buffer> {
  const h = await input.exactly(4);
  if (h.length < 4) throw new Error('unexpected end of the stream (in the mozLz4 size)');
  const size = u32(h);
  const parts: Uint8Array[] = [];
  let n = 0;
  for (let c = await input.chunk(); c; c = await input.chunk()) {
    n += c.length;
    if (n > MOZ_MAX_BLOCK)
      throw Object.assign(
        new Error(`a mozLz4 block of more than ${MOZ_MAX_BLOCK} bytes (held whole here; lz4jsoncat reads it)`),
        { unsupported: true },
      );
    parts.push(c);
  }
  const data = Buffer.concat(parts);
  const w = new Window();
  let total = 0;
  for (const b of block(data, w, size)) {
    total += b.length;
    yield b;
  }
  const last = w.flush();
  total += last.length;
  if (last.length) yield last;
  if (total !== size) throw new Error(`unexpected end of the stream (${total} of the ${size} bytes its header gives)`);
}

/**
 * The expansion of an LZ4 file: frames and skippable frames one after another (`lz4 -d` reads them so), a legacy
 * frame, or a mozLz4 file. `onTrailing` hears of bytes after the last frame that are no frame.
 */
export async function* unlz4(source: AsyncIterable<Buffer>, onTrailing?: OnTrailing): AsyncGenerator<Buffer> {
  const input = new Input(source);
  const head = await input.exactly(8);
  if (head.length === 8 && Buffer.from(head).equals(MOZ_MAGIC)) {
    yield* mozLz4(input);
    return;
  }
  input.giveBack(head);
  for (let frames = 0; ; frames++) {
    const start = input.consumed;
    const m = await input.exactly(4);
    const magic = m.length === 4 ? u32(m) : -1;
    const known = magic === FRAME_MAGIC || magic === LEGACY_MAGIC || (magic & 0xfffffff0) === 0x184d2a50;
    if (frames > 0 && !known) return reportTrailing(input, start, m.length, onTrailing);
    if (m.length < 4) throw new Error('unexpected end of the stream (in a frame magic)');
    if (magic === FRAME_MAGIC) yield* frame(input);
    else if (magic === LEGACY_MAGIC) yield* legacy(input);
    else if ((magic & 0xfffffff0) === 0x184d2a50) {
      const s = await input.exactly(4);
      if (s.length < 4) throw new Error('unexpected end of the stream (in a skippable frame)');
      for (let left = u32(s); left > 0;) {
        const c = await input.exactly(Math.min(left, 1024 * 1024));
        if (!c.length) throw new Error('unexpected end of the stream (in a skippable frame)');
        left -= c.length;
      }
    } else throw new Error('not an LZ4 stream (bad magic)');
  }
}

/** Whether `head` starts an LZ4 frame (version 01), a legacy frame, a skippable frame or a mozLz4 file. */
export function lz4At(head: Uint8Array): boolean {
  if (head.length >= 8 && Buffer.from(head.subarray(0, 8)).equals(MOZ_MAGIC)) return true;
  if (head.length < 5) return false;
  const magic = u32(head);
  if (magic === FRAME_MAGIC) return head[4]! >> 6 === 1;
  return magic === LEGACY_MAGIC;
}
