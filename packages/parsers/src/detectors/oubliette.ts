/**
 * Oubliette password manager databases (`.oub`, Windows): a 12-byte clear
 * header, magic "OUBPF", major and minor version (1.0 and 3.0 seen), the
 * cipher (0 Blowfish, 1 IDEA), a u32 LE data size, then the 32-byte
 * password-encrypted hash of the master password and the encrypted records.
 * References: John the Ripper's run/oubliette2john.py and the
 * openwall/john-samples Oubliette_Password_Manager README.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, u32le } from './util.js';

const HASH_AT = 12;
const MIN_BYTES = HASH_AT + 32;
const CIPHERS = ['blowfish', 'idea'] as const;

export const oublietteDetector = defineDetector({
  meta: {
    id: 'oubliette',
    version: '1.0.0',
    title: 'Oubliette password manager databases (.oub)',
    formats: [
      {
        id: 'oubliette',
        name: 'Oubliette password database',
        status: 'encrypted',
        how: 'signature',
        extensions: ['oub'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: 'OUBPF' }],
  minSize: MIN_BYTES,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h.length < MIN_BYTES || ascii(h, 0, 5) !== 'OUBPF') return undefined;
    const [major = 0, minor = 99, cipherId = 99] = [h[5], h[6], h[7]];
    // Versions are small binary numbers (not ASCII digits), the cipher is 0 or 1.
    if (major < 1 || major > 9 || minor > 9) return undefined;
    const cipher = CIPHERS[cipherId];
    if (cipher === undefined) return undefined;
    const hash = h.subarray(HASH_AT, HASH_AT + 32);
    // The encrypted password hash is cipher output: never one repeated byte.
    if (hash.every((b) => b === hash[0])) return undefined;
    const dataSize = u32le(h, 8) ?? 0;
    return locked({
      id: 'oubliette',
      name: 'Oubliette password database',
      confidence: 0.95,
      code: 'OUBLIETTE_HEADER',
      message:
        `Oubliette header: magic OUBPF, version ${major}.${minor}, cipher ${cipher} (id ${cipherId}), ` +
        `data size field ${dataSize}, then the 32-byte encrypted master-password hash.`,
      figures: { version: `${major}.${minor}`, cipher, dataSize },
      scheme: `oubliette-${cipher}`,
      keyHint: {
        description: 'The Oubliette master password (the key is derived from it; the file holds its encrypted hash).',
        kind: 'password',
        present: 'unknown',
      },
    });
  },
});
