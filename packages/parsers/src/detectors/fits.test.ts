import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fitsDetector } from './fits.js';

// An image by ffmpeg's fits muxer; a non-conforming look-alike (generate.sh).
testDetector(
  fitsDetector,
  {
    fixtures: new URL('../../fixtures/fits/', import.meta.url),
    valid: [{ file: 'frame.fits', format: 'fits', status: 'analysable', reasons: ['FITS_HEADER_CARDS'] }],
    invalid: [{ file: 'not-simple.txt' }],
  },
  { framework: { describe, it } },
);
