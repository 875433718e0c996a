import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { isoBmffDetector } from './iso-bmff.js';

testDetector(
  isoBmffDetector,
  {
    fixtures: new URL('../../fixtures/iso-bmff/', import.meta.url),
    valid: [
      { file: 'segment.m4s', format: 'mp4-segment', status: 'analysable', reasons: ['MP4_MEDIA_SEGMENT'] },
      {
        file: 'protected-faststart.mp4',
        format: 'mp4-drm',
        status: 'encrypted',
        encryption: { scheme: 'mp4-cenc', scope: 'partial' },
        reasons: ['MP4_PROTECTED_SAMPLES'],
      },
      // The moov written after the samples: read from the probe's tail.
      { file: 'protected-moov-last.mp4', format: 'mp4-drm', status: 'encrypted', encryption: { scheme: 'mp4-cenc' } },
      { file: 'protected-segment.m4s', format: 'mp4-drm', status: 'encrypted', encryption: { scheme: 'mp4-cenc' } },
      { file: 'fairplay.m4p', format: 'mp4-drm', status: 'encrypted', encryption: { scheme: 'mp4-itun' } },
    ],
    invalid: [{ file: 'plain.mp4' }, { file: 'random-after-styp.m4s' }],
  },
  { framework: { describe, it } },
);
