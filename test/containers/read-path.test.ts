/**
 * Reading companions by path inside sources that are not folders: a ZIP
 * member's `-wal` next to it (SQLite parsers ask for it), files by path for
 * the app-metadata pre-pass, and an iOS backup's files by their domain path.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IosBackupSource, ZipSource, type SourceEntry } from '@evtriage/core';
import { fixtures } from './helpers.js';

describe('readPath and readSibling', () => {
  it('a ZIP reads a member by path and a member reads its sibling', async () => {
    const zip = await ZipSource.fromFile(path.join(fixtures, 'tree.zip'));
    try {
      expect((await zip.readPath('notes/hello.txt', 1000))?.toString()).toBe('Meeting at noon.\nBring the charger.\n');
      expect(await zip.readPath('notes/hello.txt', 10)).toBeUndefined(); // larger than asked
      expect(await zip.readPath('notes/absent.txt', 1000)).toBeUndefined();
      let readme: SourceEntry | undefined;
      for await (const e of zip.entries()) if (e.path === 'notes/readme.md') readme = e;
      // notes/readme.md + "/../hello.txt" is not a sibling name: only exact suffixes are.
      expect(await readme!.readSibling!('.bak', 1000)).toBeUndefined();
      const db = (await zip.readPath('data/app.db', 1 << 20))!;
      expect(db.subarray(0, 15).toString()).toBe('SQLite format 3');
    } finally {
      await zip.close();
    }
  });

  it('an iOS backup reads stored files by their domain path, and a stored file its -wal sibling by domain path', async () => {
    const src = new IosBackupSource(path.join(fixtures, 'ios-backup-plain'));
    try {
      const sms = await src.readPath('HomeDomain/Library/SMS/sms.db', 1 << 20);
      expect(sms?.subarray(0, 15).toString()).toBe('SQLite format 3');
      expect((await src.readPath('Info.plist', 1 << 20))?.toString()).toMatch(/Device Name/);
      const paths: string[] = [];
      for await (const p of src.listPaths()) paths.push(p);
      expect(paths).toContain('HomeDomain/Library/SMS/sms.db');
      expect(paths).toContain('3d/3d0d7e5fb2ce288813306e4d4636395e047a3d28');
      let checked = 0;
      for await (const e of src.entries()) {
        if (e.logicalPath === 'HomeDomain/Library/SMS/sms.db')
          expect(await e.readSibling!('-wal', 1 << 20)).toBeUndefined();
        if (e.logicalPath === 'AppDomainGroup-group.com.apple.notes/NoteStore.sqlite') {
          const wal = await e.readSibling!('-wal', 1 << 20);
          // A WAL file starts with magic 0x377f0682 or 0x377f0683.
          expect((wal?.readUInt32BE(0) ?? 0) & 0xfffffffe).toBe(0x377f0682);
          checked++;
        }
      }
      expect(checked).toBe(1);
    } finally {
      await src.close();
    }
  });
});
