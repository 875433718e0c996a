import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { accessDatabasesDetector } from './access-databases.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Headers written from the published layout (no Debian tool writes Access files): fixtures/access-databases/generate.sh.
testDetector(
  accessDatabasesDetector,
  {
    fixtures: new URL('../../fixtures/access-databases/', import.meta.url),
    valid: [
      { file: 'plain.mdb', format: 'access-db', status: 'analysable', reasons: ['ACCESS_HEADER'] },
      { file: 'jet3.mdb', format: 'access-db', status: 'analysable', reasons: ['ACCESS_HEADER'] },
      { file: 'plain.accdb', format: 'access-db', status: 'analysable', reasons: ['ACCESS_HEADER'] },
      {
        // The RC4 key of a Jet "encoded" database is in its header: no password to find.
        file: 'encoded.mdb',
        format: 'access-db',
        status: 'analysable',
        reasons: ['ACCESS_ENCODED_KEY_IN_HEADER'],
        name: 'Jet encoding, key in the header',
      },
      {
        file: 'agile.accdb',
        format: 'access-db-encrypted',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['ACCESS_ACE_ENCRYPTED'],
        encryption: { scheme: 'access-agile-aes-256', keyHint: { kind: 'password' } },
      },
      {
        file: 'legacy.accdb',
        format: 'access-db-encrypted',
        status: 'encrypted',
        reasons: ['ACCESS_ACE_ENCRYPTED'],
        encryption: { scheme: 'access-rc4-cryptoapi' },
      },
      // Microsoft Money (MSISAM): fixtures/access-databases/generate-money.sh.
      {
        file: 'money-password.mny',
        format: 'money-db-encrypted',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['MONEY_PASSWORD'],
        encryption: { scheme: 'msisam-rc4-sha1', keyHint: { kind: 'password' } },
      },
      {
        file: 'money-md5.mny',
        format: 'money-db-encrypted',
        status: 'encrypted',
        reasons: ['MONEY_PASSWORD'],
        encryption: { scheme: 'msisam-rc4-md5' },
      },
      {
        // The check bytes open with the empty password: no password is set.
        file: 'money-nopassword.mny',
        format: 'money-db',
        status: 'analysable',
        reasons: ['MONEY_EMPTY_PASSWORD'],
      },
      { file: 'money-old.mny', format: 'money-db', status: 'analysable', reasons: ['MONEY_KEY_IN_HEADER'] },
    ],
    invalid: [{ file: 'names-engine.txt' }, { file: 'unknown-version.mdb' }],
  },
  { framework: { describe, it } },
);

describe('Access databases through the whole engine', () => {
  it('the unmasked encoding key and the agile descriptor are reported', async () => {
    const items = await scanFixtures('access-databases');
    const encoded = items.get('encoded.mdb')!;
    expect(encoded.classification.reasons[0]?.figures?.encodingKey).toBe('5e3a91c4');
    const agile = items.get('agile.accdb')!;
    expect(agile.classification.status).toBe('encrypted');
    expect(agile.classification.reasons[0]?.figures?.spinCount).toBe('100000');
  });
});
