import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { cffFontDetector } from './cff-font.js';

// A CFF table copied out of an OpenType font FontForge wrote; a look-alike header (generate.sh).
testDetector(
  cffFontDetector,
  {
    fixtures: new URL('../../fixtures/cff-font/', import.meta.url),
    valid: [
      { file: 'Cantarell-AZ.cff', format: 'cff-font', status: 'analysable', reasons: ['CFF_HEADER_AND_INDEXES'] },
    ],
    invalid: [{ file: 'header-only.bin' }],
  },
  { framework: { describe, it } },
);
