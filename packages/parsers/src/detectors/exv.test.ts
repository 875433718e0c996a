import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { exvDetector } from './exv.js';

testDetector(
  exvDetector,
  {
    fixtures: new URL('../../fixtures/exv/', import.meta.url),
    valid: [{ file: 'photo.exv', format: 'exv', status: 'analysable', reasons: ['EXV_SEGMENTS'] }],
    invalid: [{ file: 'not-segments.exv', name: 'the magic followed by bytes that are not marker segments' }],
  },
  { framework: { describe, it } },
);
