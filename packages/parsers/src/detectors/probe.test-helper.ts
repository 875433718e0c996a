import fc from 'fast-check';
import { expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection, type DetectorPlugin, type Probe } from '@evtriage/core';

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
 * A fixed-seed mutation fuzz of a synchronous detector, registered as one test: seeds cut short, grown and with
 * bytes flipped; no exception, every answer one of the detector's declared formats, and at least `minRecognised`
 * answers (the mutants still reach the detector's checks). Seeds are [name, bytes]: the name is the probe's.
 */
export function fuzzFlipCutGrow(
  detector: DetectorPlugin,
  seeds: ReadonlyArray<readonly [string, Uint8Array]>,
  minRecognised: number,
): void {
  it('no exception on flipped, cut and grown inputs', () => {
    const formats = new Set(detector.meta.formats.map((f) => f.id));
    let recognised = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        ([name, seed], flips, cut) => {
          const bytes = Buffer.from(seed.subarray(0, cut % (seed.length + 8)));
          for (const [at, v] of flips) if (bytes.length > 0) bytes[at % bytes.length] = v;
          const d = detector.detect(wholeFileProbe(bytes, name), { limits: DEFAULT_LIMITS }) as Detection | undefined;
          if (d && !Array.isArray(d)) {
            expect(formats.has(d.format.id)).toBe(true);
            recognised++;
          }
        },
      ),
      { numRuns: 2000, seed: 1206 },
    );
    expect(recognised).toBeGreaterThan(minRecognised);
  });
}
