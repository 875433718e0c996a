/**
 * andOTP's password-encrypted backups (`otp_accounts_<date>.json.aes`). Since
 * andOTP 0.6.3 such a file is: the PBKDF2 iteration count (u32 big-endian,
 * drawn between 140000 and 160000), a 12-byte salt, a 12-byte IV, then the
 * AES-256-GCM ciphertext of the accounts JSON with its 16-byte tag. The count's
 * range fixes the first two bytes at 00 02, which is also gocryptfs's file
 * version: the backup's name (`.json.aes`, which andOTP always writes) and a
 * count in andOTP's range tell the two apart. Older backups (IV and ciphertext
 * only, key SHA-256 of the password) have no header and are left to statistics.
 * Reference: andOTP source, BackupHelper / EncryptionHelper
 * (PBKDF2_MIN_BACKUP_ITERATIONS, PBKDF2_MAX_BACKUP_ITERATIONS, encrypted backup layout).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { spreadLikeRandom } from './statistics-figures.js';
import { appendedAfterCiphertext, locked, notingZeroPadding, passwordHint } from './util.js';

const MIN_ITERATIONS = 140_000;
const MAX_ITERATIONS = 160_000;
const SALT = 12;
const IV = 12;
const TAG = 16;
const HEADER = 4 + SALT + IV;
/** The smallest accounts JSON ("[]") sealed. */
const MIN_SIZE = HEADER + 2 + TAG;

export const andotpBackupDetector = defineDetector({
  meta: {
    id: 'andotp-backup',
    version: '1.1.0',
    title: 'andOTP encrypted backups (.json.aes)',
    formats: [
      {
        id: 'andotp-backup-encrypted',
        name: 'andOTP authenticator backup, password-encrypted',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['json.aes'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '0002' }],
  minSize: MIN_SIZE,
  priority: 30,
  detect(probe): Detection | undefined {
    if (!probe.name.toLowerCase().endsWith('.json.aes')) return undefined;
    const h = probe.head;
    if (h.length < MIN_SIZE) return undefined;
    const iterations = new DataView(h.buffer, h.byteOffset, 4).getUint32(0, false);
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) return undefined;
    // NULs or text after the tag (slack, a note appended) are set aside before the body is judged.
    const appended = appendedAfterCiphertext(probe);
    const end =
      probe.size - (appended ? ('zeroPadding' in appended ? appended.zeroPadding : appended.trailingBytes) : 0);
    if (end < MIN_SIZE) return undefined;
    // Salt, IV and ciphertext are random throughout: a text or zero-filled file with this name is not a backup.
    if (!spreadLikeRandom(h.subarray(4, Math.min(h.length, 4096, end)))) return undefined;
    const detection = locked({
      id: 'andotp-backup-encrypted',
      name: 'andOTP authenticator backup, password-encrypted',
      // Above gocryptfs's reading of the same 00 02 start, which the name and the count's range rule out.
      confidence: 0.93,
      code: 'ANDOTP_BACKUP_HEADER',
      message: `andOTP backup header: PBKDF2 iteration count ${iterations} (andOTP draws it between ${MIN_ITERATIONS} and ${MAX_ITERATIONS}), a 12-byte salt and a 12-byte IV before ${end - HEADER} bytes of AES-256-GCM ciphertext and tag; the name ends in .json.aes as andOTP writes it.`,
      figures: { iterations, ciphertextBytes: end - HEADER },
      scheme: 'andotp-pbkdf2-aes-256-gcm',
      keyHint: passwordHint("The andOTP backup password (set in andOTP's backup settings)."),
    });
    return notingZeroPadding(detection, appended, 'the backup before them');
  },
});
