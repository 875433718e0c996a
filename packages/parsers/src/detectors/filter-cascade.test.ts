import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { filterCascadeDetector } from './filter-cascade.js';

testDetector(
  filterCascadeDetector,
  {
    fixtures: new URL('../../fixtures/filter-cascade/', import.meta.url),
    valid: [
      {
        file: 'cascade.bin',
        format: 'bloom-filter-cascade',
        status: 'opaque',
        reasons: ['FILTER_CASCADE_LAYERS'],
        confidence: 0.95,
      },
    ],
    invalid: [{ file: 'not-cascade.bin', name: 'a first layer numbered 2' }],
  },
  { framework: { describe, it } },
);
