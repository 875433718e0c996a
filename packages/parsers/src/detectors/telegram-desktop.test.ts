import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { telegramDesktopDetector } from './telegram-desktop.js';

// tdata files written from tdesktop's layout with real AES-256-IGE encryption: fixtures/telegram-desktop/generate.sh.
testDetector(
  telegramDesktopDetector,
  {
    fixtures: new URL('../../fixtures/telegram-desktop/', import.meta.url),
    valid: [
      {
        file: 'key_datas',
        format: 'telegram-desktop-key',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['TELEGRAM_DESKTOP_PASSCODE'],
        encryption: { scheme: 'telegram-desktop-pbkdf2-sha512', keyHint: { kind: 'password' } },
      },
      {
        // The local key opens with the empty passcode: nothing locks this profile.
        file: 'no-passcode/key_datas',
        format: 'telegram-desktop-key-open',
        status: 'analysable',
        reasons: ['TELEGRAM_DESKTOP_NO_PASSCODE'],
      },
      {
        file: 'settingss',
        format: 'telegram-desktop-settings',
        status: 'analysable',
        reasons: ['TELEGRAM_DESKTOP_SALTED_NO_SECRET'],
      },
      {
        file: 'D877F783D5D3EF8C/5A8E2B71C0D3F4E6s',
        format: 'telegram-desktop-data',
        status: 'encrypted',
        reasons: ['TELEGRAM_DESKTOP_TDF'],
        encryption: { scheme: 'telegram-desktop-aes-ige', keyHint: { kind: 'key-file' } },
      },
    ],
    invalid: [{ file: 'wrong-md5.bin' }, { file: 'tdf-text.txt' }],
  },
  { framework: { describe, it } },
);
