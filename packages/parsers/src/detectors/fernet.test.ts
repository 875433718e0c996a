import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fernetDetector } from './fernet.js';

const whole = {
  format: 'fernet-token',
  status: 'encrypted',
  reasons: ['FERNET_TOKEN'],
  encryption: { scheme: 'fernet-aes-128-cbc', scope: 'full' },
} as const;

testDetector(
  fernetDetector,
  {
    fixtures: new URL('../../fixtures/fernet/', import.meta.url),
    valid: [
      { file: 'secret.token', ...whole },
      { file: 'tokens.txt', ...whole },
      {
        file: 'settings.json',
        format: 'fernet-fields',
        status: 'encrypted',
        reasons: ['FERNET_VALUES'],
        encryption: { scheme: 'fernet-aes-128-cbc', scope: 'partial' },
      },
      // The same files with bytes their format does not own appended (fixtures/fernet/appended/make.sh): a NUL in
      // the first KiB that only NULs follow is set aside and named.
      { file: 'appended/secret-lf.token', ...whole },
      { file: 'appended/secret-nul.token', ...whole, reasons: ['FERNET_TOKEN', 'TRAILING_ZERO_PADDING'] },
      { file: 'appended/secret-zpad4k.token', ...whole, reasons: ['FERNET_TOKEN', 'TRAILING_ZERO_PADDING'] },
      {
        file: 'appended/settings-nul.json',
        format: 'fernet-fields',
        status: 'encrypted',
        reasons: ['FERNET_VALUES', 'TRAILING_ZERO_PADDING'],
      },
    ],
    // Base64url that starts like a token but whose bytes are not one, and JSON that only mentions the prefix.
    invalid: [
      { file: 'look-alike-time.txt' },
      { file: 'look-alike-length.txt' },
      { file: 'plain-settings.json' },
      { file: 'appended/look-alike-time-nul.txt' },
    ],
  },
  { framework: { describe, it } },
);
