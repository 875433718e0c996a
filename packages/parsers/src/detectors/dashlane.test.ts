import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { dashlaneDetector } from './dashlane.js';

// Written from dashlane2john's reading of the format (Dashlane is not on Debian): fixtures/dashlane/generate.sh.
testDetector(
  dashlaneDetector,
  {
    fixtures: new URL('../../fixtures/dashlane/', import.meta.url),
    valid: [
      {
        file: 'settings.aes',
        format: 'dashlane-vault',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['DASHLANE_KWC3'],
        encryption: { scheme: 'dashlane-kwc3-aes-256', keyHint: { kind: 'password' } },
      },
      {
        file: 'export.dash',
        format: 'dashlane-secure-archive',
        status: 'encrypted',
        reasons: ['DASHLANE_SECURE_ARCHIVE'],
        encryption: { scheme: 'dashlane-kwc3-aes-256' },
      },
    ],
    // "KWC3" at offset 32 of a text table: the salt and the rest are not random.
    invalid: [{ file: 'kwc3-table.bin' }],
  },
  { framework: { describe, it } },
);
