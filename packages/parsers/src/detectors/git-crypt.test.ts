import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { gitCryptDetector } from './git-crypt.js';

testDetector(
  gitCryptDetector,
  {
    fixtures: new URL('../../fixtures/git-crypt/', import.meta.url),
    valid: [
      {
        file: 'secret.txt',
        format: 'git-crypt-file',
        status: 'encrypted',
        reasons: ['GIT_CRYPT_HEADER'],
        encryption: { scheme: 'git-crypt-aes256-ctr', keyHint: { kind: 'key-file' } },
      },
      { file: 'default', format: 'git-crypt-key', status: 'opaque', reasons: ['GIT_CRYPT_KEY_FILE'] },
    ],
    invalid: [{ file: 'not-gitcrypt.bin', name: 'the magic without room for the nonce' }],
  },
  { framework: { describe, it } },
);
