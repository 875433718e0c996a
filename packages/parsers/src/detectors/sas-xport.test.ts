import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { sasXportDetector } from './sas-xport.js';

testDetector(
  sasXportDetector,
  {
    fixtures: new URL('../../fixtures/sas-xport/', import.meta.url),
    valid: [
      {
        file: 'survey.xpt',
        format: 'sas-xport',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['SAS_XPORT_HEADER'],
        details: { transportVersion: '8/9' },
      },
      { file: 'survey-v5.xpt', format: 'sas-xport', status: 'analysable', details: { transportVersion: '5' } },
    ],
    // The library header record alone, or followed by a record that is not SAS's first real header.
    invalid: [{ file: 'header-only.txt' }, { file: 'other-header.xpt' }],
  },
  { framework: { describe, it } },
);
