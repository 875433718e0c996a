import { describe, expect, it } from 'vitest';
import type { ParseResult } from '@evtriage/core/contract';
import { testParser } from '@evtriage/core/testing';
import { androidBackupDetector } from '../detectors/android-backup.js';
import { codes, scanFixtures } from '../scan-fixtures.test-helper.js';
import { smartSwitchBackupParser } from './smart-switch-backup.js';

// Fixtures: ../../fixtures/smart-switch-backup/generate.sh (the layout smartswitch-explorer reads). The parser
// kit's index holds the item alone, so the metadata beside APKFILE is only seen in a scan (below) or a given
// index: in the kit, Smart Switch's APKFILE folder name is what is left.
testParser(
  smartSwitchBackupParser,
  {
    fixtures: new URL('../../fixtures/smart-switch-backup/', import.meta.url),
    detectors: [androidBackupDetector],
    ignore: ['generate.sh', '**/backupHistoryInfo.xml', '**/SmartSwitchBackup.json'],
    valid: [
      {
        file: 'lonely/APKFILE/com.example.notes.data',
        format: 'android-backup-encrypted',
        status: 'encrypted',
        details: { backupFolder: 'lonely' },
        encryption: { scheme: 'android-backup-aes-256', keyHint: { kind: 'key-file' } },
      },
      {
        file: 'SM-G991B/APKFILE/com.example.notes.data',
        format: 'android-backup-encrypted',
        status: 'encrypted',
        details: { backupFolder: 'SM-G991B' },
      },
    ],
    invalid: [{ file: 'elsewhere/com.example.notes.data', format: 'android-backup-encrypted', diagnostics: [] }],
  },
  { framework: { describe, it } },
);

function parseWith(path: string, index: readonly string[]) {
  const name = path.split('/').pop()!;
  const dot = name.lastIndexOf('.');
  const ctx = {
    item: { path, format: { id: 'android-backup-encrypted', name: 'Android backup, encrypted' } },
    probe: { path, logicalPath: path, name, extension: dot > 0 ? name.slice(dot + 1) : '', size: 4096 },
    findInSource: (glob: string) => index.filter((p) => p.endsWith(glob.replace('**/', ''))),
  } as unknown as Parameters<typeof smartSwitchBackupParser.parse>[0];
  return smartSwitchBackupParser.parse(ctx) as ParseResult | undefined;
}

describe('Smart Switch PC app data: which streams the backup metadata speaks for', () => {
  const history = ['Backups/SM-G991B/backupHistoryInfo.xml'];
  it('a .data stream in APKFILE one folder below backupHistoryInfo.xml', () => {
    const r = parseWith('Backups/SM-G991B/APKFILE/com.example.data', history);
    expect(r?.encryption?.keyHint).toMatchObject({ kind: 'key-file', lookFor: history });
    expect(r?.reclassify?.reasons[0]?.code).toBe('SMART_SWITCH_APP_DATA');
    expect(r?.details).toEqual({ backupFolder: 'Backups/SM-G991B' });
  });
  it('SmartSwitchBackup.json alone (a macOS backup) still names it, saying the credential file is missing', () => {
    const r = parseWith('SM-G991B/APKFILE/com.example.data', ['SM-G991B/SmartSwitchBackup.json']);
    expect(r?.encryption?.keyHint?.description).toMatch(/not in this source/);
    expect(r?.reclassify?.reasons[0]?.code).toBe('SMART_SWITCH_APP_DATA');
  });
  it('without metadata, the APKFILE folder name alone: named by the path rule, less confident', () => {
    const r = parseWith('Other/APKFILE/com.example.data', history);
    expect(r?.reclassify?.reasons[0]?.code).toBe('SMART_SWITCH_APP_DATA_PATH');
    expect(r?.reclassify?.confidence).toBeLessThan(0.9);
    expect(r?.encryption?.keyHint?.lookFor).toEqual(['Other/backupHistoryInfo.xml']);
  });
  it('nothing elsewhere: another folder name, another extension', () => {
    expect(parseWith('Backups/SM-G991B/apps/com.example.data', history)).toBeUndefined();
    expect(parseWith('Backups/SM-G991B/APKFILE/com.example.ab', history)).toBeUndefined();
    expect(parseWith('com.example.data', history)).toBeUndefined();
  });
});

describe('Smart Switch PC app data in a scan', () => {
  it("points an app's encrypted data at the session credential file beside APKFILE", async () => {
    const items = await scanFixtures('smart-switch-backup');
    const data = items.get('SM-G991B/APKFILE/com.example.notes.data')!;
    expect(data.format?.id).toBe('android-backup-encrypted');
    expect(data.classification.status).toBe('encrypted');
    expect(codes(data)).toContain('SMART_SWITCH_APP_DATA');
    expect(data.encryption).toMatchObject({
      scheme: 'android-backup-aes-256',
      keyHint: { kind: 'key-file', lookFor: ['SM-G991B/backupHistoryInfo.xml'] },
    });
    // The metadata files themselves are readable text.
    expect(items.get('SM-G991B/backupHistoryInfo.xml')?.classification.status).toBe('analysable');
    expect(items.get('SM-G991B/SmartSwitchBackup.json')?.classification.status).toBe('analysable');
    // The same stream with no backup metadata beside APKFILE: the folder name alone.
    const lonely = items.get('lonely/APKFILE/com.example.notes.data')!;
    expect(codes(lonely)).toContain('SMART_SWITCH_APP_DATA_PATH');
    // Outside any APKFILE folder: the adb backup password, as the detector said.
    const elsewhere = items.get('elsewhere/com.example.notes.data')!;
    expect(codes(elsewhere)).not.toContain('SMART_SWITCH_APP_DATA_PATH');
    expect(elsewhere.encryption?.keyHint?.kind).toBe('password');
  });
});
