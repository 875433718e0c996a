import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { annexbVideoDetector } from './annexb-video.js';

// Streams by ffmpeg (libx264, libx265); look-alikes written by generate.sh.
testDetector(
  annexbVideoDetector,
  {
    fixtures: new URL('../../fixtures/annexb-video/', import.meta.url),
    valid: [
      {
        file: 'clip.h264',
        format: 'h264-annexb',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['ANNEXB_START_CODES'],
      },
      { file: 'clip.hevc', format: 'hevc-annexb', status: 'analysable', reasons: ['ANNEXB_START_CODES'] },
    ],
    // Start codes, but headers no stream has: the forbidden bit, or a reference flag the unit type forbids.
    invalid: [{ file: 'forbidden-bit.h264' }, { file: 'big-endian-table.bin' }],
  },
  { framework: { describe, it } },
);
