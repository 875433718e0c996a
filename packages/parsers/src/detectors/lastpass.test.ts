import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { lastpassDetector } from './lastpass.js';

// Written from the published chunk layout with real AES-256-CBC fields: fixtures/lastpass/generate.sh.
testDetector(
  lastpassDetector,
  {
    fixtures: new URL('../../fixtures/lastpass/', import.meta.url),
    valid: [
      {
        file: 'vault.blob',
        format: 'lastpass-vault',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['LASTPASS_VAULT_CHUNKS'],
        encryption: { scheme: 'lastpass-aes-256', scope: 'partial', keyHint: { kind: 'password' } },
      },
    ],
    invalid: [{ file: 'lpav-junk.bin' }, { file: 'lpav-text.txt' }],
  },
  { framework: { describe, it } },
);
