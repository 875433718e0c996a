import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { otpSecretsInClear } from './otp-secrets.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const read = (name: string) => readFileSync(new URL(`../../fixtures/text-vaults/${name}`, import.meta.url), 'utf8');

describe('authenticator secrets in clear', () => {
  it('counts the entries of each app format', () => {
    expect(otpSecretsInClear(read('aegis-export-plain.json'), true)).toEqual({ entries: 1, form: 'json' });
    expect(otpSecretsInClear(read('otp_accounts_2024-01-01_12-00-00.json'), true)).toEqual({
      entries: 2,
      form: 'json',
    });
    expect(otpSecretsInClear(read('freeotp-backup.json'), true)).toEqual({ entries: 1, form: 'json' });
    expect(otpSecretsInClear(read('ente-auth-codes-plain.txt'), true)).toEqual({ entries: 2, form: 'otpauth-uris' });
    expect(otpSecretsInClear(read('google-authenticator-transfer.txt'), true)?.form).toBe('migration-links');
  });

  it('needs OTP settings beside the secret, and a whole JSON document', () => {
    expect(otpSecretsInClear(read('oauth-client.json'), true)).toBeUndefined();
    expect(otpSecretsInClear(read('otpauth-notes.txt'), true)).toBeUndefined();
    expect(otpSecretsInClear(read('aegis-export-plain.json'), false)).toBeUndefined();
    // An encrypted vault's ciphertext is no secret in clear.
    expect(otpSecretsInClear(read('aegis-export.json'), true)).toBeUndefined();
  });

  it('through the whole engine the plain export is named, readable, and outranks the generic JSON reading', async () => {
    const items = await scanFixtures('text-vaults');
    const plainVault = items.get('aegis-export-plain.json')!;
    expect(plainVault.format?.id).toBe('otp-secrets-clear');
    expect(plainVault.classification.status).toBe('analysable');
    expect(plainVault.encryption).toBeUndefined();
    expect(items.get('aegis-export.json')?.classification.status).toBe('encrypted');
  });
});
