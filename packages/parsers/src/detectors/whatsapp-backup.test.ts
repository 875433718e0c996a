import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { whatsappBackupDetector } from './whatsapp-backup.js';

testDetector(
  whatsappBackupDetector,
  {
    fixtures: new URL('../../fixtures/whatsapp-backup/', import.meta.url),
    valid: [
      {
        file: 'msgstore.db.crypt15',
        format: 'whatsapp-crypt15',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['WHATSAPP_BACKUP_PREFIX'],
        encryption: {
          scheme: 'whatsapp-crypt15',
          keyHint: {
            kind: 'key-file',
            lookFor: ['**/com.whatsapp/files/encrypted_backup.key', '**/com.whatsapp.w4b/files/encrypted_backup.key'],
          },
        },
        details: { keyType: 1, appVersion: '2.24.3.78', jidSuffix: '67', backupVersion: '1' },
      },
      {
        file: 'msgstore.db.crypt14',
        format: 'whatsapp-crypt14',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['WHATSAPP_BACKUP_PREFIX'],
        encryption: {
          scheme: 'whatsapp-crypt14',
          keyHint: { lookFor: ['**/com.whatsapp/files/key', '**/com.whatsapp.w4b/files/key'] },
        },
        details: { keyType: 0 },
      },
      {
        file: 'msgstore.db.crypt15',
        name: 'crypt15 where WhatsApp writes backups',
        path: 'sdcard/Android/media/com.whatsapp/WhatsApp/Databases/msgstore.db.crypt15',
        format: 'whatsapp-crypt15',
        status: 'encrypted',
        confidence: 0.99,
        reasons: ['WHATSAPP_BACKUP_PREFIX', 'WHATSAPP_BACKUP_LOCATION'],
      },
      {
        file: 'msgstore-2024-01-01.1.db.crypt12',
        format: 'whatsapp-crypt12',
        status: 'encrypted',
        reasons: ['WHATSAPP_CRYPT12_HEADER'],
        encryption: { scheme: 'whatsapp-crypt12' },
      },
      {
        file: 'data/data/com.whatsapp/files/key',
        format: 'whatsapp-key',
        status: 'opaque',
        reasons: ['WHATSAPP_KEY_FILE'],
      },
      {
        file: 'data/data/com.whatsapp/files/encrypted_backup.key',
        format: 'whatsapp-key',
        status: 'opaque',
        reasons: ['WHATSAPP_KEY_FILE'],
      },
    ],
    invalid: [{ file: 'plain-protobuf.bin' }, { file: 'byte-array-131.ser' }],
  },
  { framework: { describe, it } },
);
