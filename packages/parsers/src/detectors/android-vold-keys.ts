/**
 * The key files of Android's file-based and metadata encryption, as vold
 * keeps them: a key directory (`misc/vold/user_keys/ce/<user>/current/`,
 * `misc/vold/user_keys/de/<user>/`, `unencrypted/key/`,
 * `metadata/vold/metadata_encryption/key/`) holding `encrypted_key` (the
 * storage key, AES-256-GCM under a Keymaster key: nonce, ciphertext, tag),
 * `keymaster_key_blob` (that Keymaster key, wrapped by the TEE's
 * hardware-bound key) and `secdiscardable` (16 KiB of random bytes hashed into
 * the key's use, so that erasing them destroys the key). None has a header:
 * only the directory's layout names them, so this is a fallback that runs when
 * no detector recognised the bytes. encrypted_key and secdiscardable must look
 * uniformly random (as many distinct byte values as random bytes of that
 * length have, less a margin: entropy thresholds fail short random files);
 * keymaster_key_blob is the TEE vendor's format, partly clear in some, so it
 * must only not be text.
 * `encrypted_key` and `keymaster_key_blob` are encrypted (the key is in the
 * device's secure hardware, and for a user's CE key also bound to the
 * lock-screen credential); `secdiscardable` is random by design, not
 * ciphertext: opaque key material.
 * Reference: AOSP system/vold KeyStorage.cpp (the file names, the AES-GCM
 * layout of encrypted_key) and FsCrypt.cpp / MetadataCrypt.cpp (the key
 * directories).
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { distinctValues, spreadLikeRandom } from './statistics-figures.js';
import { isUtf8TextWindow, locked, plain } from './util.js';

const KEY_FILE =
  /(?:^|\/)(misc\/vold\/user_keys\/(ce|de)\/\d+(?:\/current)?|unencrypted\/key|metadata\/vold\/metadata_encryption\/key)\/(encrypted_key|keymaster_key_blob|secdiscardable)$/;

const DEVICE_KEY: KeyHint = {
  description:
    "A Keymaster key in the device's TEE (keymaster_key_blob beside it is that key, wrapped by hardware): usable " +
    "only on the device; a user's credential-encrypted key also needs the lock-screen credential.",
  kind: 'hardware',
  present: 'no',
};

function which(dir: string, ring: string | undefined): string {
  if (dir.startsWith('metadata')) return 'the metadata-encryption key';
  if (dir.startsWith('unencrypted')) return 'the system device-encrypted key';
  return ring === 'ce' ? "a user's credential-encrypted (CE) key" : "a user's device-encrypted (DE) key";
}

export const androidVoldKeysDetector = defineDetector({
  meta: {
    id: 'android-vold-keys',
    version: '1.0.0',
    title: "Android file-based and metadata encryption key files (vold's key directories)",
    formats: [
      { id: 'android-fbe-key', name: 'Android storage encryption key (wrapped)', status: 'encrypted', how: 'path' },
      {
        id: 'android-fbe-secdiscardable',
        name: 'Android storage key secdiscardable (random)',
        status: 'opaque',
        how: 'path',
      },
    ],
  },
  minSize: 32,
  fallback: true,
  priority: 30,
  detect(probe): Detection | undefined {
    const m = KEY_FILE.exec(probe.logicalPath.replaceAll('\\', '/'));
    if (!m) return undefined;
    const [, dir, ring, name] = m;
    const bytes = probe.head;
    if (isUtf8TextWindow(bytes) || (name !== 'keymaster_key_blob' && !spreadLikeRandom(bytes))) return undefined;
    const key = which(dir!, ring);
    const distinct = distinctValues(bytes);
    if (name === 'secdiscardable') {
      return {
        ...plain('opaque', {
          id: 'android-fbe-secdiscardable',
          name: 'Android storage key secdiscardable (random)',
          confidence: 0.8,
          code: 'VOLD_SECDISCARDABLE',
          message: `"secdiscardable" in vold's key directory for ${key}: ${probe.size} random bytes (${distinct} distinct values in the first ${bytes.length}) hashed into the key's use, random by design, not ciphertext.`,
          figures: { distinctValues: distinct },
        }),
        basis: 'path',
      };
    }
    const blob = name === 'keymaster_key_blob';
    return {
      ...locked({
        id: 'android-fbe-key',
        name: 'Android storage encryption key (wrapped)',
        confidence: 0.8,
        code: blob ? 'VOLD_KEYMASTER_BLOB' : 'VOLD_ENCRYPTED_KEY',
        message: blob
          ? `"keymaster_key_blob" in vold's key directory for ${key}: ${probe.size} bytes, not text: the Keymaster key that wraps the storage key, itself wrapped by the TEE.`
          : `"encrypted_key" in vold's key directory for ${key}: ${probe.size} random bytes (${distinct} distinct values): the storage key AES-256-GCM-encrypted under the Keymaster key beside it.`,
        figures: { distinctValues: distinct },
        scheme: blob ? 'keymaster-blob' : 'vold-keymaster-aes-256-gcm',
        keyHint: DEVICE_KEY,
      }),
      basis: 'path',
    };
  },
});
