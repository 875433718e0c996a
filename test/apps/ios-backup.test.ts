import fs from 'node:fs';
import { openSource } from '@evtriage/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRealIosBackup } from '../fixtures/apps/generate.js';
import { scanSource, tempDir, type Scanned } from './scan-tree.js';

let root: string;
let s: Scanned;
beforeAll(async () => {
  root = tempDir('backup');
  buildRealIosBackup(root);
  const source = await openSource(root);
  expect(source.info.kind).toBe('ios-backup');
  s = await scanSource(source);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const byLogical = (p: string) => [...s.items.values()].find((i) => i.logicalPath === p);

describe('a real iOS backup folder (hashed names, Manifest.db)', () => {
  it('attributes stored files through their domain logical paths', () => {
    expect(byLogical('HomeDomain/Library/SMS/sms.db')).toMatchObject({
      app: { id: 'com.apple.MobileSMS', rule: 'ios-library-sms' },
      artifact: { id: 'ios:sms' },
    });
    expect(byLogical('AppDomainGroup-group.net.whatsapp.WhatsApp.shared/Message/Media/a.jpg')?.app).toMatchObject({
      id: 'net.whatsapp.WhatsApp',
      via: 'group.net.whatsapp.WhatsApp.shared',
      rule: 'ios-backup-app-group',
    });
    expect(byLogical('AppDomain-com.example.backupapp/Documents/data.bin')?.app).toMatchObject({
      id: 'com.example.backupapp',
      rule: 'ios-backup-app-domain',
    });
    const prefs = byLogical('AppDomain-net.whatsapp.WhatsApp/Library/Preferences/net.whatsapp.WhatsApp.plist')!;
    expect(prefs.path).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{40}$/);
    expect(prefs.details?.['app-preferences']).toMatchObject({
      bundleId: 'net.whatsapp.WhatsApp',
      values: { OwnJabberID: '15550199@s.whatsapp.net' },
    });
  });

  it('lists the installed applications of Info.plist in the summary, with or without data', () => {
    expect(s.summary.apps.find((a) => a.id === 'com.example.backuponly')).toMatchObject({ installed: true, files: 0 });
    expect(s.summary.apps.find((a) => a.id === 'net.whatsapp.WhatsApp')).toMatchObject({
      installed: true,
      name: 'WhatsApp',
    });
    expect(s.summary.apps.find((a) => a.id === 'com.example.backupapp')).toMatchObject({ unparsed: true, files: 1 });
  });
});
