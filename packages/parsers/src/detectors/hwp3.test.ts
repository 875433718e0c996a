import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { hwp3Detector } from './hwp3.js';

// Hangul 3.x documents from the published layout (fixtures/hwp3/generate.py).
testDetector(
  hwp3Detector,
  {
    fixtures: new URL('../../fixtures/hwp3/', import.meta.url),
    valid: [
      {
        file: 'locked.hwp',
        format: 'hwp3-encrypted',
        status: 'encrypted',
        reasons: ['HWP3_PASSWORD'],
        encryption: { scheme: 'hwp3-password', keyHint: { kind: 'password' } },
      },
      { file: 'clear.hwp', format: 'hwp3', status: 'analysable', reasons: ['HWP3_CLEAR'] },
    ],
    // Another version's identification is left to libmagic.
    invalid: [{ file: 'v2.hwp' }, { file: 'generate.py' }, { file: 'generate.sh' }],
  },
  { framework: { describe, it } },
);
