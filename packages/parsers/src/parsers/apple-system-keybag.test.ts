import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { appleSystemKeybagParser } from './apple-system-keybag.js';

// Binary plists from the published layout: fixtures/apple-system-keybag/generate.sh.
testParser(
  appleSystemKeybagParser,
  {
    fixtures: new URL('../../fixtures/apple-system-keybag/', import.meta.url),
    format: 'bplist',
    valid: [
      {
        file: 'systembag.kb',
        status: 'encrypted',
        details: { payloadBytes: 1024, ivBytes: 16, wipeId: 1234567890 },
        encryption: { scheme: 'apple-keybag-bag1-aes-cbc', keyHint: { kind: 'hardware', present: 'no' } },
      },
      // The same keys holding strings: not a keybag, the plist stays readable.
      { file: 'mkb-settings.plist', status: 'analysable' },
    ],
    invalid: [{ file: 'truncated.kb', diagnostics: [], name: 'truncated copy: not called' }],
  },
  { framework: { describe, it } },
);
