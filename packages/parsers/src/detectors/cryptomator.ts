/**
 * Files of a Cryptomator vault (format 7/8): every file is stored under an
 * encrypted base64url name ending in ".c9r" (".c9s" for shortened names), its
 * content a header (12-byte nonce, 40-byte encrypted payload with the content
 * key, 16-byte tag) followed by AES-GCM chunks of 32 KiB + 28 bytes. The name
 * and random content together say it is vault ciphertext; a "dir.c9r" holding
 * a directory id in clear is not.
 * References: Cryptomator documentation "Vault structure" and "File content
 * encryption" (header layout, chunk size, .c9r/.c9s names).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { spreadLikeRandom } from './statistics-figures.js';
import { locked } from './util.js';

const HEADER = 12 + 40 + 16;

export const cryptomatorDetector = defineDetector({
  meta: {
    id: 'cryptomator',
    version: '1.0.0',
    title: 'Cryptomator vault files (.c9r)',
    formats: [
      {
        id: 'cryptomator-file',
        name: 'Cryptomator encrypted file',
        status: 'encrypted',
        how: 'path',
        extensions: ['c9r', 'c9s'],
      },
    ],
    indexPatterns: ['**/masterkey.cryptomator', '**/vault.cryptomator'],
  },
  minSize: HEADER,
  priority: 35,
  detect(probe): Detection | undefined {
    if (probe.extension !== 'c9r' && probe.extension !== 'c9s') return undefined;
    const h = probe.head.subarray(0, 4096);
    // Ciphertext: about as many distinct byte values as random bytes of that length (text or ids have far fewer).
    if (!spreadLikeRandom(h)) return undefined;
    const chunks = Math.ceil((probe.size - HEADER) / (32768 + 28));
    return locked({
      id: 'cryptomator-file',
      name: 'Cryptomator encrypted file',
      confidence: 0.88,
      code: 'CRYPTOMATOR_C9R',
      message: `Encrypted name with the Cryptomator ".${probe.extension}" suffix and random content (68-byte file header, then ${chunks} AES-GCM chunk(s)): a file inside a Cryptomator vault.`,
      figures: { size: probe.size, chunks },
      scheme: 'cryptomator-aes-gcm',
      keyHint: {
        description:
          "The vault password, which unwraps the master keys in masterkey.cryptomator (or the vault's recovery key).",
        kind: 'password',
        present: 'unknown',
        lookFor: ['**/masterkey.cryptomator'],
      },
    });
  },
});
