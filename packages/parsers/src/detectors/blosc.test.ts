import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { bloscDetector } from './blosc.js';

const ok = (file: string, codec: string) => ({
  file,
  format: 'blosc',
  status: 'analysable' as const,
  confidence: { min: 0.9 },
  reasons: ['BLOSC_CHUNK_HEADER'],
  details: { codec },
});

testDetector(
  bloscDetector,
  {
    fixtures: new URL('../../fixtures/blosc/', import.meta.url),
    valid: [
      ok('zarr2-lz4.0.0', 'lz4'),
      ok('zarr2-blosclz.0.0', 'blosclz'),
      ok('zarr2-zstd.0.0', 'zstd'),
      ok('zarr3-lz4.c0.0', 'lz4'),
    ],
    // The compressed size must be the file's; the first block must start right after the block starts.
    invalid: [{ file: 'bad-size.0.0' }, { file: 'bad-start.0.0' }],
  },
  { framework: { describe, it } },
);
