import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { jbig2Detector } from './jbig2.js';

testDetector(
  jbig2Detector,
  {
    fixtures: new URL('../../fixtures/jbig2/', import.meta.url),
    valid: [
      {
        file: 'page.jb2',
        format: 'jbig2',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['JBIG2_FILE_HEADER'],
      },
    ],
    // The ID string alone is not enough: reserved flag bits set, or a segment type T.88 lacks.
    invalid: [{ file: 'reserved-flags.jb2' }, { file: 'unknown-segment.jb2' }],
  },
  { framework: { describe, it } },
);
