import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { sfxArchivesParser } from './sfx-archives.js';

// A PE stub from the layout with real 7z and ZIP archives appended (fixtures/sfx-archives/generate.sh).
testParser(
  sfxArchivesParser,
  {
    fixtures: new URL('../../fixtures/sfx-archives/', import.meta.url),
    format: 'pe',
    valid: [
      {
        file: 'setup-7z-locked.exe',
        status: 'encrypted',
        encryption: { keyHint: { kind: 'password' } },
        details: { archive: 'sevenzip', encrypted: true },
      },
      {
        file: 'setup-zip-locked.exe',
        status: 'encrypted',
        encryption: { scheme: 'zipcrypto' },
        details: { archive: 'zip', encrypted: true },
      },
      { file: 'setup-rar-locked.exe', status: 'encrypted', details: { archive: 'rar', encrypted: true } },
      { file: 'setup-7z-plain.exe', details: { archive: 'sevenzip', encrypted: false } },
      { file: 'stub-with-text.exe', details: { archive: 'none found' } },
    ],
    invalid: [{ file: 'truncated-7z.exe', diagnostics: ['SFX_PAYLOAD_UNREADABLE'] }],
  },
  { framework: { describe, it } },
);
