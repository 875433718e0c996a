import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { legacyArchivesDetector } from './legacy-archives.js';

// ARJ archives made by arj (-g garbles); ACE archives written from the documented layout (fixtures/legacy-archives/generate.sh).
testDetector(
  legacyArchivesDetector,
  {
    fixtures: new URL('../../fixtures/legacy-archives/', import.meta.url),
    valid: [
      {
        file: 'locked.arj',
        format: 'arj-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['ARJ_GARBLED_FLAG'],
        encryption: { scheme: 'arj-garble', keyHint: { kind: 'password' } },
      },
      { file: 'plain.arj', format: 'arj', status: 'analysable', reasons: ['ARJ_NOT_GARBLED'] },
      {
        file: 'locked.ace',
        format: 'ace-encrypted',
        status: 'encrypted',
        reasons: ['ACE_PASSWORD_FLAG'],
        encryption: { scope: 'full' },
      },
      { file: 'plain.ace', format: 'ace', status: 'analysable', reasons: ['ACE_NO_PASSWORD_FLAG'] },
    ],
    invalid: [
      { file: 'backtick.txt' },
      {
        file: 'ace-magic-then-overwritten.bin',
        name: 'the ACE magic in random bytes (the main header CRC does not hold)',
      },
    ],
  },
  { framework: { describe, it } },
);
