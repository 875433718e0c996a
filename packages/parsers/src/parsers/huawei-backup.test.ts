import { describe, expect, it } from 'vitest';
import type { ParseResult } from '@evtriage/core/contract';
import { testParser } from '@evtriage/core/testing';
import { statisticsDetector } from '../detectors/statistics.js';
import { codes, scanFixtures } from '../scan-fixtures.test-helper.js';
import { huaweiBackupParser } from './huawei-backup.js';

// Fixtures: ../../fixtures/huawei-backup/generate.sh (the layout kobackupdec decrypts, password 123456).
// The kit gives the parser an index holding the item alone: no info.xml is found, and KoBackup's
// folder name (backupFiles1) is what is left; the same bytes elsewhere stay what the statistics said.
testParser(
  huaweiBackupParser,
  {
    fixtures: new URL('../../fixtures/huawei-backup/', import.meta.url),
    detectors: [statisticsDetector],
    ignore: ['**/info.xml', 'generate.sh', '**/*.jpg', '**/contact.db'],
    valid: [
      {
        file: 'backupFiles1/2026-12-06_10-00-00/com.example.chat.tar',
        format: 'huawei-backup-encrypted',
        status: 'encrypted',
        details: { backupFolder: 'backupFiles1' },
        encryption: { scheme: 'huawei-backup-aes-ctr', keyHint: { kind: 'password' } },
      },
    ],
    invalid: [{ file: 'lonely/com.example.chat.tar', format: 'unknown-encrypted', diagnostics: [] }],
  },
  { framework: { describe, it } },
);

// The parser kit gives a parser an index holding the item alone (no info.xml can be found), so the
// cases run on the real pipeline (the scan) and, for the path rules, on a context with a given index.
function parseWith(path: string, index: readonly string[]) {
  const name = path.split('/').pop()!;
  const dot = name.lastIndexOf('.');
  const ctx = {
    item: { path, format: { id: 'unknown-encrypted', name: 'random' } },
    probe: { path, logicalPath: path, name, extension: dot > 0 ? name.slice(dot + 1) : '', size: 4096 },
    findInSource: (glob: string) => (glob === '**/info.xml' ? index.filter((p) => p.endsWith('info.xml')) : []),
  } as unknown as Parameters<typeof huaweiBackupParser.parse>[0];
  return huaweiBackupParser.parse(ctx) as ParseResult | undefined;
}

describe('Huawei backup members: which files info.xml speaks for', () => {
  const info = ['Huawei/Backup/backupFiles1/x/info.xml'];
  it('the app archives and module databases beside it, not other files there', () => {
    expect(parseWith('Huawei/Backup/backupFiles1/x/com.example.tar', info)?.encryption?.scheme).toBe(
      'huawei-backup-aes-ctr',
    );
    expect(parseWith('Huawei/Backup/backupFiles1/x/sms.db', info)?.reclassify?.format?.id).toBe(
      'huawei-backup-encrypted',
    );
    expect(parseWith('Huawei/Backup/backupFiles1/x/notes.bin', info)).toBeUndefined();
  });
  it('media up to six folders below it, not deeper, and nothing without it', () => {
    expect(parseWith('Huawei/Backup/backupFiles1/x/photo/DCIM/Camera/a.jpg', info)?.details).toEqual({
      backupInfo: info[0],
    });
    expect(parseWith('Huawei/Backup/backupFiles1/x/1/2/3/4/5/6/7/a.jpg', info)).toBeUndefined();
    expect(parseWith('Other/x/com.example.tar', info)).toBeUndefined();
    // No info.xml, but KoBackup's folder name: named by the path rule, less confident.
    const byName = parseWith('Huawei/Backup/backupFiles1/x/com.example.tar', []);
    expect(byName?.reclassify?.reasons[0]?.code).toBe('HUAWEI_BACKUP_PATH');
    expect(byName?.reclassify?.confidence).toBeLessThan(0.9);
    expect(parseWith('com.example.tar', ['info.xml'])?.encryption?.keyHint?.lookFor).toEqual(['info.xml']);
  });
});

describe('Huawei backup members in a scan', () => {
  it('names the random files of a backup folder holding info.xml, with the backup password as key hint', async () => {
    const items = await scanFixtures('huawei-backup');
    const dir = 'backupFiles1/2026-12-06_10-00-00';
    for (const name of ['com.example.chat.tar', 'contact.db', 'photo/DCIM/Camera/IMG_20261206_100000.jpg']) {
      const item = items.get(`${dir}/${name}`)!;
      expect(item.format?.id, name).toBe('huawei-backup-encrypted');
      expect(item.classification.status, name).toBe('encrypted');
      expect(codes(item), name).toContain('HUAWEI_BACKUP_MEMBER');
      expect(item.encryption, name).toMatchObject({
        scheme: 'huawei-backup-aes-ctr',
        keyHint: { kind: 'password', present: 'yes', foundAt: [`${dir}/info.xml`] },
      });
    }
    // The random .db was taken for SQLCipher by the statistics of databases; the backup's info.xml corrects the scheme.
    expect(codes(items.get(`${dir}/contact.db`))).toContain('RANDOM_DATABASE');
    expect(items.get(`${dir}/info.xml`)?.classification.status).toBe('analysable');
    // The same bytes with no info.xml above them: statistics only.
    const lonely = items.get('lonely/com.example.chat.tar')!;
    expect(lonely.format?.id).toBe('unknown-encrypted');
    expect(lonely.encryption?.scheme).toBe('unknown');
  });
});
