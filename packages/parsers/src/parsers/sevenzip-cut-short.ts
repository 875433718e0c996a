/**
 * A 7z file whose end header is lost (cut short, carved, or the first piece of
 * a byte-split set) still holds its packed streams from byte 32. Their first
 * bytes tell a coder that compresses from one that encrypts:
 * - LZMA and PPMd (7z's range coders) always write 0 first (an AES stream
 *   starting with 0, 1 in 256, is missed);
 * - LZMA2 opens with a chunk that resets the dictionary: control 0x01
 *   (uncompressed) or 0xE0-0xFF (LZMA, then sizes, a properties byte below
 *   225, and the LZMA stream's 0);
 * - BZip2 `BZh1-9` and its block magic; Zstandard's frame magic; Deflate and
 *   Deflate64 inflate raw; the copy coder keeps the member's own signature or
 *   non-uniform bytes.
 * 7zAES (AES-256-CBC) is the only cipher 7z has, and its output is uniform:
 * none of the above and the bytes uniform (chi-square) is an encrypted stream.
 * Reference: 7-Zip DOC/7zFormat.txt (SignatureHeader, PackInfo at byte 32),
 * DOC/Methods.txt; LZMA SDK LzmaDec.c (first byte 0), Ppmd7z range decoder;
 * xz file-format 1.1.0 §5.3.1 (LZMA2 chunks).
 */
import zlib from 'node:zlib';
import { randomnessFigures } from '@evtriage/core/helpers';

export type PackedStart =
  | { coder: 'lzma-or-ppmd' | 'lzma2' | 'bzip2' | 'zstd' | 'deflate'; what: string }
  | { coder: 'copy'; what: string }
  | { coder: 'uniform'; what: string; chiSquareP: number; shannon: number; bytes: number }
  | { coder: 'too-short'; what: string };

/** Bytes of the packed streams judged (from byte 32). */
export const JUDGED_BYTES = 64 * 1024;
/** Fewer packed bytes than this are too few for a verdict on statistics. */
const MIN_STATISTICS_BYTES = 1024;
/** Uniform when the chi-square's upper tail probability is above this. */
const UNIFORM_P = 0.001;
/** Raw inflate of 2 KiB of random bytes gives 512 bytes without an error in fewer than 1 of 20,000 tries. */
const DEFLATE_MIN_OUTPUT = 512;

/** Signatures a stored (copy-coder) member commonly starts with: its bytes are the member's own. */
const STORED_SIGNATURES: ReadonlyArray<[string, string]> = [
  ['504b0304', 'ZIP'],
  ['1f8b08', 'gzip'],
  ['ffd8ff', 'JPEG'],
  ['89504e470d0a1a0a', 'PNG'],
  ['25504446', 'PDF'],
  ['526172211a07', 'RAR'],
  ['fd377a585a00', 'xz'],
  ['377abcaf271c', '7z'],
  ['4f676753', 'Ogg'],
  ['664c6143', 'FLAC'],
  ['494433', 'ID3/MP3'],
  ['52494646', 'RIFF'],
  ['47494638', 'GIF'],
  ['d0cf11e0a1b11ae1', 'OLE2'],
];

function startsWith(b: Uint8Array, hex: string): boolean {
  const sig = Buffer.from(hex, 'hex');
  return b.length >= sig.length && sig.every((v, i) => b[i] === v);
}

function inflatesRaw(b: Uint8Array): boolean {
  try {
    const out = zlib.inflateRawSync(b.subarray(0, 2048), {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
      maxOutputLength: 1 << 20,
    });
    return out.length >= DEFLATE_MIN_OUTPUT;
  } catch (e) {
    return (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
  }
}

/** What coder the bytes at the start of the packed streams (byte 32 on) came from. */
export function judgePackedStart(b: Uint8Array): PackedStart {
  if (b.length < 8) return { coder: 'too-short', what: `${b.length} packed bytes` };
  const hex = (n: number): string => `0x${b[n]!.toString(16).padStart(2, '0')}`;
  if (b[0] === 0) return { coder: 'lzma-or-ppmd', what: "a range coder's first byte 0 (LZMA or PPMd)" };
  if (b[0]! >= 0xe0 && b[5]! < 225 && b[6] === 0)
    return {
      coder: 'lzma2',
      what: `an LZMA2 chunk resetting the dictionary (control ${hex(0)}, properties ${hex(5)}, LZMA's first byte 0)`,
    };
  if (b[0] === 0x01 && b.length > 3 + ((b[1]! << 8) | b[2]!) + 1) {
    const next = b[3 + ((b[1]! << 8) | b[2]!) + 1]!;
    if (next <= 0x02 || next >= 0xc0)
      return {
        coder: 'lzma2',
        what: `an uncompressed LZMA2 chunk followed by a valid control byte 0x${next.toString(16)}`,
      };
  }
  if (/^BZh[1-9]1AY&SY/.test(Buffer.from(b.subarray(0, 10)).toString('latin1')))
    return { coder: 'bzip2', what: 'the BZip2 stream header and block magic' };
  if (startsWith(b, '28b52ffd')) return { coder: 'zstd', what: 'the Zstandard frame magic' };
  for (const [sig, name] of STORED_SIGNATURES)
    if (startsWith(b, sig)) return { coder: 'copy', what: `a stored member's own ${name} signature` };
  if (inflatesRaw(b)) return { coder: 'deflate', what: 'raw Deflate that inflates' };
  if (b.length < MIN_STATISTICS_BYTES)
    return { coder: 'too-short', what: `${b.length} packed bytes, too few for statistics` };
  const f = randomnessFigures([b]);
  if (f.chiSquareP > UNIFORM_P)
    return { coder: 'uniform', what: 'uniform bytes', chiSquareP: f.chiSquareP, shannon: f.shannon, bytes: b.length };
  return {
    coder: 'copy',
    what: `bytes that are not uniform (chi-square p ${f.chiSquareP}, ${f.shannon} bits/byte): no cipher's output`,
  };
}
