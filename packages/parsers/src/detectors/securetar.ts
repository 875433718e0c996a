/**
 * SecureTar, the encrypted tar members of Home Assistant backups: a backup
 * (`<slug>.tar`) is a plain tar holding `backup.json` and one
 * `<name>.tar.gz` per part; a password-protected backup encrypts each part.
 * Version 2 (Home Assistant 2024+): "SecureTar", version byte 2, six zero
 * bytes, the plaintext size (u64 big-endian) and eight reserved bytes, a
 * 16-byte IV, then AES-128-CBC with PKCS#7 padding, so the file is exactly 48
 * bytes plus the padded plaintext. Version 3: the same 32-byte file id and
 * metadata, a 104-byte cipher header (Argon2id salt, XChaCha20-Poly1305
 * secretstream header), then 1 MiB chunks each with a 17-byte tag. Version 1
 * has no magic (a bare IV), and is left to the statistics.
 * References: home-assistant-libs/securetar (SECURETAR_MAGIC, the v2/v3
 * header sizes). Fixtures written from that layout with the `cryptography`
 * package (fixtures/securetar/generate.sh): the securetar package is not in
 * this machine's registries.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, passwordHint, u64be } from './util.js';

const MAGIC = 'SecureTar';
const FILE_ID = 16;
const METADATA = 16;
const V2_HEADER = FILE_ID + METADATA + 16;
const V3_HEADER = FILE_ID + METADATA + 104;
const V3_CHUNK = 1024 * 1024;
const V3_TAG = 17;

export const secureTarDetector = defineDetector({
  meta: {
    id: 'securetar',
    version: '1.0.0',
    title: 'SecureTar encrypted tar streams (Home Assistant backups)',
    formats: [
      {
        id: 'securetar',
        name: 'SecureTar encrypted tar (Home Assistant backup part)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['tar.gz', 'tar'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: MAGIC }],
  minSize: V2_HEADER + 16,
  priority: 20,
  detect(probe): Detection | undefined {
    const { head, size } = probe;
    const version = head[9];
    if (version !== 2 && version !== 3) return undefined;
    // Reserved bytes of the file id and of the metadata are zero.
    for (const i of [10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]) if (head[i] !== 0) return undefined;
    const plaintext = u64be(head, 16);
    if (plaintext === undefined) return undefined;
    let expected: number;
    if (version === 2) expected = V2_HEADER + plaintext + 16 - (plaintext % 16);
    else expected = V3_HEADER + plaintext + V3_TAG * Math.max(1, Math.ceil(plaintext / V3_CHUNK));
    // A v2 file's length follows from the plaintext size; a v3 one at least holds its chunks' tags.
    if (version === 2 ? size !== expected : size < expected) return undefined;
    const v2 = version === 2;
    return locked({
      id: 'securetar',
      name: 'SecureTar encrypted tar (Home Assistant backup part)',
      confidence: 0.97,
      code: 'SECURETAR_HEADER',
      message: v2
        ? `SecureTar version 2: "SecureTar" magic, plaintext size ${plaintext} and a 16-byte IV, then AES-128-CBC (file length ${size} = 48 + padded plaintext).`
        : `SecureTar version 3: "SecureTar" magic, plaintext size ${plaintext}, an Argon2id salt and XChaCha20-Poly1305 secretstream header, then the encrypted chunks.`,
      scheme: v2 ? 'securetar-v2-aes-128-cbc' : 'securetar-v3-argon2id-xchacha20-poly1305',
      keyHint: passwordHint(
        'The Home Assistant backup encryption key (the password, or since 2025 the generated key shown in Settings › System › Backups and saved in the emergency kit text file). backup.json beside the parts says `"protected": true`.',
      ),
      figures: { version, plaintextSize: plaintext },
    });
  },
});
