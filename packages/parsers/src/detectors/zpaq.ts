/**
 * ZPAQ archives (`.zpaq`), clear and encrypted with `zpaq -key`.
 * A clear archive is a sequence of blocks, each "zPQ", the ZPAQ level (1 or 2) and 1 (a
 * ZPAQL block), normally behind the 13-byte locator tag 37 6B 53 74 A0 31 83 D3 8C B2 28 B0
 * D3 that lets a reader find blocks in damaged or embedded data; the journaling format's
 * blocks are named "jDC<date>c<number>" (and "d", "h", "i" for data, fragment hashes,
 * index). With -key zpaq writes a 32-byte random salt and encrypts everything after it with
 * AES-256 in CTR mode under a key stretched from the password by scrypt: no magic, no
 * field in clear, and bytes indistinguishable from random from the first one. What is left to
 * go on is the name and the statistics: a `.zpaq` file is an archive, and an archive that
 * starts neither with the locator tag nor with a block is uniformly random only when it
 * is encrypted (a damaged one still shows blocks).
 * References: ZPAQ specification 2.06 (Matt Mahoney, zpaq.pdf §5-8); zpaq 7.15 zpaq.cpp
 * (the -key option, class Archive).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { probeFigures, uniformFromFirstByte } from './statistics-figures.js';
import { indexOf, locked, passwordHint, plain, startsWith } from './util.js';

const LOCATOR = '376b5374a03183d38cb228b0d3';
const LOCATOR_BYTES = Buffer.from(LOCATOR, 'hex');
const BLOCK = 'zPQ';
/** Below this many bytes the statistics cannot call a file random (a salt and one block are more). */
const MIN_ENCRYPTED = 256;

/** A block header ("zPQ", level 1 or 2, type 1) at `at`. */
function blockAt(h: Uint8Array, at: number): { level: number } | undefined {
  if (!startsWith(h, BLOCK, at) || h.length < at + 6) return undefined;
  const level = h[at + 3]!;
  return (level === 1 || level === 2) && h[at + 4] === 1 ? { level } : undefined;
}

export const zpaqDetector = defineDetector({
  meta: {
    id: 'zpaq',
    version: '1.0.0',
    title: 'ZPAQ archives, by their locator tag and block header',
    formats: [
      { id: 'zpaq', name: 'ZPAQ archive', status: 'analysable', how: 'signature', extensions: ['zpaq', 'zpq'] },
    ],
  },
  signatures: [
    { offset: 0, hex: LOCATOR },
    { offset: 0, ascii: BLOCK },
  ],
  minSize: 8,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const tagged = startsWith(h, LOCATOR_BYTES);
    const block = blockAt(h, tagged ? LOCATOR_BYTES.length : 0);
    if (!block) return undefined;
    // The first segment's name follows the block's ZPAQL header: a journaling archive's starts "jDC".
    const journal = indexOf(h.subarray(0, 128), 'jDC') >= 0;
    return plain('analysable', {
      id: 'zpaq',
      name: 'ZPAQ archive',
      confidence: tagged ? 0.95 : 0.85,
      code: 'ZPAQ_BLOCK',
      message: `${tagged ? 'ZPAQ locator tag, then a' : 'A'} ZPAQ level ${block.level} block header ("zPQ")${journal ? ', a journaling archive (its "jDC" transaction header)' : ''}: a clear archive, not encrypted (zpaq -key leaves no tag).`,
      figures: { level: block.level, locatorTag: tagged, journaling: journal },
    });
  },
});

export const zpaqEncryptedDetector = defineDetector({
  meta: {
    id: 'zpaq-encrypted',
    version: '1.0.0',
    title: 'ZPAQ archives encrypted with -key: a .zpaq name on uniformly random bytes',
    formats: [
      {
        id: 'zpaq-encrypted',
        name: 'ZPAQ archive, encrypted (zpaq -key)',
        status: 'encrypted',
        how: 'statistics',
        extensions: ['zpaq'],
      },
    ],
  },
  minSize: MIN_ENCRYPTED,
  fallback: true,
  priority: 30,
  detect(probe): Detection | undefined {
    if (probe.extension !== 'zpaq') return undefined;
    if (!uniformFromFirstByte(probe)) return undefined;
    const e = probeFigures(probe);
    return locked({
      id: 'zpaq-encrypted',
      name: 'ZPAQ archive, encrypted (zpaq -key)',
      confidence: 0.65,
      code: 'ZPAQ_ENCRYPTED_BY_NAME',
      message: `A .zpaq file whose bytes are uniformly random from the first one (entropy ${e.shannon} bits/byte, chi-square p=${e.chiSquareP}): a clear ZPAQ archive starts with its locator tag or a "zPQ" block; zpaq -key writes a 32-byte salt and AES-256-CTR ciphertext instead.`,
      figures: { shannon: e.shannon, chiSquareP: e.chiSquareP, sampledBytes: e.sampledBytes },
      scheme: 'zpaq-aes-256-ctr',
      keyHint: passwordHint(
        'The zpaq archive password (zpaq -key); the key is stretched from it by scrypt with the 32-byte salt at the start.',
      ),
    });
  },
});
