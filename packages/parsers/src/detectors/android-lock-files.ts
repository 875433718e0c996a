/**
 * The lock-screen credential verifiers Android keeps in /data/system, which
 * have no header: only their names say what they are, so this is a fallback
 * for bytes no detector recognised. Both are opaque (key material: a
 * verifier to test guesses against, not ciphertext of anything).
 * - `gatekeeper.{password,pattern,pin,gesture}.key` (Android 6 and later):
 *   gatekeeper's password handle, 58 bytes in AOSP's layout (version 2, user
 *   secure id, flags, salt, the TEE's HMAC of the scrypt hash, a
 *   hardware-backed flag); vendors' gatekeepers may write other sizes.
 * - `gesture.key` (Android 4.x and older): the unsalted SHA-1 of the
 *   pattern's cell indices, 20 bytes (one of 389,112 patterns).
 * Reference: AOSP system/gatekeeper password_handle.h and
 * frameworks/base LockPatternUtils (patternToHash).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { isUtf8TextWindow, plain } from './util.js';

const GATEKEEPER = /(?:^|\/)system\/gatekeeper\.(password|pattern|pin|gesture)\.key$/;
const GESTURE = /(?:^|\/)system\/gesture\.key$/;

export const androidLockFilesDetector = defineDetector({
  meta: {
    id: 'android-lock-files',
    version: '1.0.0',
    title: 'Android lock-screen credential verifiers (gatekeeper handles, legacy gesture.key)',
    formats: [
      { id: 'android-gatekeeper-handle', name: 'Android gatekeeper password handle', status: 'opaque', how: 'path' },
      { id: 'android-gesture-hash', name: 'Android pattern lock hash (gesture.key)', status: 'opaque', how: 'path' },
    ],
  },
  minSize: 16,
  maxSize: 4096,
  fallback: true,
  priority: 30,
  detect(probe): Detection | undefined {
    // Both files end in ".key": a cheap test on the name before any on the bytes (this runs on every unrecognised file).
    if (!probe.name.endsWith('.key')) return undefined;
    const path = probe.logicalPath.replaceAll('\\', '/');
    const bytes = probe.head;
    if (isUtf8TextWindow(bytes)) return undefined;
    const gatekeeper = GATEKEEPER.exec(path);
    if (gatekeeper) {
      const aosp = probe.size === 58 && bytes[0] === 2;
      return {
        ...plain('opaque', {
          id: 'android-gatekeeper-handle',
          name: 'Android gatekeeper password handle',
          confidence: aosp ? 0.85 : 0.7,
          code: 'GATEKEEPER_HANDLE',
          message: aosp
            ? `"gatekeeper.${gatekeeper[1]}.key" in /data/system, 58 bytes with version 2 (AOSP's password handle: user secure id, salt, the TEE's HMAC of the ${gatekeeper[1]}'s scrypt hash): a verifier checked by the device's gatekeeper, not ciphertext.`
            : `"gatekeeper.${gatekeeper[1]}.key" in /data/system, ${probe.size} bytes, not text: the vendor gatekeeper's handle for the ${gatekeeper[1]}, a verifier checked in the TEE, not ciphertext.`,
          figures: { bytes: probe.size },
        }),
        basis: 'path',
      };
    }
    if (GESTURE.test(path) && probe.size === 20) {
      return {
        ...plain('opaque', {
          id: 'android-gesture-hash',
          name: 'Android pattern lock hash (gesture.key)',
          confidence: 0.85,
          code: 'GESTURE_KEY_HASH',
          message:
            '"gesture.key" in /data/system, 20 bytes: the unsalted SHA-1 of the lock pattern (Android 4.x and older), a verifier that a table of the 389,112 patterns reverses, not ciphertext.',
          figures: { bytes: probe.size },
        }),
        basis: 'path',
      };
    }
    return undefined;
  },
});
