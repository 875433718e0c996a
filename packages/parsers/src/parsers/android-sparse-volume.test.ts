import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParseContext } from '@evtriage/core/contract';
import { testParser } from '@evtriage/core/testing';
import { libmagicDetector } from '../detectors/libmagic.js';
import { androidSparseVolumeParser } from './android-sparse-volume.js';

// img2simg's sparse images of a LUKS2 volume, of a partition that starts with random bytes, and of an ext4 file
// system (fixtures/android-sparse-volume/generate.sh); libmagic names the sparse header.
testParser(
  androidSparseVolumeParser,
  {
    fixtures: new URL('../../fixtures/android-sparse-volume/', import.meta.url),
    detectors: [libmagicDetector],
    valid: [
      {
        file: 'luks2.sparse.img',
        format: 'android-sparse-image-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'luks2-aes-xts-plain64', keyHint: { kind: 'password' } },
        details: { partitionBytes: 1048576, chunks: 6, volume: 'luks2' },
      },
      {
        file: 'random.sparse.img',
        format: 'android-sparse-image-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'unknown-full-disk-encryption', scope: 'full' },
        details: { partitionBytes: 262144, volume: 'random-start' },
      },
      { file: 'ext4.sparse.img', format: 'android-sparse-image', status: 'analysable' },
    ],
    invalid: [{ file: 'luks2-chunk-bad.img', diagnostics: ['SPARSE_CHUNKS_DAMAGED'] }],
  },
  { framework: { describe, it } },
);

// Flipped and cut copies (fixed seed): a result or nothing, never an exception, reads no larger than 16 KiB, and
// only declared diagnostics.
describe('fuzz: android-sparse-volume on damaged sparse headers and chunks', () => {
  const seeds = ['luks2.sparse.img', 'random.sparse.img', 'ext4.sparse.img'].map((name) =>
    fs.readFileSync(new URL(`../../fixtures/android-sparse-volume/${name}`, import.meta.url)),
  );
  const declared = new Set(Object.keys(androidSparseVolumeParser.meta.diagnostics ?? {}));
  it('no exception, bounded reads', async () => {
    let encrypted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        async (seed, flips, cut) => {
          const bytes = Buffer.from(cut % 2 === 0 ? seed : seed.subarray(0, cut % (seed.length + 1)));
          // Half the flips land in the file header and first chunk headers, where the walk decides.
          for (const [at, v] of flips) if (bytes.length > 0) bytes[(at % 2 === 0 ? at % 64 : at) % bytes.length] = v;
          const codes: string[] = [];
          let largest = 0;
          const ctx = {
            item: { size: bytes.length },
            probe: { path: 'x.img', logicalPath: 'x.img', name: 'x.img', extension: 'img' },
            read: (position: number, length: number) => {
              largest = Math.max(largest, length);
              return Promise.resolve(Buffer.from(bytes.subarray(position, position + length)));
            },
            report: (d: { code: string }) => codes.push(d.code),
          } as unknown as ParseContext;
          const result = await androidSparseVolumeParser.parse(ctx);
          if (result?.reclassify?.status === 'encrypted') encrypted++;
          for (const code of codes) expect(declared.has(code)).toBe(true);
          expect(largest).toBeLessThanOrEqual(16 * 1024);
        },
      ),
      { seed: 20261207, numRuns: 800 },
    );
    expect(encrypted).toBeGreaterThan(150);
  });
});
