import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { androidVoldKeysDetector } from './android-vold-keys.js';

const ce = 'data/misc/vold/user_keys/ce/0/current';

testDetector(
  androidVoldKeysDetector,
  {
    fixtures: new URL('../../fixtures/android-vold-keys/', import.meta.url),
    valid: [
      {
        file: `${ce}/encrypted_key`,
        format: 'android-fbe-key',
        status: 'encrypted',
        reasons: ['VOLD_ENCRYPTED_KEY'],
        encryption: { scheme: 'vold-keymaster-aes-256-gcm', keyHint: { kind: 'hardware', present: 'no' } },
      },
      {
        file: `${ce}/keymaster_key_blob`,
        format: 'android-fbe-key',
        status: 'encrypted',
        reasons: ['VOLD_KEYMASTER_BLOB'],
        encryption: { scheme: 'keymaster-blob', keyHint: { kind: 'hardware' } },
      },
      // Random by design: key material, not ciphertext (the statistics alone called it encrypted).
      {
        file: `${ce}/secdiscardable`,
        format: 'android-fbe-secdiscardable',
        status: 'opaque',
        reasons: ['VOLD_SECDISCARDABLE'],
      },
      {
        file: 'metadata/vold/metadata_encryption/key/encrypted_key',
        format: 'android-fbe-key',
        status: 'encrypted',
      },
    ],
    invalid: [
      { file: `${ce}/version`, name: 'the version file beside the keys' },
      { file: 'not-a-key/data/misc/vold/user_keys/de/0/encrypted_key', name: 'text where a key would be' },
      // The same random bytes elsewhere: only the key directory names them.
      { file: `${ce}/secdiscardable`, path: 'sdcard/Download/secdiscardable.bin', name: 'random bytes outside vold' },
    ],
  },
  { framework: { describe, it } },
);
