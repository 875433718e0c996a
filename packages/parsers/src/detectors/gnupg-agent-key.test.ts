import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { gnupgAgentKeyDetector } from './gnupg-agent-key.js';

testDetector(
  gnupgAgentKeyDetector,
  {
    fixtures: new URL('../../fixtures/gnupg-agent-key/', import.meta.url),
    valid: [
      {
        file: 'protected-extended.key',
        format: 'gnupg-protected-private-key',
        status: 'encrypted',
        reasons: ['GNUPG_PROTECTED_PRIVATE_KEY'],
        encryption: { scheme: 'gnupg-openpgp-s2k3-ocb-aes', keyHint: { kind: 'password' } },
      },
      {
        file: 'protected-canonical.key',
        format: 'gnupg-protected-private-key',
        status: 'encrypted',
        reasons: ['GNUPG_PROTECTED_PRIVATE_KEY'],
      },
      {
        // As GnuPG's own test data keeps agent keys (tests/openpgp/privkeys/*.asc).
        file: 'protected-canonical.key.asc',
        format: 'gnupg-protected-private-key',
        status: 'encrypted',
        reasons: ['GNUPG_PROTECTED_PRIVATE_KEY'],
      },
    ],
    invalid: [
      { file: 'clear-extended.key', name: 'a key without a passphrase is clear key material' },
      { file: 'clear-extended.key.asc', name: 'the same, ASCII-armored by gpg --enarmor' },
      { file: 'not-agent-key.txt', name: 'text quoting the first line, no protected list' },
    ],
  },
  { framework: { describe, it } },
);
