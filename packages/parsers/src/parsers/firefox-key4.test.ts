import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { firefoxKey4Parser } from './firefox-key4.js';

// Made by certutil -N (sql:) with an empty password and with "secret" (fixtures/nss-keydb/generate.sh).
testParser(
  firefoxKey4Parser,
  {
    fixtures: new URL('../../fixtures/firefox-key4/', import.meta.url),
    format: 'sqlite',
    valid: [
      {
        file: 'key4-secret-password.db',
        status: 'encrypted',
        encryption: { keyHint: { kind: 'password' } },
        details: { passwordCheck: 'master-password-required' },
      },
      { file: 'key4-empty-password.db', status: 'analysable', details: { passwordCheck: 'empty-password-opens' } },
    ],
    invalid: [{ file: 'key4-no-password-row.db', diagnostics: ['NSS_KEY4_UNCHECKED'] }],
  },
  { framework: { describe, it } },
);
