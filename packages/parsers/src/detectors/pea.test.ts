import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { peaDetector } from './pea.js';

testDetector(
  peaDetector,
  {
    fixtures: new URL('../../fixtures/pea/', import.meta.url),
    valid: [
      {
        file: 'notes.pea',
        format: 'pea-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['PEA_STREAM_ENCRYPTED'],
        encryption: { scheme: 'pea-aes-256-eax', keyHint: { kind: 'password' } },
      },
      {
        file: 'notes-twofish.pea',
        format: 'pea-encrypted',
        status: 'encrypted',
        reasons: ['PEA_STREAM_ENCRYPTED'],
        encryption: { scheme: 'pea-twofish-256-eax' },
      },
      { file: 'photos.pea', format: 'pea', status: 'analysable', reasons: ['PEA_STREAM_CLEAR'] },
    ],
    invalid: [{ file: 'ea-pod-lookalike.bin' }],
  },
  { framework: { describe, it } },
);
