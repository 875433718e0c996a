import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { appleKernelcacheDetector } from './apple-kernelcache.js';
import { wholeFileProbe } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/apple-kernelcache/', import.meta.url);

// Written from the published layouts around a Mach-O ld64.lld linked (fixtures/apple-kernelcache/generate.py).
testDetector(
  appleKernelcacheDetector,
  {
    fixtures,
    valid: [
      {
        file: 'prelinkedkernel',
        format: 'apple-compressed-kernelcache',
        status: 'analysable',
        reasons: ['APPLE_COMPRESSED_KERNELCACHE'],
      },
      {
        file: 'kernelcache.lzvn',
        format: 'apple-compressed-kernelcache',
        status: 'analysable',
        reasons: ['APPLE_COMPRESSED_KERNELCACHE'],
      },
    ],
    invalid: [{ file: 'garbled', name: 'the LZSS header over random bytes' }],
  },
  { framework: { describe, it } },
);

describe('compressed kernel caches through the whole engine', () => {
  it('names them, and leaves the garbled one unnamed', async () => {
    const items = await scanFixtures('apple-kernelcache');
    expect(items.get('prelinkedkernel')?.format?.id).toBe('apple-compressed-kernelcache');
    expect(items.get('kernelcache.lzvn')?.classification.status).toBe('analysable');
    expect(items.get('garbled')?.format?.id).not.toBe('apple-compressed-kernelcache');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: apple-kernelcache', () => {
  const seeds: Array<[string, Buffer]> = ['prelinkedkernel', 'kernelcache.lzvn'].map((name) => [
    name,
    fs.readFileSync(new URL(name, fixtures)).subarray(0, 1024),
  ]);
  it('no exception on flipped, cut and grown inputs', () => {
    let recognised = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        ([name, seed], flips, cut) => {
          const bytes = Buffer.from(seed.subarray(0, cut % (seed.length + 8)));
          for (const [at, v] of flips) if (bytes.length > 0) bytes[at % bytes.length] = v;
          // The probe of a large file: the head only, its real size (the compressed size must fit).
          const probe = { ...wholeFileProbe(bytes, name), size: 60000, complete: false };
          const d = appleKernelcacheDetector.detect(probe, { limits: DEFAULT_LIMITS });
          if (d && !Array.isArray(d)) {
            expect((d as { format: { id: string } }).format.id).toBe('apple-compressed-kernelcache');
            recognised++;
          }
        },
      ),
      { numRuns: 2000, seed: 1206 },
    );
    expect(recognised).toBeGreaterThan(100);
  });
});
