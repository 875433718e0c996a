/**
 * The start of a headerless LHA static-Huffman stream (-lh4- to -lh7-, the methods of LHA 2 and later), read
 * without an archive around it: the first block's header. Each block opens with its command count (16 bits)
 * and three Huffman code-length tables sent most significant bit first: the "temporary" table (5-bit count,
 * up to 19 lengths of 3 bits, 7 extended by a run of 1 bits, a 2-bit run of zeros after the third) that codes
 * the command table's lengths; the command table (9-bit count, up to 510 lengths read through the temporary
 * code, codes 0-2 a run of zero lengths); the offset table (a 4-bit count for -lh5-, 5-bit for -lh6- and
 * -lh7-, lengths as in the first). A count of zero sends one symbol instead. LHA's encoder builds every table
 * of two or more symbols by Huffman's method, so its lengths fill the code space exactly (Kraft sum 1): three
 * such sums from the first bits of random data hold together about once in a million. A stream whose first
 * block passes is compressed data, not ciphertext.
 * Reference: lhasa (lib/lh_new_decoder.c, lib/tree_decode.c), LHA's huf.c (send_block, make_tree).
 */

/** Longest code LHA writes (its tables are 16-bit). */
const MAX_CODE_LENGTH = 16;
const TEMP_CODES = 19;
const COMMAND_CODES = 510;

/** The methods by the width of the offset table's count and the history they address. */
const METHODS = [
  { method: '-lh5-', countBits: 4, offsetCodes: 14 },
  { method: '-lh6- or -lh7-', countBits: 5, offsetCodes: 17 },
] as const;

export interface LzhStart {
  method: string;
  /** Commands in the first block. */
  blockCommands: number;
  /** Symbols with a code in each table (1 when the table sends a single symbol). */
  tempCodes: number;
  commandCodes: number;
  offsetCodes: number;
  /** Bits the block header took. */
  headerBits: number;
}

class Bits {
  at = 0;
  constructor(private readonly b: Uint8Array) {}
  /** `n` bits, most significant first; -1 past the end. */
  read(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.b[this.at >> 3];
      if (byte === undefined) return -1;
      v = (v << 1) | ((byte >> (7 - (this.at & 7))) & 1);
      this.at++;
    }
    return v;
  }
}

/** A code length: 3 bits, 7 extended by each 1 bit up to a 0. Undefined past the end or beyond 16. */
function lengthValue(bits: Bits): number | undefined {
  let len = bits.read(3);
  if (len < 0) return undefined;
  if (len === 7)
    for (;;) {
      const bit = bits.read(1);
      if (bit < 0) return undefined;
      if (bit === 0) break;
      if (++len > MAX_CODE_LENGTH) return undefined;
    }
  return len;
}

/** Whether the lengths fill the code space exactly with two or more codes (a Huffman code). */
function complete(lengths: readonly number[]): boolean {
  let sum = 0;
  let codes = 0;
  for (const len of lengths)
    if (len > 0) {
      sum += 2 ** (MAX_CODE_LENGTH - len);
      codes++;
    }
  return codes >= 2 && sum === 2 ** MAX_CODE_LENGTH;
}

/** A canonical decoder for `lengths` (codes by length, then symbol), as lhasa and LHA build their tables. */
function canonical(lengths: readonly number[]): (bits: Bits) => number {
  const order = lengths
    .map((len, symbol) => ({ len, symbol }))
    .filter((c) => c.len > 0)
    .sort((a, b) => a.len - b.len || a.symbol - b.symbol);
  return (bits) => {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAX_CODE_LENGTH; len++) {
      const bit = bits.read(1);
      if (bit < 0) return -1;
      code = (code << 1) | bit;
      let count = 0;
      while (index + count < order.length && order[index + count]!.len === len) count++;
      if (code - first < count) return order[index + code - first]!.symbol;
      index += count;
      first = (first + count) << 1;
    }
    return -1;
  };
}

/** A table of lengths sent as 3-bit values; `skipAfterThird` for the temporary table. Undefined if not a Huffman code. */
function lengthTable(bits: Bits, countBits: number, max: number, skipAfterThird: boolean): number[] | undefined {
  const n = bits.read(countBits);
  if (n < 0) return undefined;
  if (n === 0) {
    const only = bits.read(countBits);
    return only >= 0 && only < max ? [only] : undefined;
  }
  if (n > max) return undefined;
  const lengths: number[] = [];
  while (lengths.length < n) {
    const len = lengthValue(bits);
    if (len === undefined) return undefined;
    lengths.push(len);
    if (skipAfterThird && lengths.length === 3) {
      const zeros = bits.read(2);
      if (zeros < 0 || lengths.length + zeros > n) return undefined;
      for (let i = 0; i < zeros; i++) lengths.push(0);
    }
  }
  return complete(lengths) ? lengths : undefined;
}

/** The command table, its lengths read through the temporary code. Undefined if not a Huffman code. */
function commandTable(bits: Bits, temp: number[]): number[] | undefined {
  const n = bits.read(9);
  if (n <= 0 || n > COMMAND_CODES || temp.length === 1) return undefined;
  const next = canonical(temp);
  const lengths: number[] = [];
  while (lengths.length < n) {
    const code = next(bits);
    if (code < 0) return undefined;
    if (code > 2) {
      if (code - 2 > MAX_CODE_LENGTH) return undefined;
      lengths.push(code - 2);
      continue;
    }
    const extra = code === 0 ? 0 : bits.read(code === 1 ? 4 : 9);
    if (extra < 0) return undefined;
    const run = code === 0 ? 1 : code === 1 ? extra + 3 : extra + 20;
    if (lengths.length + run > n) return undefined;
    for (let i = 0; i < run; i++) lengths.push(0);
  }
  return complete(lengths) ? lengths : undefined;
}

/** The first block header of a headerless -lh5- to -lh7- stream at the start of `bytes`, or undefined. */
export function lzhStaticHuffmanStart(bytes: Uint8Array): LzhStart | undefined {
  for (const { method, countBits, offsetCodes } of METHODS) {
    const bits = new Bits(bytes);
    const blockCommands = bits.read(16);
    if (blockCommands <= 0) continue;
    const temp = lengthTable(bits, 5, TEMP_CODES, true);
    if (!temp) continue;
    const commands = commandTable(bits, temp);
    if (!commands) continue;
    const offsets = lengthTable(bits, countBits, offsetCodes, false);
    if (!offsets) continue;
    const coded = (t: number[]) => (t.length === 1 ? 1 : t.filter((x) => x > 0).length);
    return {
      method,
      blockCommands,
      tempCodes: coded(temp),
      commandCodes: coded(commands),
      offsetCodes: coded(offsets),
      headerBits: bits.at,
    };
  }
  return undefined;
}
