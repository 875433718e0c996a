import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { wordperfectDetector } from './wordperfect.js';

// WordPerfect 5.x documents from the published layout, read back by libwpd's wpd2text (fixtures/wordperfect/generate.py).
testDetector(
  wordperfectDetector,
  {
    fixtures: new URL('../../fixtures/wordperfect/', import.meta.url),
    valid: [
      {
        file: 'locked-5.wpd',
        format: 'wordperfect-encrypted',
        status: 'encrypted',
        reasons: ['WORDPERFECT_PASSWORD'],
        encryption: { scheme: 'wordperfect-xor', keyHint: { kind: 'password' } },
      },
      { file: 'clear-5.wpd', format: 'wordperfect', status: 'analysable', reasons: ['WORDPERFECT_CLEAR'] },
    ],
    // A WordPerfect graphic shares the prefix but is not a document.
    invalid: [{ file: 'graphic.wpg' }, { file: 'generate.py' }, { file: 'generate.sh' }],
  },
  { framework: { describe, it } },
);
