import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { nssKeydbDetector } from './nss-keydb.js';

// Made by certutil -N (dbm:) with an empty password and with "secret" (fixtures/nss-keydb/generate.sh).
testDetector(
  nssKeydbDetector,
  {
    fixtures: new URL('../../fixtures/nss-keydb/', import.meta.url),
    valid: [
      {
        file: 'key3-secret-password.db',
        format: 'firefox-key3-db',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['NSS_KEY3_MASTER_PASSWORD'],
        encryption: { scheme: 'nss-sha1-3des', keyHint: { kind: 'password' } },
      },
      {
        file: 'key3-empty-password.db',
        format: 'firefox-key3-db-open',
        status: 'analysable',
        reasons: ['NSS_KEY3_EMPTY_PASSWORD_OPENS'],
      },
    ],
    invalid: [{ file: 'cert8.db' }],
  },
  { framework: { describe, it } },
);
