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
        reasons: ['SSH_PUBLIC_KEY_LINE'],
      },
      { file: 'ecdsa_1-cert.pub', format: 'ssh-certificate', status: 'analysable', reasons: ['SSH_PUBLIC_KEY_LINE'] },
      { file: 'dsa_ssh2.pub', format: 'ssh-public-key', status: 'analysable', reasons: ['SSH_PUBLIC_KEY_SECSH'] },
    ],
    invalid: [
      // Lists of keys behind host patterns, options or principals stay text (the shared corpus labels them so).
      { file: 'authorized_keys', name: 'an authorized_keys list' },
      { file: 'known_hosts', name: 'a known_hosts list' },
      { file: 'openssh-hostkeys-known_hosts', name: "OpenSSH's test known_hosts" },
      { file: 'git_allowed_signers', name: 'an allowed_signers list' },
      { file: 'prose-ssh-rsa.txt', name: 'prose mentioning "ssh-rsa AAAA…" with no key blob' },
      { file: 'type-mismatch.pub', name: 'a line whose blob names another key type' },
      { file: 'key-then-notes.txt', name: 'a key line followed by lines of notes' },
    ],
  },
  { framework: { describe, it } },
);
