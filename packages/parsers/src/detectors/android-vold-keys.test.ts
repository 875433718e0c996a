import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { androidVoldKeysDetector } from './android-vold-keys.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

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

describe("vold's key directory through the whole engine", () => {
  it('the layout outranks the statistics (key-sized random bytes, random-looking 16 KiB)', async () => {
    const items = await scanFixtures('android-vold-keys');
    const at = (name: string) => items.get(`${ce}/${name}`);
    expect(at('encrypted_key')?.format?.id).toBe('android-fbe-key');
    expect(at('keymaster_key_blob')?.classification.status).toBe('encrypted');
    expect(at('secdiscardable')?.classification.status).toBe('opaque');
    expect(at('secdiscardable')?.format?.id).toBe('android-fbe-secdiscardable');
    expect(at('version')?.format?.id).toBe('text');
  });
});
