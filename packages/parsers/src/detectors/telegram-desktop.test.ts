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
      // Clear bytes after the MD5 trailer (fixtures/telegram-desktop/appended/make.sh): set aside and named.
      ...[
        ['key_datas-lf', 'TRAILING_DATA'],
        ['key_datas-text2k', 'TRAILING_DATA'],
        ['key_datas-nul', 'TRAILING_ZERO_PADDING'],
        ['key_datas-zpad4k', 'TRAILING_ZERO_PADDING'],
      ].map(([file, note]) => ({
        file: `appended/${file}`,
        format: 'telegram-desktop-key',
        status: 'encrypted' as const,
        reasons: ['TELEGRAM_DESKTOP_PASSCODE', note!],
      })),
    ],
    invalid: [{ file: 'wrong-md5.bin' }, { file: 'tdf-text.txt' }, { file: 'appended/wrong-md5-lf.bin' }],
  },
  { framework: { describe, it } },
);
