import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { androidFdeParser } from './android-fde.js';

// Written from vold's cryptfs.h footer layout (fixtures/android-fde/generate.sh).
testParser(
  androidFdeParser,
  {
    fixtures: new URL('../../fixtures/android-fde/', import.meta.url),
    format: 'unknown-encrypted',
    valid: [
      {
        file: 'userdata.img',
        status: 'encrypted',
        encryption: { scheme: 'android-fde-aes-cbc-essiv:sha256', keyHint: { kind: 'password' } },
        details: { footerVersion: '1.3', keyBits: 128 },
      },
    ],
    invalid: [{ file: 'future-footer.img', diagnostics: ['ANDROID_FDE_FOOTER_UNKNOWN'] }],
  },
  { framework: { describe, it } },
);
