import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { paradoxDetector } from './paradox.js';

// Paradox 7 tables written and read back by pxlib (fixtures/paradox/generate.sh).
testDetector(
  paradoxDetector,
  {
    fixtures: new URL('../../fixtures/paradox/', import.meta.url),
    valid: [
      { file: 'clear.db', format: 'paradox-table', status: 'analysable', reasons: ['PARADOX_TABLE'] },
      // Password-protected, but the key is the checksum in its header: pxlib reads it without the password.
      { file: 'locked.db', format: 'paradox-table', status: 'analysable', reasons: ['PARADOX_PASSWORD_KEY_IN_HEADER'] },
    ],
    // A table cut short no longer matches its block count.
    invalid: [{ file: 'cut.db' }, { file: 'generate.sh' }, { file: 'make_paradox.py' }],
  },
  { framework: { describe, it } },
);
