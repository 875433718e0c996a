import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { onenoteDetector } from './onenote.js';

// OneNote section files from the published layout (fixtures/onenote/generate.py).
testDetector(
  onenoteDetector,
  {
    fixtures: new URL('../../fixtures/onenote/', import.meta.url),
    valid: [
      {
        file: 'locked.one',
        format: 'onenote-encrypted',
        status: 'encrypted',
        reasons: ['ONENOTE_ENCRYPTION_KEY'],
        encryption: { scheme: 'onenote-agile', keyHint: { kind: 'password' } },
      },
      { file: 'clear.one', format: 'onenote', status: 'analysable', reasons: ['ONENOTE_SECTION'] },
    ],
    // A table of contents is another file type of the same store: left to libmagic.
    invalid: [{ file: 'notebook.onetoc2' }, { file: 'generate.py' }, { file: 'generate.sh' }],
  },
  { framework: { describe, it } },
);
