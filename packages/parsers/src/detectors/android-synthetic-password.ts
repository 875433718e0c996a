/**
 * The lock-screen protector files of Android's synthetic password (Android
 * 9+: `system_de/<user>/spblob/<protector id in hex>.<kind>`): `spblob` (the
 * synthetic password, AES-GCM under a key from the TEE and, for the
 * lock-screen protector, the credential: a version byte, a protector-type
 * byte, then nonce, ciphertext and tag), `metrics` (the credential's
 * complexity, AES-GCM under a key derived from the synthetic password) and
 * `secdis` (16 KiB of random bytes whose erasure destroys the protector).
 * Only the folder and the name say what they are; this fallback runs when no
 * detector recognised the bytes and wants the ciphertext uniformly random.
 * The synthetic password is what unlocks the user's credential-encrypted
 * storage key, so these files are the lock-screen's part of the key chain.
 * Reference: AOSP frameworks/base services/core/java/com/android/server/locksettings/
 * SyntheticPasswordManager.java (file names, versions 1-3, protector types 0-2)
 * and SyntheticPasswordCrypto.java (AES-GCM: 12-byte nonce, 16-byte tag).
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { locked, plain } from './util.js';
import { distinctValues, spreadLikeRandom } from './statistics-figures.js';

const PROTECTOR_FILE = /(?:^|\/)system_de\/\d+\/spblob\/([0-9a-f]{1,16})\.(spblob|metrics|secdis)$/;

const PROTECTORS = ['lock-screen credential', 'strong token', 'weak token'];

const CREDENTIAL_AND_TEE: KeyHint = {
  description:
    "The user's lock-screen credential (PIN, pattern or password) together with the device's TEE key (Keystore " +
    'key and, where present, Weaver or Gatekeeper): the credential is tried only on the device itself.',
  kind: 'hardware',
  present: 'no',
};

export const androidSyntheticPasswordDetector = defineDetector({
  meta: {
    id: 'android-synthetic-password',
    version: '1.0.0',
    title: "Android synthetic-password protector files (lock-screen credential's key chain)",
    formats: [
      {
        id: 'android-spblob',
        name: 'Android synthetic password blob',
        status: 'encrypted',
        how: 'path',
      },
      {
        id: 'android-sp-metrics',
        name: 'Android lock-screen credential metrics (encrypted)',
        status: 'encrypted',
        how: 'path',
      },
      {
        id: 'android-sp-secdiscardable',
        name: 'Android synthetic password secdiscardable (random)',
        status: 'opaque',
        how: 'path',
      },
    ],
  },
  minSize: 30,
  fallback: true,
  priority: 30,
  detect(probe): Detection | undefined {
    const m = PROTECTOR_FILE.exec(probe.logicalPath.replaceAll('\\', '/'));
    if (!m) return undefined;
    const [, id, kind] = m;
    const h = probe.head;
    if (kind === 'secdis') {
      if (!spreadLikeRandom(h)) return undefined;
      return {
        ...plain('opaque', {
          id: 'android-sp-secdiscardable',
          name: 'Android synthetic password secdiscardable (random)',
          confidence: 0.8,
          code: 'SP_SECDISCARDABLE',
          message: `Protector ${id}'s "secdis" file in the user's spblob folder: ${probe.size} random bytes (${distinctValues(h)} distinct values) mixed into the protector's key, random by design, not ciphertext.`,
        }),
        basis: 'path',
      };
    }
    if (kind === 'metrics') {
      if (!spreadLikeRandom(h)) return undefined;
      return {
        ...locked({
          id: 'android-sp-metrics',
          name: 'Android lock-screen credential metrics (encrypted)',
          confidence: 0.8,
          code: 'SP_METRICS',
          message: `Protector ${id}'s "metrics" file: ${probe.size} random bytes, the credential's length and character classes AES-GCM-encrypted under a key derived from the synthetic password.`,
          scheme: 'android-synthetic-password-aes-gcm',
          keyHint: CREDENTIAL_AND_TEE,
        }),
        basis: 'path',
      };
    }
    const version = h[0]!;
    const type = h[1]!;
    // Version 1-3 and a defined protector type, then AES-GCM (a 12-byte nonce, the ciphertext and a 16-byte tag).
    if (version < 1 || version > 3 || !PROTECTORS[type] || !spreadLikeRandom(h.subarray(2))) return undefined;
    return {
      ...locked({
        id: 'android-spblob',
        name: 'Android synthetic password blob',
        confidence: 0.85,
        code: 'SP_BLOB',
        message: `Protector ${id}'s "spblob" file: version ${version}, protected by a ${PROTECTORS[type]}, then ${probe.size - 2} random bytes: the synthetic password (which unlocks the user's credential-encrypted storage key), AES-GCM-encrypted.`,
        figures: { version, protectorType: type },
        scheme: 'android-synthetic-password-aes-gcm',
        keyHint: CREDENTIAL_AND_TEE,
      }),
      basis: 'path',
    };
  },
});
