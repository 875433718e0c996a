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
        // The salt written as a quoted string, not #hex# (libgcrypt's choice when its bytes are printable).
        file: 'protected-extended-string-salt.key',
        format: 'gnupg-protected-private-key',
        status: 'encrypted',
        reasons: ['GNUPG_PROTECTED_PRIVATE_KEY'],
        encryption: { scheme: 'gnupg-openpgp-s2k3-ocb-aes' },
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
      // Keys without a passphrase: readable key material, named (the canonical form is binary).
      {
        file: 'clear-extended.key',
        format: 'gnupg-private-key',
        status: 'analysable',
        reasons: ['GNUPG_CLEAR_PRIVATE_KEY'],
      },
      { file: 'clear-extended.key.asc', format: 'gnupg-private-key', status: 'analysable' },
      { file: 'clear-canonical.key', format: 'gnupg-private-key', status: 'analysable' },
      // GnuPG's own test keys: the advanced form, and an armored canonical one.
      { file: 'gnupg-advanced-clear.key', format: 'gnupg-private-key', status: 'analysable' },
      { file: 'gnupg-canonical-clear.key.asc', format: 'gnupg-private-key', status: 'analysable' },
      { file: 'gnupg-openpgp-native-clear.key.asc', format: 'gnupg-private-key', status: 'analysable' },
      {
        file: 'note-then-protected.key.asc',
        name: 'an armored protected key after a note',
        format: 'gnupg-protected-private-key',
        status: 'encrypted',
      },
    ],
    invalid: [{ file: 'not-agent-key.txt', name: 'text quoting the first line, no protected list' }],
  },
  { framework: { describe, it } },
);
