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

/** The text header of an `adb backup` stream (the AOSP layout), read from its first line on. */
export interface AndroidBackupHeader {
  version: number;
  compressed: boolean;
  /** "none" or "AES-256" (anything else is not a header AOSP writes). */
  encryption: 'none' | 'AES-256';
  /** PBKDF2 rounds (AES-256 only; -1 when unreadable). */
  rounds: number;
  userSaltHexLength: number;
  checksumSaltHexLength: number;
}

/** The header fields of an `adb backup` stream starting at "ANDROID BACKUP\n", or undefined when they are not AOSP's. */
export function readAndroidBackupHeader(text: string): AndroidBackupHeader | undefined {
  const lines = text.split('\n');
  if (lines[0] !== 'ANDROID BACKUP') return undefined;
  const version = Number(lines[1]);
  const encryption = lines[3] ?? '';
  if (!Number.isInteger(version) || !/^[01]$/.test(lines[2] ?? '')) return undefined;
  if (encryption !== 'none' && encryption !== 'AES-256') return undefined;
  const parsedRounds = Number.parseInt(lines[6] ?? '', 10);
  const aes = encryption === 'AES-256';
  return {
    version,
    compressed: lines[2] === '1',
    encryption,
    rounds: aes && Number.isFinite(parsedRounds) ? parsedRounds : -1,
    userSaltHexLength: aes ? (lines[4] ?? '').length : 0,
    checksumSaltHexLength: aes ? (lines[5] ?? '').length : 0,
  };
}

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
    const header = readAndroidBackupHeader(ascii(probe.head, 0, 1024));
    if (!header) return undefined;
    const { version, compressed, encryption } = header;
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
    const { rounds, userSaltHexLength, checksumSaltHexLength } = header;
    return locked({
      id: 'android-backup-encrypted',
      name: 'Android backup, encrypted',
      confidence: 0.99,
      code: 'ANDROID_BACKUP_AES',
      message: `Android backup header: version ${version}, encryption "AES-256" (PBKDF2 with ${rounds} rounds over the backup password).`,
      figures: {
        ...figures,
        pbkdf2Rounds: rounds,
        userSaltHexLength,
        checksumSaltHexLength,
      },
      scheme: 'android-backup-aes-256',
      keyHint: {
        description: 'The backup password typed on the device when `adb backup` ran (not stored on the device).',
        kind: 'password',
        present: 'unknown',
      },
    });
  },
});
