/**
 * Signal backups. The current message-backup format starts with the magic
 * "SBACKUP\x01"; the older Android `.backup` file starts with a 4-byte frame
 * length and a clear protobuf header frame holding the IV and the salt of
 * the 30-digit passphrase. Everything after is encrypted.
 * References: signalapp/libsignal rust/message-backup (MAGIC_NUMBER);
 * Signal-Android app/src/main/protowire/Backups.proto (BackupFrame.header).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, protoFields, startsWith, u32be } from './util.js';

export const signalBackupDetector = defineDetector({
  meta: {
    id: 'signal-backup',
    version: '1.0.0',
    title: 'Signal backups (message backup and legacy Android .backup)',
    formats: [
      {
        id: 'signal-backup',
        name: 'Signal backup',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['backup', 'encrypted', 'binproto'],
      },
    ],
  },
  minSize: 32,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (startsWith(h, 'SBACKUP\x01')) {
      return locked({
        id: 'signal-backup',
        name: 'Signal backup',
        confidence: 0.98,
        code: 'SIGNAL_BACKUP_MAGIC',
        message:
          '"SBACKUP" magic, version 1: a Signal message backup, encrypted with a key derived from the account entropy pool.',
        scheme: 'signal-message-backup',
        keyHint: {
          description:
            "The account's 64-character recovery key (account entropy pool), shown to the user; it is not stored in a file.",
          kind: 'password',
          present: 'unknown',
        },
      });
    }
    // Legacy Android .backup: [u32 length][BackupFrame{ header: { iv(16), salt(32), version? } }]
    const frameLength = u32be(h, 0) ?? 0;
    if (frameLength < 20 || frameLength > 128 || h[4] !== 0x0a || 4 + frameLength > h.length) return undefined;
    const frame = protoFields(h, 4, 4 + frameLength, 4);
    const header = frame?.[0]?.bytes ? protoFields(frame[0].bytes, 0, frame[0].bytes.length, 8) : undefined;
    const iv = header?.find((f) => f.field === 1 && f.wire === 2);
    const salt = header?.find((f) => f.field === 2 && f.wire === 2);
    if (!iv || iv.value !== 16 || (salt && salt.value !== 32)) return undefined;
    return locked({
      id: 'signal-backup',
      name: 'Signal backup',
      confidence: 0.95,
      code: 'SIGNAL_LEGACY_BACKUP_HEADER',
      message: `Signal Android backup: a clear ${frameLength}-byte header frame with a 16-byte IV${salt ? ' and a 32-byte salt' : ''}; the frames after it are encrypted.`,
      figures: { headerFrameBytes: frameLength, hasSalt: Boolean(salt) },
      scheme: 'signal-android-backup',
      keyHint: {
        description:
          'The 30-digit backup passphrase Signal showed when backups were turned on; it is not stored in a file.',
        kind: 'password',
        present: 'unknown',
      },
    });
  },
});
