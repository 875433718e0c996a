import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { andotpBackupDetector } from './andotp-backup.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Backups in andOTP's published layout with real PBKDF2 and AES-GCM (fixtures/andotp-backup/generate.sh).
const andotp = { scheme: 'andotp-pbkdf2-aes-256-gcm', keyHint: { kind: 'password' } } as const;
testDetector(
  andotpBackupDetector,
  {
    fixtures: new URL('../../fixtures/andotp-backup/', import.meta.url),
    valid: [
      {
        file: 'otp_accounts_2024-01-01_12-00-00.json.aes',
        format: 'andotp-backup-encrypted',
        status: 'encrypted',
        reasons: ['ANDOTP_BACKUP_HEADER'],
        encryption: andotp,
        confidence: { min: 0.93 },
      },
      {
        file: 'otp_accounts_2023-06-30_08-15-00.json.aes',
        format: 'andotp-backup-encrypted',
        status: 'encrypted',
        reasons: ['ANDOTP_BACKUP_HEADER'],
        encryption: andotp,
      },
      // Zeros or text appended after the tag (appended/make.sh): set aside, named.
      {
        file: 'appended/otp_accounts_2023-06-30_08-15-00-padded.json.aes',
        format: 'andotp-backup-encrypted',
        status: 'encrypted',
        reasons: ['ANDOTP_BACKUP_HEADER', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'appended/otp_accounts_2024-01-01_12-00-00-log.json.aes',
        format: 'andotp-backup-encrypted',
        status: 'encrypted',
        reasons: ['ANDOTP_BACKUP_HEADER', 'TRAILING_DATA'],
      },
    ],
    invalid: [
      { file: 'otp_accounts_2024-01-01_12-00-00.json', name: 'the plain backup: TOTP secrets in clear' },
      { file: 'X3k9vQ2mLr8pTz1aBcDeFg', name: 'the same bytes without the .json.aes name (gocryptfs reads these)' },
      { file: 'outside-range.json.aes', name: 'an iteration count andOTP never draws' },
      { file: 'zeros.json.aes', name: 'a header over zeros, not ciphertext' },
      { file: 'generate.sh' },
    ],
  },
  { framework: { describe, it } },
);

describe('andOTP backups through the whole engine', () => {
  it('the encrypted backup is andOTP (not gocryptfs, whose version bytes it shares); the plain backup is readable', async () => {
    const items = await scanFixtures('andotp-backup');
    const by = (name: string) => items.get(name);
    expect(by('otp_accounts_2024-01-01_12-00-00.json.aes')?.format?.id).toBe('andotp-backup-encrypted');
    expect(by('otp_accounts_2024-01-01_12-00-00.json.aes')?.encryption?.scheme).toBe('andotp-pbkdf2-aes-256-gcm');
    expect(by('otp_accounts_2024-01-01_12-00-00.json')?.classification.status).toBe('analysable');
  });
});
