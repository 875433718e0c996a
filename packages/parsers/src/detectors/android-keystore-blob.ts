/**
 * Android keystore blob files (Android 7-11: `/data/misc/keystore/user_<n>/`,
 * named `.masterkey`, `<uid>_USRPKEY_<alias>`, `<uid>_USRCERT_<alias>`,
 * `.<uid>_chr_USRPKEY_<alias>`...). Version 3 of the blob: version, type,
 * flags, info (the size of a salt kept at the file's end), a 16-byte IV, a
 * 16-byte AES-GCM tag, a big-endian value length, the value, then the salt;
 * the file is exactly 40 + length + info bytes, which random bytes do not
 * fake.
 *
 * - Type 2/7 (the user's master "super" key): AES-GCM under a key derived
 *   from the user's lock-screen credential and the salt: encrypted.
 * - Type 4 (a Keymaster key blob): wrapped by the TEE's hardware-bound key,
 *   and also by the master key when the flags say so: encrypted, the key never
 *   in a file dump.
 * - Type 1 (generic: certificates), 5/6 (key characteristics): readable unless
 *   the flags say encrypted (then the master key opens them).
 *
 * Reference: AOSP system/security keystore blob.h/blob.cpp (the v3 layout and
 * the file length written) and keystore2's legacy_blob.rs (the reader that
 * migrates these files). No Debian tool writes them: the fixtures are written
 * from that layout with real AES-GCM (fixtures/android-keystore-blob/generate.py).
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { locked, plain, u32be } from './util.js';

const HEADER = 40;
const ENCRYPTED = 0x01;
const SUPER_ENCRYPTED = 0x04;

const TYPES: Record<number, string> = {
  1: 'generic blob',
  2: 'master (super) key, AES-128',
  4: 'Keymaster key blob',
  5: 'key characteristics',
  6: 'key characteristics cache',
  7: 'master (super) key, AES-256',
};

const LOCK_SCREEN: KeyHint = {
  description:
    "The user's lock-screen credential (PIN, pattern or password): keystore derives the master key's wrapping key " +
    'from it and the salt at the end of the file.',
  kind: 'password',
  present: 'unknown',
};

const MASTER_KEY_GLOB = '**/misc/keystore/user_*/.masterkey';

const MASTER_KEY: KeyHint = {
  description:
    "The user's keystore master key (`.masterkey` in the same folder), itself opened with the lock-screen credential.",
  kind: 'key-file',
  present: 'unknown',
  lookFor: [MASTER_KEY_GLOB],
};

const TEE: KeyHint = {
  description:
    "The TEE's hardware-bound key wraps every Keymaster blob: it never leaves the device's secure hardware, so the " +
    'key can be used only on the device itself.',
  kind: 'hardware',
  present: 'no',
};

export const androidKeystoreBlobDetector = defineDetector({
  meta: {
    id: 'android-keystore-blob',
    version: '1.0.0',
    title: 'Android keystore blob files (v3: master keys, Keymaster key blobs, certificates, characteristics)',
    indexPatterns: [MASTER_KEY_GLOB],
    formats: [
      { id: 'android-keystore-blob', name: 'Android keystore blob', status: 'analysable', how: 'header-field' },
      {
        id: 'android-keystore-masterkey',
        name: 'Android keystore master key',
        status: 'encrypted',
        how: 'header-field',
      },
      {
        id: 'android-keystore-key',
        name: 'Android keystore key blob (hardware-wrapped)',
        status: 'encrypted',
        how: 'header-field',
      },
      {
        id: 'android-keystore-blob-encrypted',
        name: 'Android keystore blob, encrypted by the master key',
        status: 'encrypted',
        how: 'header-field',
      },
    ],
  },
  signatures: [{ offset: 0, hex: '03' }],
  minSize: HEADER + 1,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const type = h[1]!;
    const flags = h[2]!;
    const info = h[3]!;
    const length = u32be(h, 36);
    // Flags are five defined bits; the info byte is a salt's size (16) or nothing.
    if (!TYPES[type] || flags >= 0x20 || (info !== 0 && info !== 16) || length === undefined || length === 0)
      return undefined;
    if (HEADER + length + info !== probe.size) return undefined;
    const isMaster = type === 2 || type === 7;
    if (isMaster && info !== 16) return undefined;
    const encrypted = (flags & (ENCRYPTED | SUPER_ENCRYPTED)) !== 0;
    const what = `Keystore blob v3, type ${type} (${TYPES[type]}), flags 0x${flags.toString(16)}, a ${length}-byte value${info ? ' and a 16-byte salt' : ''} filling the file exactly`;
    const figures = { type, flags, valueBytes: length };
    if (isMaster) {
      return locked({
        id: 'android-keystore-masterkey',
        name: 'Android keystore master key',
        confidence: 0.93,
        code: 'KEYSTORE_MASTER_KEY',
        message: `${what}: the user's master key, AES-GCM under a key derived from the lock-screen credential.`,
        figures,
        scheme: 'android-keystore-aes-gcm',
        keyHint: LOCK_SCREEN,
      });
    }
    if (type === 4) {
      return locked({
        id: 'android-keystore-key',
        name: 'Android keystore key blob (hardware-wrapped)',
        confidence: 0.92,
        code: 'KEYSTORE_KEY_BLOB',
        message: `${what}: key material wrapped by the TEE (Keymaster)${encrypted ? ', and by the master key' : ''}.`,
        figures,
        scheme: encrypted ? 'android-keystore-aes-gcm' : 'keymaster-blob',
        keyHint: encrypted ? MASTER_KEY : TEE,
      });
    }
    if (encrypted) {
      return locked({
        id: 'android-keystore-blob-encrypted',
        name: 'Android keystore blob, encrypted by the master key',
        confidence: 0.92,
        code: 'KEYSTORE_BLOB_ENCRYPTED',
        message: `${what}: the flags say the value is encrypted with the user's master key (AES-GCM).`,
        figures,
        scheme: 'android-keystore-aes-gcm',
        keyHint: MASTER_KEY,
      });
    }
    return plain('analysable', {
      id: 'android-keystore-blob',
      name: 'Android keystore blob',
      confidence: 0.9,
      code: 'KEYSTORE_BLOB_CLEAR',
      message: `${what}: not encrypted (a certificate or key characteristics).`,
      figures,
    });
  },
});
