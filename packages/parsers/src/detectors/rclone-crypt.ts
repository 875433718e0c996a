/**
 * Files written through an rclone "crypt" remote. Each starts with the 8-byte
 * magic "RCLONE\0\0" and a random 24-byte nonce, then the content in chunks of
 * up to 64 KiB, each a NaCl secretbox (XSalsa20-Poly1305: 16-byte tag, then
 * the ciphertext). So the size is 32 + n full 65,552-byte chunks + a shorter
 * last one (tag and 1 to 65,536 bytes), and an empty file is the 32 bytes
 * alone. The names are encrypted too (EME, base32hex, lower case, no
 * padding: 26 characters per 16-byte block) or obfuscated ("<n>.<rotated>"),
 * or left with a ".bin" suffix. The key comes from the remote's password and
 * salt ("password2"), kept obscured in rclone.conf.
 * Reference: rclone docs/content/crypt.md ("File formats", "Name encryption").
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { locked, startsWith } from './util.js';

const MAGIC = 'RCLONE\0\0';
const HEADER = 32; // magic + nonce
const TAG = 16;
const CHUNK = 65536;

const CONF_FILES = ['**/rclone.conf', '**/.config/rclone/rclone.conf', '**/.rclone.conf'];
const hint: KeyHint = {
  description:
    'The crypt remote\'s password and salt ("password", "password2"), stored obscured (reversibly) in rclone.conf, or typed by the user.',
  kind: 'password',
  present: 'unknown',
  lookFor: CONF_FILES,
};

/** Whether `size` is a length the chunk layout can produce. */
function sizeFits(size: number): boolean {
  if (size === HEADER) return true;
  const rest = (size - HEADER) % (CHUNK + TAG);
  return size > HEADER + TAG && (rest === 0 || rest > TAG);
}

/** What the file's own name says of the remote that wrote it, if anything. */
function nameKind(name: string): { kind: string; says: string } | undefined {
  // EME of whole 16-byte blocks in base32hex: ceil(128 n / 5) characters, n blocks.
  if (/^[0-9a-v]+$/.test(name) && [26, 52, 77, 103, 128, 154].includes(name.length))
    return { kind: 'encrypted', says: 'an encrypted name (base32hex of whole 16-byte blocks)' };
  if (/^\d+\.[^.]/.test(name)) return { kind: 'obfuscated', says: 'in the obfuscated form ("<n>.<rotated name>")' };
  if (name.endsWith('.bin')) return { kind: 'suffixed', says: 'the plain name with the ".bin" suffix' };
  return undefined;
}

export const rcloneCryptDetector = defineDetector({
  meta: {
    id: 'rclone-crypt',
    version: '1.0.0',
    title: 'Files encrypted by an rclone crypt remote',
    formats: [{ id: 'rclone-crypt-file', name: 'rclone crypt encrypted file', status: 'encrypted', how: 'signature' }],
    indexPatterns: CONF_FILES,
  },
  priority: 20,
  signatures: [{ offset: 0, ascii: MAGIC }],
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!startsWith(h, MAGIC) || probe.size < HEADER) return undefined;
    // The nonce is random: 24 bytes rarely hold fewer than 16 distinct values.
    if (h.length >= HEADER && new Set(h.subarray(8, HEADER)).size < 16) return undefined;
    const fits = sizeFits(probe.size);
    const chunks = probe.size === HEADER ? 0 : Math.ceil((probe.size - HEADER) / (CHUNK + TAG));
    const named = nameKind(probe.name);
    const layout = fits
      ? probe.size === HEADER
        ? 'the 32 bytes alone: an empty file'
        : `a size of ${probe.size} bytes that fits ${chunks} secretbox chunk(s) of up to 64 KiB, each with a 16-byte tag (${probe.size - HEADER - chunks * TAG} bytes of content)`
      : `a size of ${probe.size} bytes that does not fit the chunk layout (cut or damaged)`;
    return locked({
      id: 'rclone-crypt-file',
      name: 'rclone crypt encrypted file',
      confidence: fits ? 0.97 : 0.85,
      code: 'RCLONE_CRYPT_HEADER',
      message: `rclone crypt header ("RCLONE\\0\\0" and a random 24-byte nonce) and ${layout}${named ? `; the name is ${named.says}, as a crypt remote writes it` : ''}.`,
      figures: { size: probe.size, sizeFits: fits, chunks, ...(named ? { name: named.kind } : {}) },
      scheme: 'rclone-crypt-xsalsa20-poly1305',
      keyHint: hint,
    });
  },
});
