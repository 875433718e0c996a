/**
 * Key hints resolve against the extraction: a WhatsApp crypt14/15 backup next to the
 * app's key files says the key is present (and where); the same backup alone says it
 * is absent; Signal's keystore-wrapped database says "not in a file dump" whatever
 * the tree holds. Trees are built in a temporary folder from committed fixtures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '@evtriage/parsers';

const fixtures = fileURLToPath(new URL('../../packages/parsers/fixtures/', import.meta.url));
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-keyhints-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [to, from] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
    fs.copyFileSync(path.join(fixtures, from), path.join(dir, to));
  }
  return dir;
}

async function scanTree(dir: string): Promise<Map<string, EvidenceItem>> {
  const out = new Map<string, EvidenceItem>();
  for await (const item of scan(new FolderSource(dir), { plugins: builtinPlugins, containers: builtinContainers }))
    out.set(item.path, item);
  return out;
}

describe('key hints against the extraction', () => {
  it('finds the WhatsApp key files beside the backups', async () => {
    const items = await scanTree(
      tree('with-keys', {
        'sdcard/WhatsApp/Databases/msgstore.db.crypt14': 'whatsapp-backup/msgstore.db.crypt14',
        'sdcard/WhatsApp/Backups/msgstore.db.crypt15': 'whatsapp-backup/msgstore.db.crypt15',
        'data/data/com.whatsapp/files/key': 'whatsapp-backup/data/data/com.whatsapp/files/key',
        'data/data/com.whatsapp/files/encrypted_backup.key':
          'whatsapp-backup/data/data/com.whatsapp/files/encrypted_backup.key',
      }),
    );
    const c14 = items.get('sdcard/WhatsApp/Databases/msgstore.db.crypt14')!;
    expect(c14.classification.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['WHATSAPP_BACKUP_PREFIX', 'WHATSAPP_BACKUP_LOCATION']),
    );
    expect(c14.encryption?.keyHint).toMatchObject({
      kind: 'key-file',
      present: 'yes',
      foundAt: ['data/data/com.whatsapp/files/key'],
    });
    expect(items.get('sdcard/WhatsApp/Backups/msgstore.db.crypt15')!.encryption?.keyHint).toMatchObject({
      present: 'yes',
      foundAt: ['data/data/com.whatsapp/files/encrypted_backup.key'],
    });
    // The key files themselves are key material: opaque, not encrypted.
    expect(items.get('data/data/com.whatsapp/files/key')!.classification.status).toBe('opaque');
  });

  it('says the key is absent when the extraction holds only the backup', async () => {
    const items = await scanTree(
      tree('without-keys', { 'sdcard/WhatsApp/Databases/msgstore.db.crypt14': 'whatsapp-backup/msgstore.db.crypt14' }),
    );
    const hint = items.get('sdcard/WhatsApp/Databases/msgstore.db.crypt14')!.encryption?.keyHint;
    expect(hint?.present === 'no' || hint?.present === 'unknown').toBe(true);
    expect(hint?.foundAt).toBeUndefined();
  });

  it("says Signal's database key is in the Android Keystore, not in the dump", async () => {
    const items = await scanTree(
      tree('signal', { 'data/data/org.thoughtcrime.securesms/databases/signal.db': 'statistics/sqlcipher-whole.db' }),
    );
    const item = items.get('data/data/org.thoughtcrime.securesms/databases/signal.db')!;
    expect(item.classification.status).toBe('encrypted');
    expect(item.encryption?.keyHint).toMatchObject({ kind: 'keystore', present: 'no' });
  });

  it("finds the e-book readers' key stores beside their DRM books (Kobo's database, Kindle for Android's secure storage)", async () => {
    const dir = tree('ebooks', {
      '.kobo/kepub/kobo-kepub-0b6f1c2e': 'zip-encryption/kobo-kepub-0b6f1c2e',
      // Any SQLite file serves: the hint resolves by the database's path, as the pre-pass lists it.
      '.kobo/KoboReader.sqlite': 'sqlite/plain.db',
      'data/data/com.amazon.kindle/files/B0EXAMPLE1.voucher': 'kindle-files/B0EXAMPLE1.voucher',
      'data/data/com.amazon.kindle/files/B0EXAMPLE1.azw': 'mobi/book-drmion.azw',
      'adept.epub': 'zip-encryption/adept.epub',
    });
    fs.mkdirSync(path.join(dir, 'data/data/com.amazon.kindle/shared_prefs'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'data/data/com.amazon.kindle/shared_prefs/AmazonSecureStorage.xml'),
      "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n</map>\n",
    );
    const items = await scanTree(dir);
    expect(items.get('.kobo/kepub/kobo-kepub-0b6f1c2e')!.encryption).toMatchObject({
      scheme: 'kobo-kdrm',
      keyHint: { present: 'yes', foundAt: ['.kobo/KoboReader.sqlite'] },
    });
    const kindleStore = ['data/data/com.amazon.kindle/shared_prefs/AmazonSecureStorage.xml'];
    for (const book of ['B0EXAMPLE1.voucher', 'B0EXAMPLE1.azw'])
      expect(items.get(`data/data/com.amazon.kindle/files/${book}`)!.encryption?.keyHint).toMatchObject({
        present: 'yes',
        foundAt: kindleStore,
      });
    // No Adobe activation record in this tree.
    expect(items.get('adept.epub')!.encryption?.keyHint).toMatchObject({ present: 'no' });
  });
});
