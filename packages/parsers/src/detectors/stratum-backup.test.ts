import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { stratumBackupDetector } from './stratum-backup.js';

// Backups in the app's published layout with real Argon2id/PBKDF2 and AES (fixtures/stratum-backup/generate.sh).
testDetector(
  stratumBackupDetector,
  {
    fixtures: new URL('../../fixtures/stratum-backup/', import.meta.url),
    valid: [
      {
        file: 'backup-2024-01-01_120000.stratum',
        format: 'stratum-backup-encrypted',
        status: 'encrypted',
        reasons: ['STRATUM_BACKUP_HEADER'],
        encryption: { scheme: 'stratum-argon2id-aes-256-gcm', keyHint: { kind: 'password' } },
      },
      {
        file: 'backup-2021-06-30.authpro',
        format: 'stratum-backup-encrypted',
        status: 'encrypted',
        reasons: ['AUTHENTICATORPRO_LEGACY_BACKUP_HEADER'],
        encryption: { scheme: 'authenticatorpro-pbkdf2-aes-256-cbc', keyHint: { kind: 'password' } },
      },
    ],
    invalid: [
      { file: 'backup-2024-01-01_120000.json', name: 'the unencrypted backup: TOTP secrets in clear' },
      { file: 'header-over-text.authpro', name: 'the header over text, not ciphertext' },
      { file: 'generate.sh' },
    ],
  },
  { framework: { describe, it } },
);
