import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { zpaqDetector, zpaqEncryptedDetector } from './zpaq.js';

// Archives made by zpaq 7.15 itself, clear and with -key; look-alikes (fixtures/zpaq*/generate.sh).

testDetector(
  zpaqDetector,
  {
    fixtures: new URL('../../fixtures/zpaq/', import.meta.url),
    valid: [
      { file: 'plain.zpaq', format: 'zpaq', status: 'analysable', confidence: { min: 0.9 }, reasons: ['ZPAQ_BLOCK'] },
      { file: 'method5.zpaq', format: 'zpaq', status: 'analysable', reasons: ['ZPAQ_BLOCK'] },
      { file: 'updated.zpaq', format: 'zpaq', status: 'analysable', reasons: ['ZPAQ_BLOCK'] },
    ],
    invalid: [{ file: 'zpq-note.txt' }, { file: 'generate.sh' }],
  },
  { framework: { describe, it } },
);

testDetector(
  zpaqEncryptedDetector,
  {
    fixtures: new URL('../../fixtures/zpaq-encrypted/', import.meta.url),
    valid: [
      {
        file: 'locked.zpaq',
        format: 'zpaq-encrypted',
        status: 'encrypted',
        confidence: { max: 0.7 },
        reasons: ['ZPAQ_ENCRYPTED_BY_NAME'],
        encryption: { scheme: 'zpaq-aes-256-ctr', keyHint: { kind: 'password' } },
      },
    ],
    invalid: [{ file: 'locked-renamed.bin' }, { file: 'list.zpaq' }, { file: 'plain.zpaq' }, { file: 'generate.sh' }],
  },
  { framework: { describe, it } },
);
