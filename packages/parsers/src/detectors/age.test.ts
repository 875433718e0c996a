import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { ageDetector } from './age.js';

testDetector(
  ageDetector,
  {
    fixtures: new URL('../../fixtures/age/', import.meta.url),
    valid: [
      {
        file: 'message.age',
        format: 'age',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['AGE_HEADER'],
        encryption: { scheme: 'age-v1', keyHint: { kind: 'key-file', present: 'unknown' } },
      },
      {
        file: 'message-armored.age',
        format: 'age-armored',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['AGE_HEADER'],
        encryption: { scheme: 'age-v1' },
      },
      { file: 'identity.txt', format: 'age-identity', status: 'analysable', reasons: ['AGE_IDENTITY_IN_CLEAR'] },
    ],
    invalid: [{ file: 'notes-about-age.txt' }],
  },
  { framework: { describe, it } },
);
