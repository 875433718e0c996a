/**
 * Key files of Nextcloud 20+ server-side encryption. The key storage writes every key file (a user's
 * `.privateKey` and `.publicKey`, the master, recovery and public-share keys, each file's `fileKey` and
 * `.shareKey`) as OC\Security\Crypto output over the JSON {"key": base64, "uid": …}: the AES-CBC ciphertext in
 * hex, "|", the 16-byte IV in hex, "|", the HMAC-SHA512 in hex, "|", the version ("3": keys from HKDF-SHA512 of
 * the secret; "2": the secret itself). The whole file is that one line, so its exact shape (whole AES blocks,
 * a 32-digit IV, a 128-digit MAC) is the structure; the key is the instance secret in config/config.php, and
 * the private keys inside are themselves encrypted (the `nextcloud-encryption` detector's header).
 * References: nextcloud/server lib/private/Security/Crypto.php (encrypt, decryptWithoutSecret) and
 * lib/private/Encryption/Keys/Storage.php (setKey, getKey).
 */
import { defineDetector, type Detection, type KeyHint, type Probe } from '@evtriage/core/contract';
import { ascii, locked } from './util.js';

/** At least one AES block (32 hex digits), the IV, the MAC and the version. */
const MIN = 32 + 1 + 32 + 1 + 128 + 2;
/** Key files are small: a 4096-bit RSA key's PEM, encrypted, base64'd, in JSON, in hex, is about 14 KiB. */
const MAX = 64 * 1024;
const LINE = /^((?:[0-9a-f]{32})+)\|([0-9a-f]{32})\|([0-9a-f]{128})\|([23])$/;
const PIPE = 0x7c;

const KEY_HINT: KeyHint = {
  description:
    "The Nextcloud instance's secret ('secret' in config/config.php) opens the key file; a private key inside is encrypted again, by the user's login password or, for the master key, the same secret.",
  kind: 'key-file',
  present: 'unknown',
  lookFor: ['**/config/config.php'],
};

/** Whether the first byte is a lower-case hex digit and the file ends "|2" or "|3" (cheap, on every file). */
function looksLikeLine(probe: Probe): boolean {
  const h = probe.head;
  if (probe.size < MIN || probe.size > MAX || h.length < probe.size) return false;
  const first = h[0]!;
  const version = h[probe.size - 1]!;
  return (
    ((first >= 0x30 && first <= 0x39) || (first >= 0x61 && first <= 0x66)) &&
    h[probe.size - 2] === PIPE &&
    (version === 0x32 || version === 0x33)
  );
}

export const nextcloudKeyStorageDetector = defineDetector({
  meta: {
    id: 'nextcloud-key-storage',
    version: '1.0.0',
    title: 'Nextcloud 20+ key files (OC\\Security\\Crypto over the key JSON)',
    formats: [
      {
        id: 'nextcloud-key-storage',
        name: 'Nextcloud key file (wrapped by the instance secret)',
        status: 'encrypted',
        how: 'structure',
      },
    ],
    indexPatterns: ['**/config/config.php'],
  },
  minSize: MIN,
  maxSize: MAX,
  priority: 30,
  detect(probe): Detection | undefined {
    if (!looksLikeLine(probe)) return undefined;
    const m = LINE.exec(ascii(probe.head, 0, probe.size));
    if (!m) return undefined;
    const blocks = m[1]!.length / 32;
    const name = probe.name;
    const kind = /\.privateKey$/.test(name)
      ? 'private key'
      : /\.publicKey$/.test(name)
        ? 'public key'
        : /\.shareKey$/.test(name)
          ? 'share key'
          : name === 'fileKey'
            ? 'file key'
            : 'key';
    return locked({
      id: 'nextcloud-key-storage',
      name: 'Nextcloud key file (wrapped by the instance secret)',
      confidence: 0.95,
      code: 'NEXTCLOUD_KEY_STORAGE',
      message: `A Nextcloud ${kind} file as the key storage writes it since version 20: ${blocks} AES-CBC block${blocks === 1 ? '' : 's'} in hex, the 16-byte IV and an HMAC-SHA512 in hex, version ${m[4]}, over the key's JSON, under the instance secret.`,
      figures: { blocks, version: Number(m[4]), kind },
      scheme: `nextcloud-crypto-aes-cbc-v${m[4]}`,
      keyHint: KEY_HINT,
    });
  },
});
