import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { exvDetector } from './exv.js';

testDetector(
  exvDetector,
  {
    fixtures: new URL('../../fixtures/exv/', import.meta.url),
    valid: [
      { file: 'photo.exv', format: 'exv', status: 'analysable', reasons: ['EXV_SEGMENTS'] },
      // Exiv2 0.27.6's test/data/glider.exv.egd: the magic and EOI, a sidecar with no metadata.
      { file: 'empty.exv', format: 'exv', status: 'analysable', reasons: ['EXV_SEGMENTS'], name: 'magic and EOI only' },
    ],
    invalid: [{ file: 'not-segments.exv', name: 'the magic followed by bytes that are not marker segments' }],
  },
  { framework: { describe, it } },
);
