import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { borgDetector } from './borg.js';

testDetector(
  borgDetector,
  {
    fixtures: new URL('../../fixtures/borg/', import.meta.url),
    valid: [
      {
        file: 'segment-repokey',
        format: 'borg-segment-encrypted',
        status: 'encrypted',
        reasons: ['BORG_SEGMENT_ENCRYPTED'],
        encryption: { scheme: 'borg-aes256-ctr-hmac-sha256', keyHint: { kind: 'password' } },
      },
      {
        file: 'segment-blake2',
        format: 'borg-segment-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'borg-aes256-ctr-blake2b' },
      },
      { file: 'segment-none', format: 'borg-segment', status: 'opaque', reasons: ['BORG_SEGMENT_CLEAR'] },
      { file: 'segment-commit', format: 'borg-segment', status: 'opaque', reasons: ['BORG_SEGMENT_NO_OBJECT'] },
      {
        file: 'keyfile',
        format: 'borg-key-file',
        status: 'encrypted',
        reasons: ['BORG_KEY_FILE'],
        encryption: { scheme: 'borg-key-pbkdf2-sha256' },
      },
      {
        file: 'config-repokey',
        format: 'borg-config-key',
        status: 'encrypted',
        reasons: ['BORG_CONFIG_KEY'],
        encryption: { scope: 'partial' },
      },
    ],
    invalid: [{ file: 'not-segment.bin', name: 'an entry whose size runs past the file' }],
  },
  { framework: { describe, it } },
);
