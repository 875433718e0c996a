import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { lrzipDetector } from './lrzip.js';

// Files made by lrzip itself, plain and with -e; look-alikes from the same bytes (fixtures/lrzip/generate.sh).
testDetector(
  lrzipDetector,
  {
    fixtures: new URL('../../fixtures/lrzip/', import.meta.url),
    valid: [
      {
        file: 'locked.lrz',
        format: 'lrzip-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['LRZIP_ENCRYPTED_FLAG'],
        encryption: { scheme: 'lrzip-aes-128', keyHint: { kind: 'password' } },
      },
      { file: 'plain.lrz', format: 'lrzip', status: 'analysable', reasons: ['LRZIP_NOT_ENCRYPTED'] },
    ],
    invalid: [{ file: 'lrzi-note.txt' }, { file: 'bad-flag.lrz' }],
  },
  { framework: { describe, it } },
);
