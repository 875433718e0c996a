/**
 * Fixture tests of the ACME vault detector, as data, with the test kit.
 * Fixtures: fixtures/acme-vault/ (remake with generate.sh there).
 */
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { acmeVaultDetector } from './acme-vault.js';

testDetector(
  acmeVaultDetector,
  {
    fixtures: new URL('../fixtures/acme-vault/', import.meta.url),
    valid: [
      {
        file: 'open.acmevault',
        format: 'acme-vault',
        status: 'analysable',
        confidence: 0.97,
        reasons: ['ACME_VAULT_HEADER'],
      },
      {
        file: 'locked.acmevault',
        format: 'acme-vault-encrypted',
        status: 'encrypted',
        reasons: ['ACME_VAULT_HEADER', 'ACME_VAULT_LOCKED'],
        encryption: { scheme: 'acme-vault-v2-aes256', keyHint: { kind: 'password', present: 'no' } },
      },
      {
        file: 'legacy-v1.acmevault',
        format: 'acme-vault-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'acme-vault-v1' },
      },
    ],
    invalid: [
      { file: 'mentions-magic.txt', name: 'text that starts with the magic' },
      { file: 'truncated-header.acmevault', name: 'magic alone, header cut off' },
      { file: 'unknown-version.bin', name: 'version 9 does not exist' },
    ],
  },
  { framework: { describe, it } },
);
