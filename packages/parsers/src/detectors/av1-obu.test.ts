import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { av1ObuDetector } from './av1-obu.js';

// A stream by ffmpeg's libaom-av1 encoder and obu muxer; the same with a forbidden bit set (generate.sh).
testDetector(
  av1ObuDetector,
  {
    fixtures: new URL('../../fixtures/av1-obu/', import.meta.url),
    valid: [{ file: 'clip.obu', format: 'av1-obu', status: 'analysable', reasons: ['AV1_OBU_STREAM'] }],
    invalid: [{ file: 'forbidden-bit.obu' }],
  },
  { framework: { describe, it } },
);
