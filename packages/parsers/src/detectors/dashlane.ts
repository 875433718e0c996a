/**
 * Dashlane desktop vault files (Windows `%AppData%\Dashlane\profiles\...`,
 * macOS `~/Library/Application Support/Dashlane/profiles/...`, `*.aes`) and
 * Dashlane secure archives (`*.dash` exports). A vault file is a 32-byte salt,
 * the marker "KWC3" (the content is compressed before encryption), then
 * AES-256 ciphertext under a key derived from the master password. A secure
 * archive is text whose line after "Data BEGIN" is the same structure in
 * base64. The marker at offset 32 after bytes that look random decides, in
 * the file or in the base64 after its "Data BEGIN" line, whatever the name.
 * Reference: JtR run/dashlane2john.py (salt = bytes 0-32, "KWC3" marker,
 * "Data BEGIN" in secure archives) and its dashlane format.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { randomnessFigures } from '@evtriage/core/helpers';
import { ascii, fromBase64, locked } from './util.js';

const MARKER = 'KWC3';
const SALT = 32;

const keyHint = {
  description: 'The Dashlane master password.',
  kind: 'password' as const,
  present: 'unknown' as const,
};

/** The salt and the ciphertext look random (a text or table with "KWC3" at 32 does not). */
function looksSealed(b: Uint8Array): boolean {
  const salt = randomnessFigures([b.subarray(0, SALT)]);
  const body = b.subarray(SALT + 4, SALT + 4 + 4096);
  const e = randomnessFigures([body]);
  return salt.shannon >= 4.3 && body.length >= 64 && e.shannon >= Math.min(7.5, Math.log2(body.length) - 0.8);
}

export const dashlaneDetector = defineDetector({
  meta: {
    id: 'dashlane',
    version: '1.0.0',
    title: 'Dashlane desktop vault files and secure archives',
    formats: [
      {
        id: 'dashlane-vault',
        name: 'Dashlane vault file (KWC3)',
        status: 'encrypted',
        how: 'signature',
        extensions: ['aes'],
      },
      {
        id: 'dashlane-secure-archive',
        name: 'Dashlane secure archive (.dash)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['dash'],
      },
    ],
  },
  minSize: SALT + 4 + 64,
  priority: 25,
  // The marker after the salt, or (a .dash archive) the armour line of its base64 body in the first 64 KiB.
  signatures: [
    { offset: SALT, ascii: MARKER },
    { offset: 0, ascii: 'Data BEGIN', within: 64 * 1024 - 'Data BEGIN'.length },
  ],
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (ascii(h, SALT, SALT + 4) === MARKER && looksSealed(h)) {
      return locked({
        id: 'dashlane-vault',
        name: 'Dashlane vault file (KWC3)',
        confidence: 0.93,
        code: 'DASHLANE_KWC3',
        message:
          'A random-looking 32-byte salt, the marker "KWC3" at offset 32, then random-looking bytes: a Dashlane vault file, compressed then AES-256 encrypted with a key from the master password.',
        scheme: 'dashlane-kwc3-aes-256',
        keyHint,
      });
    }
    // Any name: the armour line, base64 after it and the salt, marker and ciphertext it decodes to are the structure.
    const text = ascii(h, 0, Math.min(h.length, 64 * 1024));
    const m = /(?:^|\n)[^\n]*Data BEGIN[^\n]*\r?\n([A-Za-z0-9+/=]{64,})/.exec(text);
    const raw = m ? fromBase64(m[1]!.slice(0, m[1]!.length - (m[1]!.length % 4))) : undefined;
    if (raw && ascii(raw, SALT, SALT + 4) === MARKER && looksSealed(raw)) {
      return locked({
        id: 'dashlane-secure-archive',
        name: 'Dashlane secure archive (.dash)',
        confidence: 0.93,
        code: 'DASHLANE_SECURE_ARCHIVE',
        message:
          'Text with a "Data BEGIN" line followed by base64 that decodes to a 32-byte salt, the marker "KWC3" and random-looking bytes: a Dashlane secure archive, AES-256 encrypted with a key from the master password.',
        scheme: 'dashlane-kwc3-aes-256',
        keyHint,
      });
    }
    return undefined;
  },
});
