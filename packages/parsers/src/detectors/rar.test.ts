import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { rarDetector } from './rar.js';

testDetector(
  rarDetector,
  {
    fixtures: new URL('../../fixtures/rar/', import.meta.url),
    valid: [
      { file: 'rar4-clear.rar', format: 'rar', status: 'analysable', reasons: ['RAR_NOT_ENCRYPTED'] },
      {
        file: 'rar4-file-encrypted.rar',
        format: 'rar-encrypted',
        status: 'encrypted',
        reasons: ['RAR_FILES_ENCRYPTED'],
        encryption: { scope: 'full', keyHint: { kind: 'password' } },
      },
      {
        file: 'rar4-headers-encrypted.rar',
        format: 'rar-encrypted',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['RAR_HEADERS_ENCRYPTED'],
      },
      { file: 'rar5-clear.rar', format: 'rar', status: 'analysable', reasons: ['RAR_NOT_ENCRYPTED'] },
      {
        file: 'rar5-file-encrypted.rar',
        format: 'rar-encrypted',
        status: 'encrypted',
        reasons: ['RAR_FILES_ENCRYPTED'],
        encryption: { scheme: 'rar5-aes-256' },
      },
      {
        file: 'rar5-headers-encrypted.rar',
        format: 'rar-encrypted',
        status: 'encrypted',
        reasons: ['RAR_HEADERS_ENCRYPTED'],
      },
    ],
    invalid: [{ file: 'signature-then-text.rar' }],
  },
  { framework: { describe, it } },
);
