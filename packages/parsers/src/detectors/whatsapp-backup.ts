/**
 * WhatsApp Android backups (`msgstore.db.crypt12`, `.crypt14`, `.crypt15`)
 * and the key files that unlock them. crypt12 starts with a 67-byte header
 * (cipher header 0x0001, key version, server salt, Google-id hash, IV);
 * crypt14 and crypt15 start with a length-prefixed protobuf ("BackupPrefix")
 * whose key type says which key is needed (0: the `files/key` file, 1: the
 * end-to-end `encrypted_backup.key`) and whose clear fields carry the app
 * version, the last two digits of the phone number and the backup version.
 * Key files are Java-serialised byte arrays: raw key material, opaque, not encrypted.
 * Reference: ElDavoo/wa-crypt-tools (proto/prefix.proto, key14.py, key15.py).
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { ascii, locked, plain, protoFields, startsWith, u32be, type ProtoField } from './util.js';

const KEY14_GLOBS = ['**/com.whatsapp/files/key', '**/com.whatsapp.w4b/files/key'];
const KEY15_GLOBS = ['**/com.whatsapp/files/encrypted_backup.key', '**/com.whatsapp.w4b/files/encrypted_backup.key'];
/** Where WhatsApp (and WhatsApp Business) write backups on Android shared storage. */
const WHATSAPP_FOLDER = /(^|\/)(Android\/media\/com\.whatsapp(\.w4b)?\/)?WhatsApp( Business)?\/(Databases|Backups)\//;
const JAVA_BYTE_ARRAY = Uint8Array.from([0xac, 0xed, 0x00, 0x05, 0x75, 0x72, 0x00, 0x02, 0x5b, 0x42]);

const key14Hint: KeyHint = {
  description:
    "The 158-byte key file in WhatsApp's private data (data/data/com.whatsapp/files/key); it is also held by WhatsApp's servers.",
  kind: 'key-file',
  present: 'unknown',
  lookFor: KEY14_GLOBS,
};
const key15Hint: KeyHint = {
  description:
    'The end-to-end backup key: data/data/com.whatsapp/files/encrypted_backup.key on the device, or the 64-digit key / password the user chose for end-to-end backups.',
  kind: 'key-file',
  present: 'unknown',
  lookFor: KEY15_GLOBS,
};

function text(f: ProtoField | undefined): string | undefined {
  if (!f?.bytes || f.bytes.length > 64) return undefined;
  const s = ascii(f.bytes);
  return /^[\x20-\x7e]*$/.test(s) ? s : undefined;
}

export const whatsappBackupDetector = defineDetector({
  meta: {
    id: 'whatsapp-backup',
    version: '1.0.0',
    title: 'WhatsApp crypt12/14/15 backups and their key files',
    formats: [
      {
        id: 'whatsapp-crypt12',
        name: 'WhatsApp crypt12 backup',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['crypt12'],
      },
      {
        id: 'whatsapp-crypt14',
        name: 'WhatsApp crypt14 backup',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['crypt14'],
      },
      {
        id: 'whatsapp-crypt15',
        name: 'WhatsApp crypt15 (end-to-end) backup',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['crypt15'],
      },
      { id: 'whatsapp-key', name: 'WhatsApp backup key file', status: 'opaque', how: 'structure', extensions: ['key'] },
    ],
    indexPatterns: [...KEY14_GLOBS, ...KEY15_GLOBS],
  },
  minSize: 32,
  priority: 15,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const ext = probe.extension;
    // Key files: Java-serialised byte[] named key / encrypted_backup.key. The crypt12/14 key is also known by its
    // bytes under any name: an array of exactly 131 bytes (u32 length at 23, ending the file) that starts with the
    // cipher header 0x0001 and key version 1 or 2, as the backups it opens do. The 32-byte crypt15 key is any
    // 32 bytes: only its name tells it.
    const key14Bytes =
      startsWith(h, JAVA_BYTE_ARRAY) &&
      probe.size === 27 + 131 &&
      u32be(h, 23) === 131 &&
      h[27] === 0 &&
      h[28] === 1 &&
      (h[29] === 1 || h[29] === 2);
    if (
      key14Bytes ||
      (startsWith(h, JAVA_BYTE_ARRAY) && (probe.name === 'key' || probe.name === 'encrypted_backup.key'))
    ) {
      const keyLength = probe.size - 27;
      return plain('opaque', {
        id: 'whatsapp-key',
        name: 'WhatsApp backup key file',
        confidence: 0.95,
        code: 'WHATSAPP_KEY_FILE',
        message: key14Bytes
          ? `A Java-serialised byte array of ${keyLength} bytes starting with the cipher header 0x0001 and key version ${h[29]}: WhatsApp's key file for crypt12/crypt14 backups, in clear.`
          : `A Java-serialised byte array named ${probe.name} (${keyLength} bytes of key material): the key that unlocks ${probe.name === 'key' ? 'crypt12/crypt14' : 'crypt15'} backups, in clear.`,
        figures: { keyBytes: keyLength },
      });
    }
    const prefix = parsePrefix(h);
    const where = WHATSAPP_FOLDER.exec(probe.logicalPath)?.[0];
    const located = (d: Detection): Detection =>
      where
        ? {
            ...d,
            confidence: Math.min(0.99, d.confidence + 0.01),
            reasons: [
              ...d.reasons,
              { code: 'WHATSAPP_BACKUP_LOCATION', message: `Found under ${where}, where WhatsApp writes its backups.` },
            ],
          }
        : d;
    if (prefix) {
      const crypt15 = prefix.keyType === 1 || ext === 'crypt15';
      const id = crypt15 ? 'whatsapp-crypt15' : 'whatsapp-crypt14';
      const facts = [
        prefix.appVersion && `app version ${prefix.appVersion}`,
        prefix.jidSuffix && `phone number ending ${prefix.jidSuffix}`,
        prefix.backupVersion && `backup version ${prefix.backupVersion}`,
      ]
        .filter(Boolean)
        .join(', ');
      const figures: Record<string, string | number> = { keyType: prefix.keyType, prefixBytes: prefix.size };
      if (prefix.appVersion) figures.appVersion = prefix.appVersion;
      if (prefix.jidSuffix) figures.jidSuffix = prefix.jidSuffix;
      if (prefix.backupVersion) figures.backupVersion = prefix.backupVersion;
      return located(
        locked({
          id,
          name: crypt15 ? 'WhatsApp crypt15 (end-to-end) backup' : 'WhatsApp crypt14 backup',
          confidence: ext.startsWith('crypt') ? 0.98 : 0.9,
          code: 'WHATSAPP_BACKUP_PREFIX',
          message: `WhatsApp backup prefix (protobuf, ${prefix.size} bytes) with key type ${prefix.keyType} (${crypt15 ? 'end-to-end backup key' : 'device key file'})${facts ? `; ${facts}` : ''}.`,
          figures,
          scheme: crypt15 ? 'whatsapp-crypt15' : 'whatsapp-crypt14',
          keyHint: crypt15 ? key15Hint : key14Hint,
          details: {
            keyType: prefix.keyType,
            appVersion: prefix.appVersion,
            jidSuffix: prefix.jidSuffix,
            backupVersion: prefix.backupVersion,
          },
        }),
      );
    }
    // crypt12: 0x00 0x01, key version, then salt/ids/IV; only the extension makes three bytes worth believing.
    if (
      h[0] === 0 &&
      h[1] === 1 &&
      (h[2] === 1 || h[2] === 2) &&
      /^crypt(12|8|9|10|11)$/.test(ext) &&
      probe.size > 67 + 20
    ) {
      return located(
        locked({
          id: 'whatsapp-crypt12',
          name: 'WhatsApp crypt12 backup',
          confidence: 0.93,
          code: 'WHATSAPP_CRYPT12_HEADER',
          message: `crypt12 header (cipher header 0x0001, key version ${h[2]}) on a .${ext} file; AES-GCM ciphertext follows the 67-byte header.`,
          figures: { keyVersion: h[2] },
          scheme: 'whatsapp-crypt12',
          keyHint: key14Hint,
        }),
      );
    }
    return undefined;
  },
});

/** Parses the crypt14/15 length-prefixed protobuf, or returns undefined. */
function parsePrefix(
  h: Uint8Array,
): { size: number; keyType: number; appVersion?: string; jidSuffix?: string; backupVersion?: string } | undefined {
  const size = h[0]!;
  if (size < 16) return undefined;
  const start = h[1] === 1 ? 2 : 1;
  if (start + size > h.length) return undefined;
  const fields = protoFields(h, start, start + size, 16);
  if (!fields || fields.some((f) => f.field > 16)) return undefined;
  const keyType = fields.find((f) => f.field === 1 && f.wire === 0)?.value;
  const c14 = fields.find((f) => f.field === 2 && f.wire === 2);
  const c15 = fields.find((f) => f.field === 3 && f.wire === 2);
  if (keyType === undefined || (keyType !== 0 && keyType !== 1) || (!c14 && !c15)) return undefined;
  // The cipher fields must have their shape: crypt15 an IV of 16 bytes, crypt14 a 32-byte server salt.
  const inner = protoFields((c15 ?? c14)!.bytes!);
  if (c15 && !inner?.some((f) => f.field === 1 && f.bytes?.length === 16)) return undefined;
  if (!c15 && !inner?.some((f) => f.bytes?.length === 32)) return undefined;
  const infoField = fields.find((f) => f.field === 4 && f.wire === 2);
  const info = infoField?.bytes ? protoFields(infoField.bytes) : undefined;
  const out: { size: number; keyType: number; appVersion?: string; jidSuffix?: string; backupVersion?: string } = {
    size,
    keyType,
  };
  const appVersion = text(info?.find((f) => f.field === 1));
  const jidSuffix = text(info?.find((f) => f.field === 2));
  const backupVersion = info?.find((f) => f.field === 3);
  if (appVersion) out.appVersion = appVersion;
  if (jidSuffix) out.jidSuffix = jidSuffix;
  if (backupVersion)
    out.backupVersion = backupVersion.wire === 0 ? String(backupVersion.value) : (text(backupVersion) ?? '');
  if (out.backupVersion === '') delete out.backupVersion;
  return out;
}
