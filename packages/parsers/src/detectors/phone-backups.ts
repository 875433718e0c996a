/**
 * Phone backups written by vendors' tools, recognised by their own headers:
 * - Xiaomi MIUI `.bak` (Backup & restore, `MIUI/backup/AllBackup/<date>/`):
 *   MIUI's text header ("MIUI BACKUP", version, "<package> <label>", feature
 *   id, type: 0/20 plain, 1/21 encrypted with a password line, 20/21 adding a
 *   user-id line) and then an AOSP `adb backup` stream, AES-256 under the
 *   backup password when encrypted. Reference: miui.app.backup.
 *   BackupFileResolver (readMiuiHeader/writeMiuiHeader in MIUI's framework).
 * - BlackBerry OS `.ipd` (Desktop Manager): "Inter@ctive Pager Backup/Restore
 *   File", version, database count and names, then records. A record store
 *   only BlackBerry-specific tools read: opaque. Reference: ipddump,
 *   A. Bittau's IPD editor.
 * - iTunes `Manifest.mbdb` (iOS 5-9 backups): "mbdb\x05\x00" and one record
 *   per stored file (domain, path, link, SHA-1, wrapped key, stat fields). Not
 *   itself encrypted, but a record's wrapped key says the backup's files are.
 *   Reference: libimobiledevice's mbdb layout.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { readAndroidBackupHeader } from './android-backup.js';
import { ascii, locked, passwordHint, plain, startsWith, u16be, u16le } from './util.js';

const MIUI_MAGIC = 'MIUI BACKUP\n';
const IPD_MAGIC = 'Inter@ctive Pager Backup/Restore File\n';
const MBDB_MAGIC = 'mbdb\x05\x00';
const PRINTABLE = /^[\x20-\x7e]+$/;

export const phoneBackupsDetector = defineDetector({
  meta: {
    id: 'phone-backups',
    version: '1.0.0',
    title: 'Vendor phone backups: Xiaomi MIUI .bak, BlackBerry .ipd, iTunes Manifest.mbdb',
    formats: [
      { id: 'miui-backup', name: 'Xiaomi MIUI backup', status: 'analysable', how: 'header-field', extensions: ['bak'] },
      {
        id: 'miui-backup-encrypted',
        name: 'Xiaomi MIUI backup, encrypted',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['bak'],
      },
      { id: 'blackberry-ipd', name: 'BlackBerry IPD backup', status: 'opaque', how: 'signature', extensions: ['ipd'] },
      {
        id: 'ios-backup-mbdb',
        name: 'iTunes backup manifest (Manifest.mbdb)',
        status: 'opaque',
        how: 'signature',
        extensions: ['mbdb'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: MIUI_MAGIC },
    { offset: 0, ascii: IPD_MAGIC },
    { offset: 0, ascii: MBDB_MAGIC },
  ],
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (startsWith(h, MIUI_MAGIC)) return miui(probe);
    if (startsWith(h, IPD_MAGIC)) return ipd(h);
    if (startsWith(h, MBDB_MAGIC)) return mbdb(h);
    return undefined;
  },
});

const MIUI_KEY =
  'The MIUI backup password set in Backup & restore on the Xiaomi phone (not stored in the backup; ' +
  "the header's password line is MIUI's own, unpublished encoding of it).";

/** MIUI's header lines, then the adb backup stream right after them. */
function miui(probe: Probe): Detection | undefined {
  const text = ascii(probe.head, 0, Math.min(probe.head.length, 2048));
  const lines = text.split('\n');
  const [version, pkg, feature, type] = [lines[1], lines[2], lines[3], lines[4]];
  if (!version || !/^\d{1,3}$/.test(version) || !pkg || !PRINTABLE.test(pkg)) return undefined;
  if (!/^\S+\.\S+/.test(pkg) || !feature || !/^-?\d{1,10}$/.test(feature)) return undefined;
  if (!type || !/^(0|1|20|21)$/.test(type)) return undefined;
  const passwordLine = type === '1' || type === '21';
  const userLine = type === '20' || type === '21';
  let next = 5;
  if (passwordLine && !PRINTABLE.test(lines[next++] ?? '')) return undefined;
  if (userLine && !/^\d{1,10}$/.test(lines[next++] ?? '')) return undefined;
  const innerAt = lines.slice(0, next).join('\n').length + 1;
  const inner = readAndroidBackupHeader(text.slice(innerAt));
  const packageName = pkg.split(' ')[0] ?? pkg;
  const figures = {
    miuiVersion: Number(version),
    packageName,
    type: Number(type),
    innerAdbBackup: inner !== undefined,
    innerEncryption: inner?.encryption ?? 'unknown',
    innerOffset: innerAt,
  };
  const adb = inner
    ? `; the Android backup stream at byte ${innerAt} says encryption "${inner.encryption}"`
    : '; no Android backup header follows in the bytes read';
  if (!passwordLine && inner?.encryption !== 'AES-256') {
    if (!inner) return undefined;
    return plain('analysable', {
      id: 'miui-backup',
      name: 'Xiaomi MIUI backup',
      confidence: 0.97,
      code: 'MIUI_BACKUP_PLAIN',
      message: `MIUI backup header (version ${version}, package ${packageName}, type ${type}: no password)${adb}.`,
      figures,
    });
  }
  return locked({
    id: 'miui-backup-encrypted',
    name: 'Xiaomi MIUI backup, encrypted',
    confidence: inner?.encryption === 'AES-256' ? 0.99 : 0.9,
    code: 'MIUI_BACKUP_ENCRYPTED',
    message: `MIUI backup header (version ${version}, package ${packageName}, type ${type}: ${passwordLine ? 'password set' : 'no password line'})${adb}.`,
    figures,
    scheme: inner?.encryption === 'AES-256' ? 'android-backup-aes-256' : 'miui-backup',
    keyHint: passwordHint(MIUI_KEY),
  });
}

/** The IPD header: version, database count, a zero byte, then length-prefixed NUL-terminated names. */
function ipd(h: Uint8Array): Detection | undefined {
  let at = IPD_MAGIC.length;
  const version = h[at];
  const databases = u16be(h, at + 1);
  if ((version !== 2 && version !== 3) || !databases || databases > 4096 || h[at + 3] !== 0) return undefined;
  at += 4;
  const names: string[] = [];
  while (names.length < Math.min(databases, 8) && at + 2 <= h.length) {
    const len = u16le(h, at) ?? 0;
    if (len < 2 || len > 256 || at + 2 + len > h.length || h[at + 2 + len - 1] !== 0) return undefined;
    const name = ascii(h, at + 2, at + 2 + len - 1);
    if (!PRINTABLE.test(name)) return undefined;
    names.push(name);
    at += 2 + len;
  }
  if (names.length === 0) return undefined;
  return plain('opaque', {
    id: 'blackberry-ipd',
    name: 'BlackBerry IPD backup',
    confidence: 0.96,
    code: 'BLACKBERRY_IPD_HEADER',
    message: `BlackBerry Desktop Manager backup header: version ${version}, ${databases} database(s) (${names.slice(0, 3).join(', ')}${databases > 3 ? ', ...' : ''}); records only BlackBerry-specific tools read.`,
    figures: { version, databases, firstDatabase: names[0] ?? '' },
  });
}

/** A u16 BE length-prefixed string (0xFFFF for none): [bytes or null, next offset], or undefined when cut short. */
function mbdbString(h: Uint8Array, at: number, max: number): [Uint8Array | null, number] | undefined {
  const len = u16be(h, at);
  if (len === undefined) return undefined;
  if (len === 0xffff) return [null, at + 2];
  if (len > max || at + 2 + len > h.length) return undefined;
  return [h.subarray(at + 2, at + 2 + len), at + 2 + len];
}

/** Reads the records in the head: each domain must be a backup domain; counts records carrying a wrapped key. */
function mbdb(h: Uint8Array): Detection | undefined {
  let at = MBDB_MAGIC.length;
  let records = 0;
  let withKeys = 0;
  while (records < 64) {
    const domain = mbdbString(h, at, 1024);
    if (!domain) break;
    const name = domain[0] ? ascii(domain[0]) : '';
    if (!/^[A-Za-z]+Domain(-\S+)?$/.test(name)) break;
    const path = mbdbString(h, domain[1], 4096);
    const link = path && mbdbString(h, path[1], 4096);
    const hash = link && mbdbString(h, link[1], 64);
    const key = hash && mbdbString(h, hash[1], 256);
    // mode, inode, uid, gid, three times, size, protection class, property count
    if (!key || key[1] + 40 > h.length) break;
    records++;
    if (key[0] && key[0].length > 0) withKeys++;
    at = key[1] + 40;
    const properties = h[at - 1] ?? 0;
    for (let i = 0; i < properties * 2; i++) {
      const s = mbdbString(h, at, 65534);
      if (!s) break;
      at = s[1];
    }
  }
  if (records === 0) return undefined;
  const encrypted = withKeys > 0;
  return plain('opaque', {
    id: 'ios-backup-mbdb',
    name: 'iTunes backup manifest (Manifest.mbdb)',
    confidence: 0.95,
    code: 'IOS_MBDB_RECORDS',
    message:
      `"mbdb" version 5.0 with ${records} backup domain record(s) read; ${withKeys} carry a wrapped file key` +
      (encrypted
        ? ' (an encrypted backup: its stored files are AES-256 under keys wrapped by the backup keybag, unlocked by the backup password; this manifest itself is clear).'
        : ' (an unencrypted backup).'),
    figures: { recordsRead: records, recordsWithWrappedKeys: withKeys, encryptedBackup: encrypted },
  });
}
