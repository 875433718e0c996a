/**
 * Monero wallet files (`<name>.keys` and the cache `<name>` beside it), as
 * monero-wallet-cli and the Monero GUI write them. There is no magic: the
 * file is `keys_file_data` / `cache_file_data` in Monero's binary
 * serialization, an 8-byte ChaCha IV, then the ciphertext as a string (a
 * LEB128 varint length, then the bytes), and nothing else. So the decision is
 * structural: the length at offset 8 must end the file exactly, and the
 * ciphertext must look random. Bytes after that end are set aside (and named)
 * only when they cannot be more ciphertext: NULs, one line end, or 32 or more
 * bytes of text (`clearBytesAfter`). The keys file's plaintext (the spend and view
 * keys, as JSON) is encrypted with a key from the wallet password
 * (cn_slow_hash, `kdf-rounds` times); the cache is encrypted with a key
 * derived from the keys, so it needs the same password.
 * No signature: the check is a few bytes and runs on every file; files whose
 * name ends in `.keys` or that have no extension are the only ones taken.
 * References: Monero src/wallet/wallet2.h (struct keys_file_data,
 * cache_file_data: FIELD(iv), FIELD(account_data)), src/serialization
 * (binary_archive: varint-prefixed strings); JtR run/monero2john.py.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { randomnessFigures } from '@evtriage/core/helpers';
import { clearBytesAfter } from './appended-clear.js';
import { locked, notingZeroPadding, varint } from './util.js';

const IV_BYTES = 8;
/** Smallest ciphertext taken: a keys file's JSON is over a kilobyte; below this the randomness figures mean little. */
const MIN_CIPHERTEXT = 256;

export const moneroWalletDetector = defineDetector({
  meta: {
    id: 'monero-wallet',
    version: '1.1.0',
    title: 'Monero wallet files (.keys and cache)',
    formats: [
      {
        id: 'monero-wallet',
        name: 'Monero wallet file (encrypted keys or cache)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['keys'],
      },
    ],
  },
  minSize: IV_BYTES + 2 + MIN_CIPHERTEXT,
  priority: 30,
  detect(probe): Detection | undefined {
    const keysFile = probe.extension === 'keys';
    if (!keysFile && probe.extension !== '') return undefined;
    const h = probe.head;
    const length = varint(h, IV_BYTES);
    if (!length || length[1] - IV_BYTES > 5) return undefined;
    const [cipherLength, cipherAt] = length;
    const end = cipherAt + cipherLength;
    if (cipherLength < MIN_CIPHERTEXT || end > probe.size) return undefined;
    const after = end < probe.size ? clearBytesAfter(probe, end) : undefined;
    if (end < probe.size && !after) return undefined;
    const sample = h.subarray(cipherAt, Math.min(h.length, end, cipherAt + 64 * 1024));
    const e = randomnessFigures([sample]);
    // Random bytes over n samples reach about log2(n) bits/byte for small n (as in sqlcipher).
    if (sample.length < MIN_CIPHERTEXT || e.shannon < Math.min(7.5, Math.log2(sample.length) - 0.6)) return undefined;
    const what = keysFile ? 'keys file' : 'file (the structure of a keys file or of the wallet cache)';
    return {
      ...notingZeroPadding(
        locked({
          id: 'monero-wallet',
          name: 'Monero wallet file (encrypted keys or cache)',
          confidence: keysFile ? 0.93 : 0.8,
          code: 'MONERO_WALLET_STRUCTURE',
          message: `An 8-byte IV, then a varint length ${cipherLength} that ends ${after ? `the structure at byte ${end} (the file has ${probe.size})` : `the file exactly (${probe.size} bytes)`}, over random-looking bytes (entropy ${e.shannon}): a Monero wallet ${what}, ChaCha-encrypted with a key from the wallet password.`,
          figures: { cipherLength, size: probe.size, shannon: e.shannon, keysFile },
          scheme: 'monero-chacha-cn-slow-hash',
          keyHint: {
            description:
              'The Monero wallet password (the cache beside a .keys file opens with the keys, so with the same password).',
            kind: 'password',
            present: 'unknown',
          },
        }),
        after,
        'the IV and ciphertext before them',
      ),
      entropy: e,
    };
  },
});
