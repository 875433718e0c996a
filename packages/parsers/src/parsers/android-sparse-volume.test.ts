import { describe, expect, it } from 'vitest';
import { fixtureSeeds, fuzzVolumeParser } from './volume-fuzz.test-helper.js';
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
  const declared = new Set(Object.keys(androidSparseVolumeParser.meta.diagnostics ?? {}));
  it('no exception, bounded reads', async () => {
    let encrypted = 0;
    const seeds = fixtureSeeds('android-sparse-volume', ['luks2.sparse.img', 'random.sparse.img', 'ext4.sparse.img']);
    await fuzzVolumeParser(androidSparseVolumeParser, seeds, 'x.img', 800, ({ result, codes, largest }) => {
      if (result?.reclassify?.status === 'encrypted') encrypted++;
      for (const code of codes) expect(declared.has(code)).toBe(true);
      expect(largest).toBeLessThanOrEqual(16 * 1024);
    });
    expect(encrypted).toBeGreaterThan(150);
  });
});
