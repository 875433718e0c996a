/**
 * Files encrypted by bcrypt, the Blowfish file encryptor (Johnny Shelley, 2002; `.bfe`; not the
 * password hash of the same name). bcrypt only decrypts files named `.bfe`, and writes:
 * one byte for the byte order of the machine that wrote it ('E' 0x45 big-endian, 'T' 0x54
 * little-endian), one compression flag (1 when the data was zlib-compressed first, else 0),
 * then Blowfish in ECB mode over the data with the mutated 56-byte key appended (for the
 * password check on decryption), padded to whole 8-byte blocks, and, when compressed, the
 * original size (u32, in the writer's byte order) in clear at the end. Two header bytes are
 * weak alone: the block arithmetic of the length, the 56 key bytes' worth of blocks and
 * uniformly random blocks must agree. Named `.bfe`, that is enough. Under any other name
 * (a renamed or carved file) the bytes must carry more: at least UNNAMED_MIN_DISTINCT_BYTES of
 * distinct blocks that also pass a chi-square test, and a compressed file's clear original size
 * must be one zlib could have shrunk to the blocks there are.
 * Reference: bcrypt 1.1 sources (wrapbf.c BFEncrypt, endian.c getEndian, defines.h, rwfile.c).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { spreadLikeRandom, uniformByChiSquare } from './statistics-figures.js';
import { afterStructureEnd, locked, notingZeroPadding, passwordHint, probeBytes, wholeBlocksEnd } from './util.js';

const BIG = 0x45;
const LITTLE = 0x54;
const BLOCK = 8;
/** MAXKEYBYTES: the mutated key bcrypt appends before encrypting, so every file has at least these many bytes of blocks. */
const KEY_BYTES = 56;
/** Bytes of ciphertext tested for randomness (the head holds them for any file worth a check). */
const SAMPLE = 4096;
/** The appended key alone makes 7 distinct blocks; any data at least one more. */
const MIN_DISTINCT_BLOCKS = 8;
/**
 * Without the name: 32 distinct blocks, enough bytes for a chi-square over the byte values to mean something
 * (a named file of zeros, 8 distinct blocks, still needs its name).
 */
const UNNAMED_MIN_DISTINCT_BYTES = 256;
/** zlib's best ratio is about 1032:1 (deflate's longest match, 258 bytes, in under 2 bits); a little slack. */
const ZLIB_MAX_RATIO = 1040;

/** zlib's compressBound: the most a deflate stream of `size` bytes can take. */
function zlibBound(size: number): number {
  return size + (size >>> 12) + (size >>> 14) + (size >>> 25) + 13;
}

/**
 * Whether a compressed file's clear trailing size agrees with its blocks: the zlib stream is the blocks less the
 * 56-byte key and 0 to 7 bytes of padding, so it lies between `blocks - 63` and `blocks - 56` bytes, which the
 * original size must be able to produce (not above compressBound, not below 1/1040 of it).
 */
function originalSizeFits(originalSize: number, blocks: number): boolean {
  const longest = blocks - KEY_BYTES;
  const shortest = Math.max(8, longest - (BLOCK - 1));
  return originalSize > 0 && zlibBound(originalSize) >= shortest && originalSize <= ZLIB_MAX_RATIO * longest;
}

/** The distinct 8-byte blocks of `b`, in order of first appearance, joined. */
function distinctBlocks(b: Uint8Array): Uint8Array {
  const seen = new Set<string>();
  const out: number[] = [];
  for (let at = 0; at + BLOCK <= b.length; at += BLOCK) {
    const block = b.subarray(at, at + BLOCK);
    const key = Buffer.from(block).toString('latin1');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(...block);
  }
  return Uint8Array.from(out);
}

/** The clear u32 after the blocks of a compressed file, in the writer's byte order, when the probe holds it. */
function readOriginalSize(probe: Probe, fileEnd: number, bigEndian: boolean): number | undefined {
  const b = probeBytes(probe, fileEnd - 4, 4);
  if (!b || b.length < 4) return undefined;
  const view = new DataView(b.buffer, b.byteOffset, 4);
  return view.getUint32(0, !bigEndian);
}

export const bcryptBfeDetector = defineDetector({
  meta: {
    id: 'bcrypt-bfe',
    version: '1.1.0',
    title: 'bcrypt (Blowfish file encryptor) .bfe files',
    formats: [
      {
        id: 'bcrypt-bfe',
        name: 'bcrypt encrypted file (Blowfish)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['bfe'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '4500' },
    { offset: 0, hex: '4501' },
    { offset: 0, hex: '5400' },
    { offset: 0, hex: '5401' },
  ],
  minSize: 2 + KEY_BYTES + BLOCK,
  priority: 30,
  detect(probe): Detection | undefined {
    const named = probe.extension === 'bfe';
    const h = probe.head;
    const order = h[0] === BIG ? 'big-endian' : h[0] === LITTLE ? 'little-endian' : undefined;
    const compressed = h[1] === 1;
    if (!order || h[1]! > 1) return undefined;
    // A line end or NULs after the last whole block (and the compressed file's size word) are no block's: set aside.
    const fileEnd = wholeBlocksEnd(probe, 2, BLOCK, compressed ? 4 : 0);
    if (fileEnd === undefined) return undefined;
    const blocks = fileEnd - 2 - (compressed ? 4 : 0);
    if (blocks < KEY_BYTES + BLOCK) return undefined;
    // ECB encrypts equal blocks alike (a file of zeros is one block repeated): the distinct blocks must look
    // random. The last 64 bytes of ciphertext hold the appended key, distinct blocks whatever the data.
    const end = 2 + blocks;
    const from = Math.max(2, end - 2 * KEY_BYTES);
    const last = probeBytes(probe, from, end - from) ?? new Uint8Array(0);
    const head = h.subarray(2, Math.min(end, 2 + SAMPLE));
    const distinct = distinctBlocks(Buffer.concat([head.subarray(0, head.length - (head.length % BLOCK)), last]));
    if (distinct.length < MIN_DISTINCT_BLOCKS * BLOCK || !spreadLikeRandom(distinct)) return undefined;
    const originalSize = compressed ? readOriginalSize(probe, fileEnd, order === 'big-endian') : undefined;
    if (!named) {
      if (distinct.length < UNNAMED_MIN_DISTINCT_BYTES || !uniformByChiSquare([distinct])) return undefined;
      if (compressed && (originalSize === undefined || !originalSizeFits(originalSize, blocks))) return undefined;
    }
    const layout = compressed
      ? `zlib-compressed first, the original size at the end${originalSize === undefined ? '' : ` (${originalSize} bytes${named ? '' : ', one zlib could shrink to these blocks'})`}`
      : 'not compressed';
    const detection = locked({
      id: 'bcrypt-bfe',
      name: 'bcrypt encrypted file (Blowfish)',
      confidence: named ? 0.85 : 0.7,
      code: named ? 'BCRYPT_BFE' : 'BCRYPT_BFE_STRUCTURE',
      message: named
        ? `A .bfe file with bcrypt's header (written on a ${order} machine, ${layout}) and ${blocks} bytes of random-looking 8-byte blocks, at least the ${KEY_BYTES}-byte key bcrypt appends: Blowfish-ECB ciphertext under a key from the passphrase.`
        : `bcrypt's header (written on a ${order} machine, ${layout}) under a name without .bfe, and ${blocks} bytes of whole 8-byte blocks, ${distinct.length} of them in distinct blocks that pass a chi-square test: Blowfish-ECB ciphertext under a key from the passphrase.`,
      figures: {
        byteOrder: order,
        compressed,
        cipherBytes: blocks,
        ...(originalSize === undefined ? {} : { originalSize }),
      },
      scheme: 'bcrypt-blowfish-ecb',
      keyHint: passwordHint('The bcrypt passphrase (8 to 56 characters).'),
    });
    return notingZeroPadding(detection, afterStructureEnd(probe, fileEnd), 'the header and blocks before them');
  },
});
