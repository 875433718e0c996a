import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { icuDataDetector } from './icu-data.js';

// Resource bundles compiled by genrb and packaged by icupkg; the magic alone (generate.sh).
testDetector(
  icuDataDetector,
  {
    fixtures: new URL('../../fixtures/icu-data/', import.meta.url),
    valid: [
      { file: 'de.res', format: 'icu-data', status: 'analysable', reasons: ['ICU_DATA_HEADER'] },
      { file: 'appdata.dat', format: 'icu-data', status: 'analysable', reasons: ['ICU_DATA_HEADER'] },
    ],
    invalid: [{ file: 'magic-only.bin' }],
  },
  { framework: { describe, it } },
);
