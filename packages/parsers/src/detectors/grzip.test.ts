import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { grzipDetector } from './grzip.js';

testDetector(
  grzipDetector,
  {
    fixtures: new URL('../../fixtures/grzip/', import.meta.url),
    valid: [
      {
        file: 'archive.tar.grz',
        format: 'grzip',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['GRZIP_SIGNATURE'],
      },
    ],
    // Only the whole 12-byte signature counts: not another version pair, not a text naming it.
    invalid: [{ file: 'other-version.grz' }, { file: 'readme.txt' }],
  },
  { framework: { describe, it } },
);
