/**
 * A decoder for lzop's `.lzo` files, bounded per block, written from published descriptions only: the file
 * layout lzop 1.04 documents and writes (magic 89 4C 5A 4F 00 0D 0A 1A 0A; version, library version, version
 * needed, method, level, flags, mode, times, name, header checksum, optional extra field; then blocks of u32
 * big-endian expanded size, 0 ending the file, u32 compressed size, the checksums the flags ask for, the data,
 * stored when both sizes are equal) and the LZO1X instruction encoding (Linux Documentation/staging/lzo.rst,
 * "LZO stream format as understood by Linux's LZO decompressor": first-byte rules, the long literal run, the
 * 2-byte, 3-byte, 3-4, 5-8, short and far matches and their zero-byte length extensions, the end marker).
 *
 * Bounds: lzop compresses each block (256 KiB as it writes them) on its own; a block is decoded whole and
 * may declare at most MAX_BLOCK bytes (lzop's own MAX_BLOCK_SIZE, 64 MiB), and no instruction may write past the
 * size it declares or read before its start. The Adler-32 or CRC-32 of each block's output is checked when the
 * flags carry one. Methods: LZO1X-1, LZO1X-1(15) and LZO1X-999 (1-3), one bitstream; lzop's others are refused.
 */
import zlib from 'node:zlib';
import { Input } from './lzma.js';

const MAGIC = Buffer.from([0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a]);
/** lzop's MAX_BLOCK_SIZE. */
export const MAX_BLOCK = 64 * 1024 * 1024;
/** Output handed out per step. */
const STEP_OUTPUT = 64 * 1024;

const F_ADLER32_D = 0x1;
const F_ADLER32_C = 0x2;
const F_H_EXTRA_FIELD = 0x40;
const F_CRC32_D = 0x100;
const F_CRC32_C = 0x200;
const F_H_FILTER = 0x800;
const F_H_CRC32 = 0x1000;

/** Whether `head` starts an lzop file. */
export function lzopAt(head: Uint8Array): boolean {
  return head.length >= MAGIC.length && Buffer.from(head.subarray(0, MAGIC.length)).equals(MAGIC);
}

/** Adler-32 (RFC 1950 §8.2), starting from `a` (1 for a new sum). */
export function adler32(b: Uint8Array, start = 1): number {
  let s1 = start & 0xffff;
  let s2 = start >>> 16;
  for (let i = 0; i < b.length;) {
    const end = Math.min(b.length, i + 5552);
    for (; i < end; i++) {
      s1 += b[i]!;
      s2 += s1;
    }
    s1 %= 65521;
    s2 %= 65521;
  }
  return ((s2 << 16) | s1) >>> 0;
}

/** Decodes one LZO1X block of `src` into exactly `size` bytes (lzo.rst). Throws on anything out of bounds. */
export function lzo1x(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let ip = 0;
  let op = 0;
  const corrupt = (why: string): never => {
    throw new Error(`corrupt data (${why})`);
  };
  const byte = (): number => (ip < src.length ? src[ip++]! : corrupt('a block cut short'));
  /** A length extension: zero bytes worth 255 each, then a non-zero byte. */
  const extend = (base: number): number => {
    let n = 0;
    let b = byte();
    while (b === 0) {
      n += 255;
      if (n > size) corrupt('a length past the block');
      b = byte();
    }
    return base + n + b;
  };
  const literals = (n: number) => {
    if (ip + n > src.length) corrupt('literals past the block');
    if (op + n > size) corrupt('output past the size the block declares');
    out.set(src.subarray(ip, ip + n), op);
    ip += n;
    op += n;
  };
  const match = (distance: number, length: number) => {
    if (distance > op) corrupt(`a match ${distance} bytes back, past the ${op} bytes decoded`);
    if (op + length > size) corrupt('output past the size the block declares');
    for (let i = 0; i < length; i++, op++) out[op] = out[op - distance]!;
  };
  let state = 0;
  const first = byte();
  if (first === 17) corrupt('an LZO-RLE bitstream (first byte 17), which lzop does not write');
  if (first >= 18) {
    literals(first - 17);
    state = first - 17 >= 4 ? 4 : first - 17;
  } else ip = 0;
  for (;;) {
    const t = byte();
    let next: number;
    if (t < 16) {
      if (state === 0) {
        literals(t === 0 ? extend(15) + 3 : t + 3);
        state = 4;
        continue;
      }
      const h = byte();
      // 0 0 0 0 D D S S: a 2-byte match within 1 KiB after 1-3 literals, a 3-byte one 2-3 KiB back after 4 or more.
      if (state < 4) match((h << 2) + ((t >> 2) & 3) + 1, 2);
      else match((h << 2) + ((t >> 2) & 3) + 2049, 3);
      next = t & 3;
    } else if (t < 32) {
      const length = 2 + ((t & 7) === 0 ? extend(7) : t & 7);
      const v = byte() | (byte() << 8);
      const distance = 16384 + ((t & 8) << 11) + (v >> 2);
      if (distance === 16384) {
        if (length !== 3) corrupt('an end marker of another length');
        break;
      }
      match(distance, length);
      next = v & 3;
    } else if (t < 64) {
      const length = 2 + ((t & 31) === 0 ? extend(31) : t & 31);
      const v = byte() | (byte() << 8);
      match((v >> 2) + 1, length);
      next = v & 3;
    } else if (t < 128) {
      const h = byte();
      match((h << 3) + ((t >> 2) & 7) + 1, 3 + ((t >> 5) & 1));
      next = t & 3;
    } else {
      const h = byte();
      match((h << 3) + ((t >> 2) & 7) + 1, 5 + ((t >> 5) & 3));
      next = t & 3;
    }
    if (next) literals(next);
    state = next;
  }
  if (op !== size) corrupt(`${op} bytes decoded of the ${size} the block declares`);
  if (ip !== src.length) corrupt(`${src.length - ip} bytes after the end marker`);
  return out;
}

async function u32(input: Input, what: string): Promise<number> {
  const b = await input.exactly(4);
  if (b.length < 4) throw new Error(`unexpected end of the stream (in ${what})`);
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

async function bytes(input: Input, n: number, what: string): Promise<Uint8Array> {
  const b = await input.exactly(n);
  if (b.length < n) throw new Error(`unexpected end of the stream (in ${what})`);
  return b;
}

/** The expansion of an lzop file. */
export async function* unlzop(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const input = new Input(source);
  if (!lzopAt(await bytes(input, 9, 'its magic'))) throw new Error('not an lzop file (bad magic)');
  const v = await bytes(input, 4, 'its header');
  const version = (v[0]! << 8) | v[1]!;
  if (version < 0x0900) throw new Error(`an lzop file of version ${version.toString(16)} (0900 and later are read)`);
  const header: Uint8Array[] = [v];
  const take = async (n: number) => {
    const b = await bytes(input, n, 'its header');
    header.push(b);
    return b;
  };
  if (version >= 0x0940) await take(2); // version needed to extract
  const method = (await take(1))[0]!;
  if (method < 1 || method > 3)
    throw Object.assign(new Error(`lzop method ${method} (LZO1X, methods 1-3, is read here; lzop -d reads it)`), {
      unsupported: true,
    });
  if (version >= 0x0940) await take(1); // level
  const f = await take(4);
  const flags = ((f[0]! << 24) | (f[1]! << 16) | (f[2]! << 8) | f[3]!) >>> 0;
  if (flags & F_H_FILTER)
    throw Object.assign(new Error('a file written with a filter (lzop -F), which is not read here'), {
      unsupported: true,
    });
  await take(version >= 0x0940 ? 12 : 8); // mode, mtime (low, high)
  const nameLength = (await take(1))[0]!;
  if (nameLength) await take(nameLength);
  const sum = await u32(input, 'its header checksum');
  const all = Buffer.concat(header);
  const computed = flags & F_H_CRC32 ? zlib.crc32(all) : adler32(all);
  if (computed !== sum) throw new Error('a header whose checksum does not match it');
  if (flags & F_H_EXTRA_FIELD) {
    const n = await u32(input, 'its extra field');
    if (n > 1024 * 1024) throw new Error(`an extra field of ${n} bytes`);
    await bytes(input, n + 4, 'its extra field');
  }
  for (;;) {
    const dst = await u32(input, 'a block header');
    if (dst === 0) return;
    if (dst > MAX_BLOCK) throw new Error(`corrupt data (a block of ${dst} bytes, past lzop's ${MAX_BLOCK})`);
    const src = await u32(input, 'a block header');
    if (src > dst) throw new Error(`corrupt data (a block of ${src} compressed bytes expanding to ${dst})`);
    const dAdler = flags & F_ADLER32_D ? await u32(input, 'a block checksum') : undefined;
    const dCrc = flags & F_CRC32_D ? await u32(input, 'a block checksum') : undefined;
    if (src < dst) {
      if (flags & F_ADLER32_C) await u32(input, 'a block checksum');
      if (flags & F_CRC32_C) await u32(input, 'a block checksum');
    }
    const data = await bytes(input, src, 'a block');
    const out = src === dst ? data : lzo1x(data, dst);
    if (dAdler !== undefined && adler32(out) !== dAdler)
      throw new Error('a block whose Adler-32 does not match its data');
    if (dCrc !== undefined && zlib.crc32(out) !== dCrc) throw new Error('a block whose CRC-32 does not match its data');
    for (let at = 0; at < out.length; at += STEP_OUTPUT)
      yield Buffer.from(out.buffer, out.byteOffset + at, Math.min(STEP_OUTPUT, out.length - at));
  }
}
