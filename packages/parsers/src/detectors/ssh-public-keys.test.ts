import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { sshPublicKeysDetector } from './ssh-public-keys.js';

// OpenSSH's own test data and files made by ssh-keygen (fixtures/ssh-public-keys/generate.sh).
testDetector(
  sshPublicKeysDetector,
  {
    fixtures: new URL('../../fixtures/ssh-public-keys/', import.meta.url),
    valid: [
      {
        file: 'ed25519_1.pub',
        format: 'ssh-public-key',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['SSH_PUBLIC_KEY_LINES'],
      },
      { file: 'ecdsa_1-cert.pub', format: 'ssh-certificate', status: 'analysable', reasons: ['SSH_PUBLIC_KEY_LINES'] },
      { file: 'dsa_ssh2.pub', format: 'ssh-public-key', status: 'analysable', reasons: ['SSH_PUBLIC_KEY_SECSH'] },
      { file: 'authorized_keys', format: 'ssh-authorized-keys', status: 'analysable' },
      { file: 'known_hosts', format: 'ssh-known-hosts', status: 'analysable' },
      { file: 'git_allowed_signers', format: 'ssh-allowed-signers', status: 'analysable' },
    ],
    invalid: [
      { file: 'prose-ssh-rsa.txt', name: 'prose mentioning "ssh-rsa AAAA…" with no key blob' },
      { file: 'type-mismatch.pub', name: 'a line whose blob names another key type' },
    ],
  },
  { framework: { describe, it } },
);
