import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { cryptomatorDetector } from './cryptomator.js';

// Written from Cryptomator's documented file format (fixtures/cryptomator/generate.sh).
testDetector(
  cryptomatorDetector,
  {
    fixtures: new URL('../../fixtures/cryptomator/', import.meta.url),
    valid: [
      {
        file: 'VFZ4eE5uQnJhVzVuSUc1dmRHVnouLi4=.c9r',
        format: 'cryptomator-file',
        status: 'encrypted',
        reasons: ['CRYPTOMATOR_C9R'],
        encryption: { keyHint: { lookFor: ['**/masterkey.cryptomator'] } },
      },
      { file: 'contents.c9s', format: 'cryptomator-file', status: 'encrypted' },
    ],
    invalid: [{ file: 'dir.c9r' }],
  },
  { framework: { describe, it } },
);
