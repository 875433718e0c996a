import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { lz4BlockDetector } from './lz4-block.js';

const ok = (file: string) => ({
  file,
  format: 'lz4-block',
  status: 'analysable' as const,
  reasons: ['LZ4_BLOCK_WALKED'],
  details: { whole: true },
});

testDetector(
  lz4BlockDetector,
  {
    fixtures: new URL('../../fixtures/lz4-block/', import.meta.url),
    valid: [ok('noise.0.0'), ok('ramp.0.0'), ok('lines.lz4b')],
    // A size word the block does not decode to; random bytes behind a plausible size word.
    invalid: [{ file: 'bad-size.0.0' }, { file: 'random.bin' }],
  },
  { framework: { describe, it } },
);
