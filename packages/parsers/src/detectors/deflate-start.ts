/**
 * Why a DEFLATE stream cannot start here, read from its first bits: the
 * rejections zlib's inflate() would make on them, with zlib's own messages.
 *
 * Why by hand: a trial inflate through node:zlib costs 30-90 µs of set-up and
 * error handling per call, and the statistics detector tries up to 64 start
 * offsets of every file that looks random (3,000+ files in a phone's caches).
 * Three random starts in four fail on the first block header, and most of the
 * rest on the first match of a fixed-code block: a few bit reads tell. This
 * decides only what zlib would certainly reject and returns undefined for
 * everything else (which then goes to zlib); it decodes no data.
 * Checked against zlib on random and real streams (deflate-start.test.ts).
 *
 * Reference: RFC 1951 §3.2 (block header, stored lengths, dynamic header,
 * fixed codes, length/distance extra bits); zlib 1.3 inflate.c/inftrees.c
 * (the order of its checks and their messages).
 */

/** Order of the code-length code lengths in a dynamic block header (RFC 1951 §3.2.7). */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Symbols of a block decoded before giving the stream to zlib: random bytes fail within a few. */
const MAX_SYMBOLS = 64;

/** Past the end of the bytes. */
const END = -1;
/** A code the table does not assign (an incomplete code's gap). */
const UNASSIGNED = -2;

class BitReader {
  private pos: number;
  private readonly end: number;

  constructor(
    private readonly bytes: Uint8Array,
    startByte: number,
  ) {
    this.pos = startByte * 8;
    this.end = bytes.length * 8;
  }

  /** `n` bits as a number, least significant first (header fields, extra bits); -1 past the end. */
  bits(n: number): number {
    if (this.pos + n > this.end) return -1;
    let v = 0;
    for (let i = 0; i < n; i++, this.pos++) v |= ((this.bytes[this.pos >> 3]! >> (this.pos & 7)) & 1) << i;
    return v;
  }

  toByte(): void {
    this.pos = (this.pos + 7) & ~7;
  }
}

/**
 * zlib's message for a stream that starts at `start` (raw DEFLATE), when its
 * first block header or first fixed-code symbols are invalid; undefined when
 * they are valid as far as read, or the bytes end first.
 */
export function deflateStartError(bytes: Uint8Array, start = 0): string | undefined {
  const r = new BitReader(bytes, start);
  const header = r.bits(3);
  if (header < 0) return undefined;
  switch (header >> 1) {
    case 0:
      return storedError(r);
    case 1:
      return fixedError(r);
    case 2:
      return dynamicError(r);
    default:
      return 'invalid block type';
  }
}

/**
 * The same for a zlib stream (RFC 1950): only when its two-byte header is one
 * zlib accepts without a preset dictionary is the DEFLATE data after it read;
 * otherwise zlib decides.
 */
export function zlibStartError(bytes: Uint8Array): string | undefined {
  if (bytes.length < 2) return undefined;
  const cmf = bytes[0]!;
  const flg = bytes[1]!;
  const acceptedHeader = (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0 && (flg & 0x20) === 0;
  return acceptedHeader ? deflateStartError(bytes, 2) : undefined;
}

function storedError(r: BitReader): string | undefined {
  r.toByte();
  const len = r.bits(16);
  const nlen = r.bits(16);
  if (nlen < 0) return undefined;
  return len !== (nlen ^ 0xffff) ? 'invalid stored block lengths' : undefined;
}

/**
 * A canonical Huffman code from its code lengths (RFC 1951 §3.2.2), decoded
 * a bit at a time. `check` says whether zlib's table builder (inftrees.c)
 * accepts the lengths: over-subscribed never, incomplete only when the
 * longest code is one bit (a lone code), or for the code-length code never.
 */
class Huffman {
  private readonly count = new Array<number>(16).fill(0);
  private readonly symbols: number[] = [];
  private readonly longest: number;

  constructor(lengths: readonly number[]) {
    for (const len of lengths) this.count[len]!++;
    this.count[0] = 0;
    let longest = 0;
    for (let len = 1; len <= 15; len++) if (this.count[len]! > 0) longest = len;
    this.longest = longest;
    // Symbols by length, then by value (counting sort: this runs for every dynamic block tried).
    const offsets = new Array<number>(16).fill(0);
    for (let len = 1; len < 15; len++) offsets[len + 1] = offsets[len]! + this.count[len]!;
    for (let sym = 0; sym < lengths.length; sym++) if (lengths[sym]! > 0) this.symbols[offsets[lengths[sym]!]!++] = sym;
  }

  /** 'over' (over-subscribed), 'incomplete', 'empty' (no codes) or 'ok'. */
  shape(): 'over' | 'incomplete' | 'empty' | 'ok' {
    if (this.longest === 0) return 'empty';
    let left = 1;
    for (let len = 1; len <= 15; len++) {
      left = left * 2 - this.count[len]!;
      if (left < 0) return 'over';
    }
    return left > 0 ? 'incomplete' : 'ok';
  }

  /** zlib accepts it for literal/length or distance codes (inftrees.c: incomplete only for a lone one-bit code). */
  acceptedForData(): boolean {
    const shape = this.shape();
    return shape === 'ok' || shape === 'empty' || (shape === 'incomplete' && this.longest === 1);
  }

  /** The next symbol; END past the bytes, UNASSIGNED for a code no symbol has. */
  decode(r: BitReader): number {
    if (this.longest === 0) return r.bits(1) < 0 ? END : UNASSIGNED;
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= this.longest; len++) {
      const bit = r.bits(1);
      if (bit < 0) return END;
      code |= bit;
      const count = this.count[len]!;
      if (code - first < count) return this.symbols[index + code - first]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    return UNASSIGNED;
  }
}

const FIXED_LITERAL_LENGTH = new Huffman(
  Array.from({ length: 288 }, (_, sym) => (sym < 144 ? 8 : sym < 256 ? 9 : sym < 280 ? 7 : 8)),
);
const FIXED_DISTANCE = new Huffman(new Array<number>(32).fill(5));

function fixedError(r: BitReader): string | undefined {
  return blockDataError(r, FIXED_LITERAL_LENGTH, FIXED_DISTANCE);
}

function dynamicError(r: BitReader): string | undefined {
  const hlit = r.bits(5);
  const hdist = r.bits(5);
  const hclen = r.bits(4);
  if (hclen < 0) return undefined;
  const nlen = hlit + 257;
  const ndist = hdist + 1;
  if (nlen > 286 || ndist > 30) return 'too many length or distance symbols';
  const codeLengths = new Array<number>(19).fill(0);
  for (let i = 0; i < hclen + 4; i++) {
    const len = r.bits(3);
    if (len < 0) return undefined;
    codeLengths[CODE_LENGTH_ORDER[i]!] = len;
  }
  const lengthCode = new Huffman(codeLengths);
  const shape = lengthCode.shape();
  if (shape === 'empty') return undefined; // zlib builds a table that fails later; let it say so
  if (shape !== 'ok') return 'invalid code lengths set';
  const lengths: number[] = [];
  while (lengths.length < nlen + ndist) {
    const sym = lengthCode.decode(r);
    if (sym < 0) return undefined;
    if (sym < 16) {
      lengths.push(sym);
      continue;
    }
    if (sym === 16 && lengths.length === 0) return 'invalid bit length repeat';
    const repeat = sym === 16 ? 3 + r.bits(2) : sym === 17 ? 3 + r.bits(3) : 11 + r.bits(7);
    if (repeat < 3) return undefined; // the extra bits ran past the end
    if (lengths.length + repeat > nlen + ndist) return 'invalid bit length repeat';
    const value = sym === 16 ? lengths[lengths.length - 1]! : 0;
    for (let i = 0; i < repeat; i++) lengths.push(value);
  }
  if (lengths[256] === 0) return 'invalid code -- missing end-of-block';
  const literalLength = new Huffman(lengths.slice(0, nlen));
  if (!literalLength.acceptedForData()) return 'invalid literal/lengths set';
  const distance = new Huffman(lengths.slice(nlen));
  if (!distance.acceptedForData()) return 'invalid distances set';
  return blockDataError(r, literalLength, distance);
}

/** The first symbols of a block's data: codes no symbol has, and matches reaching before the stream's start. */
function blockDataError(r: BitReader, literalLength: Huffman, distance: Huffman): string | undefined {
  let produced = 0;
  for (let n = 0; n < MAX_SYMBOLS; n++) {
    const sym = literalLength.decode(r);
    if (sym === END || sym === 256) return undefined; // the bytes ended, or the block did: zlib goes on from here
    if (sym === UNASSIGNED || sym > 285) return 'invalid literal/length code';
    if (sym < 256) {
      produced++;
      continue;
    }
    const length = matchLength(r, sym);
    if (length < 0) return undefined;
    const dcode = distance.decode(r);
    if (dcode === END) return undefined;
    if (dcode === UNASSIGNED || dcode > 29) return 'invalid distance code';
    const reach = matchDistance(r, dcode);
    if (reach < 0) return undefined;
    // A fresh stream has no window: a match may reach back only into what this stream produced.
    if (reach > produced) return 'invalid distance too far back';
    produced += length;
  }
  return undefined;
}

/** Length of a match from its symbol (257-285) and extra bits; -1 past the end. */
function matchLength(r: BitReader, sym: number): number {
  const c = sym - 257;
  if (c < 8) return 3 + c;
  if (c === 28) return 258;
  const extra = (c >> 2) - 1;
  const more = r.bits(extra);
  return more < 0 ? -1 : ((4 + (c & 3)) << extra) + 3 + more;
}

/** Distance of a match from its code (0-29) and extra bits; -1 past the end. */
function matchDistance(r: BitReader, code: number): number {
  if (code < 4) return code + 1;
  const extra = (code >> 1) - 1;
  const more = r.bits(extra);
  return more < 0 ? -1 : ((2 + (code & 1)) << extra) + 1 + more;
}
