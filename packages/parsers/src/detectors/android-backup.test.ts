import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { androidBackupDetector } from './android-backup.js';

testDetector(
  androidBackupDetector,
  {
    fixtures: new URL('../../fixtures/android-backup/', import.meta.url),
    valid: [
      {
        file: 'plain.ab',
        format: 'android-backup',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['ANDROID_BACKUP_PLAIN'],
      },
      {
        file: 'encrypted.ab',
        format: 'android-backup-encrypted',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['ANDROID_BACKUP_AES'],
        encryption: { scheme: 'android-backup-aes-256', keyHint: { kind: 'password' } },
      },
    ],
    invalid: [{ file: 'not-a-backup.txt' }],
  },
  { framework: { describe, it } },
);
