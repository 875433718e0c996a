/**
 * A QCOW2 cluster compressed with Zstandard (compression_type 1): one zstd frame at the cluster's host offset,
 * followed by whatever shares its last sector. The frame's end is found from its own headers (RFC 8878 §3.1.1:
 * frame header, then 3-byte block headers with each block's size, then the optional 4-byte checksum), so fzstd
 * decodes that frame alone, into a buffer of one cluster (it allocates no window when given the output, and stops
 * with an error when the frame would write past it).
 */
import { decompress } from 'fzstd';

const MAGIC = 0xfd2fb528;

/** Where the zstd frame at the start of `b` ends, or undefined (not a frame, reserved bits, or cut short). */
export function zstdFrameEnd(b: Buffer): number | undefined {
  if (b.length < 6 || b.readUInt32LE(0) !== MAGIC) return undefined;
  const descriptor = b[4]!;
  if (descriptor & 0x08) return undefined;
  const singleSegment = (descriptor >> 5) & 1;
  const contentSizeFlag = descriptor >> 6;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!;
  const contentSizeBytes = contentSizeFlag ? 1 << contentSizeFlag : singleSegment;
  let at = 5 + (singleSegment ? 0 : 1) + dictionaryBytes + contentSizeBytes;
  for (;;) {
    if (at + 3 > b.length) return undefined;
    const header = b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
    const type = (header >> 1) & 3;
    if (type === 3) return undefined;
    at += 3 + (type === 1 ? 1 : header >>> 3);
    if (header & 1) break;
  }
  at += descriptor & 0x04 ? 4 : 0;
  return at <= b.length ? at : undefined;
}

/** The frame at the start of `stored`, decoded into at most `clusterSize` bytes, or undefined when it is not whole. */
export function inflateZstdCluster(stored: Buffer, clusterSize: number): Buffer | undefined {
  const end = zstdFrameEnd(stored);
  if (end === undefined) return undefined;
  const out = new Uint8Array(clusterSize);
  try {
    decompress(stored.subarray(0, end), out);
  } catch {
    return undefined;
  }
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}
