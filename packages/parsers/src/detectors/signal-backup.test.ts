import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { signalBackupDetector } from './signal-backup.js';

testDetector(
  signalBackupDetector,
  {
    fixtures: new URL('../../fixtures/signal-backup/', import.meta.url),
    valid: [
      {
        file: 'signal-2024-01-01-00-00-00.backup',
        format: 'signal-backup',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['SIGNAL_BACKUP_MAGIC'],
        encryption: { scheme: 'signal-message-backup', keyHint: { kind: 'password' } },
      },
      {
        file: 'signal-2019-06-01.backup',
        format: 'signal-backup',
        status: 'encrypted',
        reasons: ['SIGNAL_LEGACY_BACKUP_HEADER'],
        encryption: { scheme: 'signal-android-backup' },
      },
    ],
    invalid: [{ file: 'length-prefixed.bin' }],
  },
  { framework: { describe, it } },
);
