/** Fixture cases for the empty-file detector, with @evtriage/core/testing (fixtures: ../../fixtures/empty/, generate.sh). */
import { testDetector } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { emptyDetector } from './empty.js';

testDetector(
  emptyDetector,
  {
    fixtures: new URL('../../fixtures/empty/', import.meta.url),
    valid: [{ file: 'zero-bytes.dat', format: 'empty', status: 'analysable', confidence: 1, reasons: ['ZERO_BYTES'] }],
    invalid: [{ file: 'one-byte.dat', name: 'one byte is not empty' }],
  },
  { framework: { describe, it } },
);
