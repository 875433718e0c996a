import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ac3Frames, adtsFrames } from './audio-frames.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/file-type/${name}`, import.meta.url)));

describe('AAC (ADTS) and AC-3 frame chains', () => {
  it('chain through the streams ffmpeg writes', () => {
    const aac = fixture('tone.aac');
    const ac3 = fixture('tone.ac3');
    const eac3 = fixture('tone.eac3');
    expect(adtsFrames(aac, aac.length)).toBe(4);
    expect(ac3Frames(ac3, ac3.length)).toBe(4);
    expect(ac3Frames(eac3, eac3.length)).toBe(4);
    expect(ac3Frames(aac, aac.length)).toBe(0);
    expect(adtsFrames(ac3, ac3.length)).toBe(0);
  });

  it('do not chain behind a sync word followed by random bytes (fixed seed)', () => {
    let chained = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4096, maxLength: 4096 }), fc.boolean(), (bytes, adts) => {
        const h = Uint8Array.from(bytes);
        if (adts) h.set([0xff, 0xf1], 0);
        else h.set([0x0b, 0x77], 0);
        if ((adts ? adtsFrames(h, 1 << 20) : ac3Frames(h, 1 << 20)) > 0) chained++;
      }),
      { seed: 20261206, numRuns: 4000 },
    );
    // One random frame length in 4,096 or more lands on a second header of the same stream.
    expect(chained).toBeLessThanOrEqual(2);
  });

  it('never throw on flipped and cut streams (fixed seed)', () => {
    const seeds = [fixture('tone.aac'), fixture('tone.ac3'), fixture('tone.eac3')];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(),
        (seed, flips, cut) => {
          const h = Uint8Array.from(seed.subarray(0, cut % (seed.length + 1)));
          for (const [at, value] of flips) if (h.length > 0) h[at % h.length] = value;
          for (const count of [adtsFrames(h, h.length), ac3Frames(h, h.length)]) {
            expect(count).toBeGreaterThanOrEqual(0);
            expect(count).toBeLessThanOrEqual(4);
          }
        },
      ),
      { seed: 6122026, numRuns: 1500 },
    );
  });
});
