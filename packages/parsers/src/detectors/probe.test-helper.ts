import fs from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection, type DetectorPlugin, type Probe } from '@evtriage/core';

/**
 * A probe of `b` as the engine reads one: the head (16 KiB), `samples` blocks of 4 KiB spread between, the tail
 * (8 KiB); the whole file as the head when it fits.
 */
export function readProbe(b: Uint8Array, name: string, samples = 3): Probe {
  const complete = b.length <= 16384;
  return {
    path: name,
    logicalPath: name,
    name,
    extension: name.split('.').pop()!,
    size: b.length,
    head: b.subarray(0, 16384),
    tail: complete ? new Uint8Array(0) : b.subarray(b.length - 8192),
    samples: complete
      ? []
      : Array.from({ length: samples }, (_, i) => {
          const offset = Math.floor((b.length * (i + 1)) / (samples + 1));
          return { offset, bytes: b.subarray(offset, offset + 4096) };
        }),
    complete,
  };
}

/** The bytes of a committed fixture. */
export const fixtureBytes = (dir: string, name: string): Uint8Array =>
  new Uint8Array(fs.readFileSync(new URL(`../../fixtures/${dir}/${name}`, import.meta.url)));

/** A probe of a whole small file (head = all its bytes), for calling a detector directly in a test. */
export function wholeFileProbe(bytes: Uint8Array, name = 'x'): Probe {
  const dot = name.lastIndexOf('.');
  return {
    path: name,
    logicalPath: name,
    name,
    extension: dot > 0 ? name.slice(dot + 1).toLowerCase() : '',
    size: bytes.length,
    head: bytes,
    tail: new Uint8Array(),
    samples: [],
    complete: true,
  };
}

/**
 * Damaged copies of every fixture in `dir` (scripts aside), the same on every run: `rounds` per fixture, every
 * fourth cut at a random length, each with 1-8 bytes overwritten. Yields [file name, bytes].
 */
export function* damagedFixtureCopies(dir: URL, rounds = 200, seed = 20261206): Generator<[string, Uint8Array]> {
  let s = seed;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (const name of fs.readdirSync(dir)) {
    if (/\.(sh|py)$/.test(name)) continue;
    const bytes = new Uint8Array(fs.readFileSync(new URL(name, dir)));
    for (let round = 0; round < rounds; round++) {
      const copy = bytes.slice(0, round % 4 === 0 ? Math.floor(rand() * bytes.length) : bytes.length);
      for (let i = 0; i < 1 + (round % 8); i++) copy[Math.floor(rand() * copy.length)] = Math.floor(rand() * 256);
      yield [name, copy];
    }
  }
}

/**
 * A fixed-seed mutation fuzz of a synchronous detector, registered as one test: seeds with bytes flipped, cut
 * short and grown; no exception, every answer one of the detector's declared formats, and more than
 * `minRecognised` answers (the mutants still reach the detector's checks). Seeds are [name, bytes]: the name is
 * the probe's. `wholeHalf`: half the runs keep the whole seed (flips only), for detectors that need a file's size
 * or its end to agree (4 flips at most, 1,500 runs); `ctx` is the detector context (default: the default limits).
 */
export function fuzzFlipCutGrow(
  detector: DetectorPlugin,
  seeds: ReadonlyArray<readonly [string, Uint8Array]>,
  minRecognised: number,
  options: { wholeHalf?: boolean; ctx?: Parameters<DetectorPlugin['detect']>[1] } = {},
): void {
  const { wholeHalf = false, ctx = { limits: DEFAULT_LIMITS } } = options;
  it(wholeHalf ? 'no exception on flipped and cut inputs' : 'no exception on flipped, cut and grown inputs', () => {
    const formats = new Set(detector.meta.formats.map((f) => f.id));
    let recognised = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: wholeHalf ? 4 : 6 }),
        fc.nat(),
        ([name, seed], flips, cut) => {
          const bytes = Buffer.from(
            wholeHalf
              ? cut % 2 === 0
                ? seed
                : seed.subarray(0, cut % (seed.length + 1))
              : seed.subarray(0, cut % (seed.length + 8)),
          );
          for (const [at, v] of flips) if (bytes.length > 0) bytes[at % bytes.length] = v;
          const d = detector.detect(wholeFileProbe(bytes, name), ctx) as Detection | undefined;
          if (d && !Array.isArray(d)) {
            expect(formats.has(d.format.id)).toBe(true);
            recognised++;
          }
        },
      ),
      { numRuns: wholeHalf ? 1500 : 2000, seed: 1206 },
    );
    expect(recognised).toBeGreaterThan(minRecognised);
  });
}
