/**
 * App data in a Smart Switch PC backup. Smart Switch (Windows, macOS) writes a backup folder per phone with
 * `SmartSwitchBackup.json` and, on Windows, `backupHistoryInfo.xml` (root in the `Kies.Common.Data`
 * namespace) at its top, and each app as `APKFILE/<package>.penc` (the APK) and `APKFILE/<package>.data`
 * (its data: an `ANDROID BACKUP` stream, AES-256 as `adb backup` writes it). The password of that stream is
 * not one the user typed: it is Smart Switch's per-backup session credential (the "Dummy"), which Smart
 * Switch for Windows records in `backupHistoryInfo.xml`, AES-ECB under a fixed key. The android-backup
 * detector reads the stream and calls it encrypted with the adb password as key hint; with the backup's
 * metadata found one folder above `APKFILE/`, the key hint becomes that file. Without it (a partial copy),
 * Smart Switch's own folder name `APKFILE` still says whose stream it is: a path rule, less confident. Reference: the open-source
 * smartswitch-explorer (sachk/smartswitch-explorer: applications/decrypt_extract.py, crypto/session_credentials.py).
 */
import { defineParser, type KeyHint, type ParseResult } from '@evtriage/core/contract';

const HISTORY = 'backupHistoryInfo.xml';
const METADATA = 'SmartSwitchBackup.json';

function escapeGlob(path: string): string {
  return path.replace(/[*?[\]{}!\\]/g, '\\$&');
}

export const smartSwitchBackupParser = defineParser({
  meta: {
    id: 'smart-switch-backup',
    version: '1.1.0',
    title: "Smart Switch PC backups: an app's data (APKFILE/<package>.data) and the session credential beside it",
    formats: ['android-backup-encrypted'],
    indexPatterns: [`**/${HISTORY}`, `**/${METADATA}`],
  },
  requires: { minSize: 16 },
  priority: 45,
  parse(ctx): ParseResult | undefined {
    if (ctx.probe.extension !== 'data') return undefined;
    const parts = ctx.item.path.split('/');
    if (parts.length < 2 || parts[parts.length - 2]!.toUpperCase() !== 'APKFILE') return undefined;
    const backupDir = parts.slice(0, -2).join('/');
    const at = (name: string) => (backupDir === '' ? name : `${backupDir}/${name}`);
    const history = ctx.findInSource(`**/${HISTORY}`).includes(at(HISTORY));
    const metadata = ctx.findInSource(`**/${METADATA}`).includes(at(METADATA));
    const keyHint: KeyHint = {
      description:
        `Smart Switch's per-backup session credential (the "Dummy"), used as the Android backup password: ` +
        (history
          ? `Smart Switch for Windows records it in ${at(HISTORY)} (<Dummy>, AES-ECB under a fixed key).`
          : `Smart Switch for Windows records it in the backup's ${HISTORY} (<Dummy>, AES-ECB under a fixed key), which is not in this source.`),
      kind: 'key-file',
      present: 'unknown',
      lookFor: [escapeGlob(at(HISTORY))],
    };
    const found = [history ? HISTORY : undefined, metadata ? METADATA : undefined].filter(Boolean).join(' and ');
    const why = found
      ? `in the APKFILE folder of a Smart Switch PC backup (${found} beside APKFILE)`
      : 'in a folder named APKFILE, as Smart Switch PC names its app folder (no backup metadata found beside it)';
    return {
      encryption: { scheme: 'android-backup-aes-256', scope: 'full', keyHint },
      reclassify: {
        status: 'encrypted',
        confidence: found ? 0.95 : 0.85,
        format: { id: 'android-backup-encrypted', name: 'Android backup, encrypted' },
        reasons: [
          {
            code: found ? 'SMART_SWITCH_APP_DATA' : 'SMART_SWITCH_APP_DATA_PATH',
            message: `An encrypted Android backup stream named ${ctx.probe.name} ${why}: an app's data, encrypted under Smart Switch's session credential rather than a typed password.`,
            figures: { backupHistoryInfo: history, smartSwitchBackupJson: metadata },
          },
        ],
      },
      details: { backupFolder: backupDir === '' ? '.' : backupDir },
    };
  },
});
