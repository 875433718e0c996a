import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { n5Detector } from './n5.js';

const compressed = (file: string, body: string) => ({
  file,
  format: 'n5-chunk',
  status: 'analysable' as const,
  reasons: ['N5_BLOCK_HEADER'],
  details: { body },
});

testDetector(
  n5Detector,
  {
    fixtures: new URL('../../fixtures/n5/', import.meta.url),
    valid: [
      compressed('blosc/0', 'blosc'),
      compressed('gzip/0', 'gzip'),
      compressed('xz/0', 'xz'),
      compressed('lz4/0', 'lz4'),
      { file: 'raw/0', format: 'n5-chunk-raw', status: 'opaque', details: { body: 'raw' } },
    ],
    // Sizes alone under a name that is no grid position; a header with no dimensions.
    invalid: [{ file: 'raw-block.bin' }, { file: 'bad-dims/0' }],
  },
  { framework: { describe, it } },
);
