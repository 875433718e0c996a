import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { appleCompressionDetector } from './apple-compression.js';

testDetector(
  appleCompressionDetector,
  {
    fixtures: new URL('../../fixtures/apple-compression/', import.meta.url),
    valid: [
      // An LZFSE chunk, then two stored raw (already compressed) chunks past the probe's head.
      {
        file: 'archive.aar',
        format: 'pbze',
        status: 'analysable',
        reasons: ['PBZ_CHUNKS'],
      },
    ],
    invalid: [{ file: 'bad_chunk.aar', name: 'a first chunk larger than the chunk size the header declares' }],
  },
  { framework: { describe, it } },
);
