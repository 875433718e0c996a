/**
 * Members of a Huawei KoBackup / HiSuite encrypted backup: the backup folder
 * (`Huawei/Backup/backupFiles1/<date>/` on the phone, `HiSuite/backup/<device>_<date>/`
 * on a PC) holds `info.xml` (root tag `<info.xml>`: the password verifier
 * checkMsg and, per module, the encMsgV3 salt and counter), each app's data
 * as `<package>.tar`, system modules as `<module>.db`, and media in folders
 * below. Every one of them is AES-CTR ciphertext under keys derived from the
 * backup password (PBKDF2-HMAC-SHA256, 5000 rounds, salt from encMsgV3).
 * Statistics already call those files encrypted (a random `.db` is taken for
 * SQLCipher); with `info.xml` in the folder (or, for media, up to six folders above), the
 * scheme and the password become known. Reference: RealityNet's kobackupdec
 * (parse_info_xml, Decryptor.decrypt_package) and its blog post.
 */
import { defineParser, type KeyHint, type ParseResult } from '@evtriage/core/contract';

export const HUAWEI_MEMBER = { id: 'huawei-backup-encrypted', name: 'Huawei KoBackup/HiSuite backup file, encrypted' };

/** Media keep their phone folders (`photo/DCIM/Camera/...`) below the backup folder: that many levels are looked up. */
const MAX_LEVELS_UP = 6;

/** The item's own folder, then its parents up to MAX_LEVELS_UP. */
function folders(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  const out: string[] = [];
  for (let up = 0; up <= MAX_LEVELS_UP && parts.length - up >= 0; up++)
    out.push(parts.slice(0, parts.length - up).join('/'));
  return out;
}

function escapeGlob(path: string): string {
  return path.replace(/[*?[\]{}!\\]/g, '\\$&');
}

const PASSWORD_HINT =
  'The backup password set in KoBackup or HiSuite (or the password HiSuite generated when none was set): PBKDF2-HMAC-SHA256 with 5000 rounds over it';

/**
 * Without info.xml in the index (a partial copy, a streamed source), KoBackup's own folder name
 * (`Huawei/Backup/backupFiles1/<date>/...`) still says whose ciphertext a random file is: a path
 * rule, weaker than the info.xml beside it, so less confident.
 */
function byBackupFolderName(path: string, from: string | undefined): ParseResult | undefined {
  const parts = path.split('/');
  const at = parts.findIndex((p) => /^backupFiles\d*$/.test(p));
  if (at < 0 || parts.length - at - 1 > MAX_LEVELS_UP + 1) return undefined;
  const folder = parts.slice(0, at + 1).join('/');
  return {
    encryption: {
      scheme: 'huawei-backup-aes-ctr',
      scope: 'full',
      keyHint: {
        description: `${PASSWORD_HINT}; the salts and the password verifier are in the backup's info.xml, looked for under ${folder}.`,
        kind: 'password',
        present: 'unknown',
        lookFor: [`${escapeGlob(folder)}/**/info.xml`],
      },
    },
    reclassify: {
      status: 'encrypted',
      confidence: 0.8,
      format: { ...HUAWEI_MEMBER },
      reasons: [
        {
          code: 'HUAWEI_BACKUP_PATH',
          message: `Uniformly random bytes (${from ?? 'random'}) inside ${folder}, the folder KoBackup writes its backups to (Huawei/Backup/backupFiles1/<date>/), with no info.xml found: a backup file encrypted with AES-CTR under keys from the backup password.`,
          figures: { folder },
        },
      ],
    },
    details: { backupFolder: folder },
  };
}

export const huaweiBackupParser = defineParser({
  meta: {
    id: 'huawei-backup',
    version: '1.1.0',
    title: 'Huawei KoBackup/HiSuite encrypted backup members beside info.xml',
    formats: ['unknown-encrypted', 'truecrypt-veracrypt', 'sqlcipher'],
    indexPatterns: ['**/info.xml'],
  },
  requires: { minSize: 16 },
  priority: 45,
  parse(ctx): ParseResult | undefined {
    const path = ctx.item.path;
    const infos = new Set(ctx.findInSource('**/info.xml'));
    const candidates = folders(path);
    const level = candidates.findIndex((dir) => infos.has(dir === '' ? 'info.xml' : `${dir}/info.xml`));
    if (level < 0) return byBackupFolderName(path, ctx.item.format?.id);
    const ext = ctx.probe.extension;
    // In the backup folder itself only the app archives and module databases are encrypted (APKs stay clear).
    if (level === 0 && ext !== 'tar' && ext !== 'db') return undefined;
    const backupDir = candidates[level]!;
    const info = backupDir === '' ? 'info.xml' : `${backupDir}/info.xml`;
    const role =
      level > 0 ? 'a media file of the backup' : ext === 'tar' ? "an app's data archive" : "a system module's database";
    const keyHint: KeyHint = {
      description: `${PASSWORD_HINT}, with the salt and counter of this module's encMsgV3 in ${info}, which also holds the password verifier (checkMsg).`,
      kind: 'password',
      present: 'unknown',
      lookFor: [escapeGlob(info)],
    };
    return {
      encryption: { scheme: 'huawei-backup-aes-ctr', scope: 'full', keyHint },
      reclassify: {
        status: 'encrypted',
        confidence: 0.9,
        format: { ...HUAWEI_MEMBER },
        reasons: [
          {
            code: 'HUAWEI_BACKUP_MEMBER',
            message: `Uniformly random bytes (${ctx.item.format?.id ?? 'random'}) that are ${role} (${ctx.probe.name}) with a Huawei backup's info.xml ${level === 0 ? 'beside it' : `${level} folder${level > 1 ? 's' : ''} up`} (${info}): KoBackup/HiSuite encrypt these with AES-CTR under keys from the backup password.`,
            figures: { infoLevelsUp: level },
          },
        ],
      },
      details: { backupInfo: info },
    };
  },
});
