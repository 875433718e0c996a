/**
 * Is a 512-byte sector uniformly random, as an encrypted volume header is
 * (VeraCrypt's salt and encrypted header, an encrypted partition's first
 * sector)? 512 bytes are too few for the chi-square test alone: the entropy
 * must also be near what 512 random bytes show (~7.6 bits/byte), the deflate
 * step must gain nothing and most byte values must occur. Random, not merely
 * varied: a byte counter (00 01 02 … ff) has every value once, passes the
 * entropy test and compresses to nothing.
 * A sector that starts a confirmed XZ, bzip2 or zstd stream is compressed
 * data written raw (a disk or partition holding an archive), not a volume
 * header, however uniform its bytes.
 * Used by the statistics fallback, the encrypted-partitions parser and the
 * guest-volume readers.
 */
import { byteHistogram, randomnessFigures } from '@evtriage/core/helpers';
import { compressedStreamAt } from './embedded-streams.js';
import { chiSquareUniform } from './statistics-figures.js';

export interface RandomSector {
  shannon: number;
  chiSquareP: number;
  distinct: number;
}

export function randomSector(sector: Uint8Array): RandomSector | undefined {
  if (sector.length < 512) return undefined;
  const bytes = sector.subarray(0, 512);
  // The cheap test first: most sectors (zeros, records, text) show few values, and need no deflate figure.
  const distinct = byteHistogram([bytes]).counts.filter((c) => c > 0).length;
  if (distinct < 190 || compressedStreamAt(bytes, 0)) return undefined;
  const f = randomnessFigures([bytes]);
  const uniform = chiSquareUniform(f.chiSquareP, f.sampledBytes) && (f.compressionRatio ?? 0) >= 0.98;
  return f.shannon >= 7.3 && uniform ? { shannon: f.shannon, chiSquareP: f.chiSquareP, distinct } : undefined;
}
