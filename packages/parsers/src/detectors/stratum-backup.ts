/**
 * Encrypted backups of Stratum (formerly Authenticator Pro), an Android TOTP
 * app. The file starts with a 16-byte ASCII header naming the scheme:
 * "AUTHENTICATORPRO" then a 16-byte salt, a 12-byte IV and AES-256-GCM
 * ciphertext with its tag (key: Argon2id of the password), or, in older
 * backups, "AuthenticatorPro" then a 20-byte salt, a 16-byte IV and
 * AES-256-CBC ciphertext in whole blocks (key: PBKDF2-HMAC-SHA1, 64000
 * iterations). The header is checked together with the layout's arithmetic
 * and random bytes after it. Unencrypted backups are JSON with the secrets
 * in clear.
 * Reference: stratumauth/app doc/BACKUP_FORMAT.md and Core/Backup/Encryption
 * (StrongBackupEncryption, LegacyBackupEncryption).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { spreadLikeRandom } from './statistics-figures.js';
import { ascii, locked, passwordHint } from './util.js';

const HEADER = 16;
const STRONG = { magic: 'AUTHENTICATORPRO', salt: 16, iv: 12, tag: 16 };
const LEGACY = { magic: 'AuthenticatorPro', salt: 20, iv: 16 };
const BLOCK = 16;

const keyHint = passwordHint('The password chosen when the Stratum / Authenticator Pro backup was made.');

export const stratumBackupDetector = defineDetector({
  meta: {
    id: 'stratum-backup',
    version: '1.0.0',
    title: 'Stratum (Authenticator Pro) encrypted backups',
    formats: [
      {
        id: 'stratum-backup-encrypted',
        name: 'Stratum / Authenticator Pro backup, password-encrypted',
        status: 'encrypted',
        how: 'signature',
        extensions: ['stratum', 'authpro'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: STRONG.magic },
    { offset: 0, ascii: LEGACY.magic },
  ],
  minSize: HEADER + STRONG.salt + STRONG.iv + STRONG.tag,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const magic = ascii(h, 0, HEADER);
    const strong = magic === STRONG.magic;
    if (!strong && magic !== LEGACY.magic) return undefined;
    const prefix = HEADER + (strong ? STRONG.salt + STRONG.iv : LEGACY.salt + LEGACY.iv);
    const body = probe.size - prefix;
    // GCM: at least the tag; CBC: whole blocks, at least one.
    if (strong ? body < STRONG.tag : body < BLOCK || body % BLOCK !== 0) return undefined;
    if (!spreadLikeRandom(h.subarray(HEADER, Math.min(h.length, 4096)))) return undefined;
    return locked({
      id: 'stratum-backup-encrypted',
      name: 'Stratum / Authenticator Pro backup, password-encrypted',
      confidence: 0.95,
      code: strong ? 'STRATUM_BACKUP_HEADER' : 'AUTHENTICATORPRO_LEGACY_BACKUP_HEADER',
      message: strong
        ? `"${STRONG.magic}" header, a 16-byte salt and a 12-byte IV before ${body} bytes of AES-256-GCM ciphertext and tag: the TOTP secrets need the backup password (Argon2id).`
        : `"${LEGACY.magic}" header (legacy backup), a 20-byte salt and a 16-byte IV before ${body} bytes of AES-256-CBC ciphertext: the TOTP secrets need the backup password (PBKDF2-HMAC-SHA1, 64000 iterations).`,
      figures: { ciphertextBytes: body, legacy: !strong },
      scheme: strong ? 'stratum-argon2id-aes-256-gcm' : 'authenticatorpro-pbkdf2-aes-256-cbc',
      keyHint,
    });
  },
});
