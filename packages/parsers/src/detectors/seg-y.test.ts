import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { segyDetector } from './seg-y.js';

testDetector(
  segyDetector,
  {
    fixtures: new URL('../../fixtures/seg-y/', import.meta.url),
    valid: [
      {
        file: 'line.sgy',
        format: 'seg-y',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['SEGY_HEADERS'],
        details: { text: 'ebcdic' },
      },
      { file: 'line-ascii.sgy', format: 'seg-y', status: 'analysable', details: { text: 'ascii' } },
    ],
    // Traces that no longer fill the file; a sample format code SEG-Y does not define.
    invalid: [{ file: 'cut.sgy' }, { file: 'format4.sgy' }],
  },
  { framework: { describe, it } },
);
