/**
 * ENC Security DataVault vaults, also sold as SanDisk SecureAccess /
 * PrivateAccess and Sony ENCDataVault (USB-stick vault software): the vault
 * folder holds `filesystem.dat` (SanDisk, Sony, ENC user password) or
 * `index.dat` + `keychain.dat` (ENC vaults), and from ENC 7.2.1 and SanDisk
 * PrivateAccess on an `enckey.dat` with a PBKDF2 salt and iteration count.
 * `filesystem.dat` and `index.dat` start with a clear header: magic
 * d2 c3 b4 a1, four bytes, the algorithm id (u32 LE, 1-4: AES-CTR with 1, 2,
 * 4 or 8 keys, 128 to 1024 bits), an 8-byte CTR nonce, then four encrypted
 * bytes that decrypt to the magic again (the password check).
 * References: John the Ripper's run/encdatavault2john.py and
 * src/encdatavault_*_fmt_plug.c (Sylvain Pelissier, Kudelski Security).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, u32le } from './util.js';

const MAGIC = [0xd2, 0xc3, 0xb4, 0xa1];
const ALGO_AT = 8;
const NONCE_AT = 12;
const CHECK_AT = 20;
const HEADER_BYTES = 24;

function allSame(b: Uint8Array): boolean {
  return b.every((x) => x === b[0]);
}

export const encDataVaultDetector = defineDetector({
  meta: {
    id: 'encdatavault',
    version: '1.0.0',
    title: 'ENC DataVault / SanDisk SecureAccess and PrivateAccess vaults',
    formats: [
      {
        id: 'encdatavault',
        name: 'ENC DataVault vault file (SanDisk SecureAccess / PrivateAccess, Sony)',
        status: 'encrypted',
        how: 'signature',
        extensions: ['dat'],
      },
    ],
    indexPatterns: ['**/enckey.dat', '**/keychain.dat'],
  },
  signatures: [{ offset: 0, hex: 'd2c3b4a1' }],
  minSize: HEADER_BYTES,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h.length < HEADER_BYTES || MAGIC.some((b, i) => h[i] !== b)) return undefined;
    // The algorithm id is a small u32: 1..4 keys-doublings, nothing else is defined.
    const algo = u32le(h, ALGO_AT) ?? 0;
    if (algo < 1 || algo > 4) return undefined;
    const nonce = h.subarray(NONCE_AT, NONCE_AT + 8);
    const check = h.subarray(CHECK_AT, CHECK_AT + 4);
    // A random CTR nonce is never one repeated byte; the encrypted check is never the clear magic.
    if (allSame(nonce) || MAGIC.every((b, i) => check[i] === b)) return undefined;
    const keys = 1 << (algo - 1);
    const bits = 128 * keys;
    const name = probe.name.toLowerCase();
    const role =
      name === 'index.dat'
        ? 'vault index (the keys are in keychain.dat beside it)'
        : name === 'filesystem.dat'
          ? 'vault file system'
          : 'vault file';
    return locked({
      id: 'encdatavault',
      name: 'ENC DataVault vault file (SanDisk SecureAccess / PrivateAccess, Sony)',
      confidence: 0.95,
      code: 'ENCDATAVAULT_HEADER',
      message:
        `ENC DataVault ${role}: magic d2c3b4a1, algorithm id ${algo} (AES-CTR with ${keys} key${keys > 1 ? 's' : ''}, ${bits} bits), ` +
        `an 8-byte nonce and 4 encrypted check bytes that differ from the magic (they decrypt to it under the right password).`,
      figures: { algorithmId: algo, keys, keyBits: bits, role: name },
      scheme: `encdatavault-aes-ctr-${bits}`,
      keyHint: {
        description:
          'The vault password. Older vaults derive the key by iterated MD5 with fixed salts; SanDisk PrivateAccess and ENC 7.2.1+ use PBKDF2-HMAC-SHA256 with the salt and iteration count in enckey.dat beside the file; ENC vaults wrap their keys in keychain.dat.',
        kind: 'password',
        present: 'unknown',
        lookFor: ['**/enckey.dat', '**/keychain.dat'],
      },
    });
  },
});
