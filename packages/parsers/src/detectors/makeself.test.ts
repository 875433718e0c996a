import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { makeselfDetector } from './makeself.js';

testDetector(
  makeselfDetector,
  {
    fixtures: new URL('../../fixtures/makeself/', import.meta.url),
    valid: [
      { file: 'plain-gzip.run', format: 'makeself', status: 'analysable', reasons: ['MAKESELF_HEADER'] },
      {
        file: 'ssl.run',
        format: 'makeself-encrypted',
        status: 'encrypted',
        reasons: ['MAKESELF_OPENSSL'],
        encryption: { scheme: 'openssl-enc-aes-256-cbc', keyHint: { kind: 'password' } },
      },
      {
        file: 'gpg-symmetric.run',
        format: 'makeself-encrypted',
        status: 'encrypted',
        reasons: ['MAKESELF_GPG'],
        encryption: { scheme: 'openpgp-symmetric', keyHint: { kind: 'password' } },
      },
      {
        file: 'gpg-asymmetric.run',
        format: 'makeself-encrypted',
        status: 'encrypted',
        reasons: ['MAKESELF_GPG'],
        encryption: { scheme: 'openpgp', keyHint: { kind: 'key-file' } },
      },
    ],
    invalid: [
      { file: 'truncated.run', name: 'the script cut before its end: no archive behind it' },
      { file: 'not-makeself.sh', name: 'a script quoting the banner, with no archive' },
    ],
  },
  { framework: { describe, it } },
);
