import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { statisticsDetector } from '../detectors/statistics.js';
import { mediaSamplesParser } from './media-samples.js';

// The statistics call both uniformly random; the parser finds the video samples in one of them.
testParser(
  mediaSamplesParser,
  {
    fixtures: new URL('../../fixtures/media-samples/', import.meta.url),
    detectors: [statisticsDetector],
    valid: [
      {
        file: 'clip.mp4.60001.v3.exo',
        format: 'avc-samples',
        status: 'opaque',
        details: { codec: 'h264', bytesRead: 73728 },
      },
      {
        file: 'clip.webm.50001.v3.exo',
        format: 'webm-blocks',
        status: 'analysable',
        details: { container: 'matroska', bytesRead: 73728 },
      },
    ],
    invalid: [{ file: 'cache-span.bin', format: 'unknown-encrypted', diagnostics: [] }],
  },
  { framework: { describe, it } },
);
