/**
 * Whether the bytes after a magic number look uniformly random: then a short
 * magic in front of them is a chance prefix of random (encrypted) data, unless
 * the format's body is compressed or encrypted by design. Used to judge the
 * answers of libmagic and file-type, which look at the magic only.
 */
import { byteHistogram, chiSquare, chiSquareUpperP, randomnessFigures } from '@evtriage/core/helpers';
import type { Probe } from '@evtriage/core/contract';
import { chiSquareUniform, expectedDistinct } from './statistics-figures.js';
import { zlibStreamNearStart } from './trial-decode.js';

/** What a file is when a format's magic stands before random bytes (statistics, libmagic): not ciphertext. */
export const DAMAGED_FILE = { id: 'damaged-file', name: 'Damaged or truncated file of a recognised format' } as const;

/** Uniformly random bytes after the first 64 (a magic number and a few fields): a chance match, unless the format is compressed or encrypted. */
function looksRandom(probe: Probe): { random: boolean; figures: Record<string, number> } {
  const head = probe.head.subarray(Math.min(64, probe.head.length >> 2));
  const blocks = [head, ...probe.samples.map((s) => s.bytes), probe.tail];
  // The chi-square test first: most bytes after a magic fail it, and then the deflate figure, the costly
  // part of randomnessFigures, is not needed (file-type asks this of every PE and PDF it names).
  const { counts, total } = byteHistogram(blocks);
  if (total >= 256) {
    const p = Math.round(chiSquareUpperP(chiSquare(counts, total)) * 1e6) / 1e6;
    if (!chiSquareUniform(p, total)) return { random: false, figures: {} };
  }
  const e = randomnessFigures(blocks);
  const figures = {
    shannon: e.shannon,
    chiSquareP: e.chiSquareP,
    compressionRatio: e.compressionRatio ?? 0,
    sampledBytes: e.sampledBytes,
  };
  if (e.sampledBytes >= 256)
    return {
      random:
        chiSquareUniform(e.chiSquareP, e.sampledBytes) && figures.compressionRatio >= 0.98 && !compressedBody(probe),
      figures,
    };
  // Too few bytes for a chi-square test: random bytes repeat few values, structure repeats many (zeros, fields).
  const distinct = new Set(probe.head).size;
  return {
    random: distinct >= 0.9 * expectedDistinct(probe.head.length),
    figures: { ...figures, distinctBytes: distinct },
  };
}

/**
 * A compressed body reads as random by design: a zlib stream that decodes right behind the header (a Git
 * pack's first object) says the bytes are data, not ciphertext, whatever libmagic's words for the format.
 */
function compressedBody(probe: Probe): boolean {
  return zlibStreamNearStart(probe.head) !== undefined;
}

/** Why a match is not taken when the bytes after the header look uniformly random; undefined when they do not. */
export function randomAfterHeader(probe: Probe): string | undefined {
  const r = looksRandom(probe);
  return r.random ? `the bytes after the header look uniformly random (${describeRandom(r.figures)})` : undefined;
}

function describeRandom(f: Record<string, number>): string {
  return f.distinctBytes !== undefined
    ? `${f.distinctBytes} distinct values in ${f.sampledBytes} bytes`
    : `chi-square p=${f.chiSquareP}, deflate ratio ${f.compressionRatio}`;
}
