import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { emuleDetector } from './emule.js';

testDetector(
  emuleDetector,
  {
    fixtures: new URL('../../fixtures/emule/', import.meta.url),
    valid: [
      { file: 'known.met', format: 'emule-known-met', status: 'opaque', reasons: ['EMULE_KNOWN_MET'] },
      { file: 'known-i64.met', format: 'emule-known-met', status: 'opaque', reasons: ['EMULE_KNOWN_MET'] },
      { file: 'preferences.dat', format: 'emule-preferences', status: 'opaque', reasons: ['EMULE_PREFERENCES'] },
    ],
    invalid: [{ file: 'count-too-high.met' }, { file: 'unmarked-61.bin' }],
  },
  { framework: { describe, it } },
);
