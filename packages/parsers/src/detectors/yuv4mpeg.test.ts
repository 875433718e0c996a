import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { yuv4mpegDetector } from './yuv4mpeg.js';

// Streams by ffmpeg; a look-alike text (generate.sh).
testDetector(
  yuv4mpegDetector,
  {
    fixtures: new URL('../../fixtures/yuv4mpeg/', import.meta.url),
    valid: [
      {
        file: 'two-frames.y4m',
        format: 'yuv4mpeg',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['YUV4MPEG_HEADER'],
      },
      { file: 'yuv444.y4m', format: 'yuv4mpeg', status: 'analysable', reasons: ['YUV4MPEG_HEADER'] },
    ],
    // The magic in prose: no W/H tags, no FRAME after the line.
    invalid: [{ file: 'mentions-the-name.txt' }],
  },
  { framework: { describe, it } },
);
