import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { featherV1Detector } from './feather-v1.js';

testDetector(
  featherV1Detector,
  {
    fixtures: new URL('../../fixtures/feather-v1/', import.meta.url),
    valid: [{ file: 'ledger.feather', format: 'feather-v1', status: 'analysable', reasons: ['FEATHER_V1_LAYOUT'] }],
    // The magic at both ends of random bytes, with a metadata length past the file.
    invalid: [{ file: 'look-alike.bin' }],
  },
  { framework: { describe, it } },
);
