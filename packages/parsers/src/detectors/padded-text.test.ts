import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paddedText } from './padded-text.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/text/${name}`, import.meta.url));

describe('paddedText (fixtures: fixtures/text/generate.sh)', () => {
  it('sets aside the NUL runs of a pre-allocated log', () => {
    const found = paddedText(fixture('preallocated.log').subarray(0, 16384));
    expect(found).toMatchObject({ textBytes: 6000, nulBytes: 10384, noiseBytes: 0 });
  });

  it('counts a few stray bytes as noise', () => {
    expect(paddedText(fixture('stray-bytes.log'))).toMatchObject({ textBytes: 6000, noiseBytes: 3 });
  });

  it('refuses text with short NUL runs (binary records with text fields) or too much noise', () => {
    const log = fixture('stray-bytes.log');
    // A NUL terminator every 40 bytes: records, not a log.
    const records = Buffer.from(log.map((b, i) => (i % 40 === 39 ? 0 : b)));
    expect(paddedText(records)).toBeUndefined();
    const noisy = Buffer.from(log.map((b, i) => (i % 100 === 0 ? 0x01 : b)));
    expect(paddedText(noisy)).toBeUndefined();
  });

  it('calls none of 6,000 random buffers text, whole or half zeroed', () => {
    let hits = 0;
    for (let n = 0; n < 6000; n++) {
      const size = [256, 300, 512, 1024, 4096, 16384][n % 6]!;
      const b = new Uint8Array(randomBytes(size));
      if (n % 2 === 0) b.fill(0, 0, size >> 1);
      if (paddedText(b)) hits++;
    }
    expect(hits).toBe(0);
  });
});
