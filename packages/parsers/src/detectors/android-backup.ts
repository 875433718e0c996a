/**
 * Android `adb backup` files: a text header ("ANDROID BACKUP", version,
 * compression flag, encryption) followed by a (deflated) tar stream. The
 * header says whether the payload is AES-256 encrypted with a key derived
 * from the backup password; it also records the PBKDF2 salt and rounds.
 * Reference: AOSP frameworks/base/services/backup/.../UserBackupManagerService
 * (BACKUP_FILE_HEADER_MAGIC, ENCRYPTION_ALGORITHM_NAME "AES-256").
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, plain } from './util.js';

export const androidBackupDetector = defineDetector({
  meta: {
    id: 'android-backup',
    version: '1.0.0',
    title: 'Android adb backups (.ab)',
    formats: [
      {
        id: 'android-backup',
        name: 'Android backup',
        status: 'analysable',
        how: 'header-field',
        extensions: ['ab', 'backup'],
      },
      {
        id: 'android-backup-encrypted',
        name: 'Android backup, encrypted',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['ab', 'backup'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: 'ANDROID BACKUP\n' }],
  priority: 20,
  detect(probe): Detection | undefined {
    const lines = ascii(probe.head, 0, 1024).split('\n');
    const version = Number(lines[1]);
    const compressed = lines[2] === '1';
    const encryption = lines[3] ?? '';
    if (!Number.isInteger(version) || !/^[01]$/.test(lines[2] ?? '')) return undefined;
    const figures = { version, compressed, encryption };
    if (encryption === 'none') {
      return plain('analysable', {
        id: 'android-backup',
        name: 'Android backup',
        confidence: 0.98,
        code: 'ANDROID_BACKUP_PLAIN',
        message: `Android backup header: version ${version}, ${compressed ? 'deflate-compressed' : 'uncompressed'} tar, encryption "none".`,
        figures,
      });
    }
    if (encryption === 'AES-256') {
      const [userSalt, checksumSalt] = [lines[4] ?? '', lines[5] ?? ''];
      const parsedRounds = Number.parseInt(lines[6] ?? '', 10);
      const rounds = Number.isFinite(parsedRounds) ? parsedRounds : -1;
      return locked({
        id: 'android-backup-encrypted',
        name: 'Android backup, encrypted',
        confidence: 0.99,
        code: 'ANDROID_BACKUP_AES',
        message: `Android backup header: version ${version}, encryption "AES-256" (PBKDF2 with ${rounds} rounds over the backup password).`,
        figures: {
          ...figures,
          pbkdf2Rounds: rounds,
          userSaltHexLength: userSalt.length,
          checksumSaltHexLength: checksumSalt.length,
        },
        scheme: 'android-backup-aes-256',
        keyHint: {
          description: 'The backup password typed on the device when `adb backup` ran (not stored on the device).',
          kind: 'password',
          present: 'unknown',
        },
      });
    }
    return undefined;
  },
});
