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
      // Bytes after the archive (fixtures/makeself/appended/make.sh): set aside and named.
      ...[
        ['ssl-lf.run', 'MAKESELF_OPENSSL', 'TRAILING_DATA'],
        ['ssl-text2k.run', 'MAKESELF_OPENSSL', 'TRAILING_DATA'],
        ['gpg-symmetric-nul.run', 'MAKESELF_GPG', 'TRAILING_ZERO_PADDING'],
        ['gpg-asymmetric-zpad4k.run', 'MAKESELF_GPG', 'TRAILING_ZERO_PADDING'],
      ].map(([file, code, note]) => ({
        file: `appended/${file}`,
        format: 'makeself-encrypted',
        status: 'encrypted' as const,
        reasons: [code!, note!],
      })),
      {
        file: 'appended/plain-gzip-text2k.run',
        format: 'makeself',
        status: 'analysable',
        reasons: ['MAKESELF_HEADER', 'TRAILING_DATA'],
      },
    ],
    invalid: [
      { file: 'appended/truncated-lf.run', name: 'the archive cut short, then a line feed: the sizes pass the end' },
      { file: 'truncated.run', name: 'the script cut before its end: no archive behind it' },
      { file: 'not-makeself.sh', name: 'a script quoting the banner, with no archive' },
    ],
  },
  { framework: { describe, it } },
);
