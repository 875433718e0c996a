/**
 * A bounded LZ4 block decoder for detectors that must read a small
 * compressed table (Unity's bundle block table): the output stops at
 * `expected` bytes, and anything that breaks the block format (a match
 * offset of 0 or before the output, a run past the input) gives undefined.
 * Reference: lz4/lz4 doc/lz4_Block_format.md.
 */
export function decodeLz4Block(src: Uint8Array, expected: number): Uint8Array | undefined {
  const out = new Uint8Array(expected);
  let ip = 0;
  let op = 0;
  while (ip < src.length) {
    const token = src[ip++]!;
    let literals = token >> 4;
    if (literals === 15) {
      let more = 255;
      while (more === 255) {
        if (ip >= src.length) return undefined;
        more = src[ip++]!;
        literals += more;
      }
    }
    if (ip + literals > src.length || op + literals > expected) return undefined;
    out.set(src.subarray(ip, ip + literals), op);
    ip += literals;
    op += literals;
    // The last sequence is literals only.
    if (ip === src.length) break;
    if (ip + 2 > src.length) return undefined;
    const offset = src[ip]! | (src[ip + 1]! << 8);
    ip += 2;
    if (offset === 0 || offset > op) return undefined;
    let length = token & 15;
    if (length === 15) {
      let more = 255;
      while (more === 255) {
        if (ip >= src.length) return undefined;
        more = src[ip++]!;
        length += more;
      }
    }
    length += 4;
    if (op + length > expected) return undefined;
    // Byte by byte: a match may overlap the bytes it is copying.
    for (let i = 0; i < length; i++, op++) out[op] = out[op - offset]!;
  }
  return op === expected ? out : undefined;
}
