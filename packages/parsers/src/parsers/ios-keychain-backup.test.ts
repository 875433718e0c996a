import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { iosKeychainBackupParser } from './ios-keychain-backup.js';

// Binary plists from the published layout: fixtures/ios-keychain-backup/generate.sh.
testParser(
  iosKeychainBackupParser,
  {
    fixtures: new URL('../../fixtures/ios-keychain-backup/', import.meta.url),
    format: 'bplist',
    valid: [
      {
        file: '51a4616e576dd33cd2abadfea874eb8ff246bf0e',
        status: 'encrypted',
        details: { keychainItems: 5, itemsByClass: { genp: 3, inet: 1, cert: 0, keys: 1 }, blobVersion: 3 },
        encryption: { scheme: 'apple-keychain-v3', scope: 'partial', keyHint: { kind: 'hardware', present: 'no' } },
      },
      // genp and inet keys without items: nothing encrypted, the plist stays readable.
      { file: 'genp-settings.plist', status: 'analysable', details: { keychainItems: 0 } },
    ],
    invalid: [{ file: 'truncated.plist', diagnostics: [], name: 'truncated copy: not called' }],
  },
  { framework: { describe, it } },
);
