/**
 * A Flutter / React Native / Xamarin app's data folder through the whole pipeline: the
 * libraries' stores are told apart by their structure where they sit in an extraction
 * (Hive boxes and sembast files in app_flutter/, secure-storage preferences in shared_prefs/,
 * DataStore files in files/datastore/, an Isar 3 database in files/), encrypted ones with a
 * Keystore key hint that stays "not in a file dump" whatever the tree holds. Trees are built
 * in a temporary folder from committed fixtures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '@evtriage/parsers';

const fixtures = fileURLToPath(new URL('../../packages/parsers/fixtures/', import.meta.url));
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-cross-platform-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const app = 'data/data/com.example.flutterapp';
const files: Record<string, string> = {
  [`${app}/app_flutter/settings.hive`]: 'hive-box/settings.hive',
  [`${app}/app_flutter/vault.hive`]: 'hive-box/vault.hive',
  [`${app}/app_flutter/notes.db`]: 'text-vaults/app-secure-storage/notes.db',
  [`${app}/app_flutter/secure.db`]: 'text-vaults/app-secure-storage/secure.db',
  [`${app}/shared_prefs/FlutterSecureStorage.xml`]: 'text-vaults/app-secure-storage/FlutterSecureStorage.xml',
  [`${app}/shared_prefs/FlutterSecureKeyStorage.xml`]: 'text-vaults/app-secure-storage/FlutterSecureKeyStorage.xml',
  [`${app}/shared_prefs/FlutterSharedPreferences.xml`]: 'text-vaults/app-secure-storage/FlutterSharedPreferences.xml',
  [`${app}/files/datastore/settings.preferences_pb`]: 'datastore-preferences/settings.preferences_pb',
  [`${app}/files/datastore/RN_KEYCHAIN.preferences_pb`]: 'datastore-preferences/RN_KEYCHAIN.preferences_pb',
  [`${app}/files/default.isar`]: 'mdbx/default.isar',
  [`${app}/files/default.isar.lock`]: 'mdbx/default.isar.lock',
};

async function scanTree(): Promise<Map<string, EvidenceItem>> {
  for (const [to, from] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
    fs.copyFileSync(path.join(fixtures, from), path.join(root, to));
  }
  const out = new Map<string, EvidenceItem>();
  for await (const item of scan(new FolderSource(root), { plugins: builtinPlugins, containers: builtinContainers }))
    out.set(item.path, item);
  return out;
}

describe('cross-platform app storage in an Android data folder', () => {
  it('names each store and says which are encrypted', async () => {
    const items = await scanTree();
    const verdict = (p: string) => {
      const item = items.get(`${app}/${p}`)!;
      return [item.format?.id, item.classification.status];
    };
    expect(verdict('app_flutter/settings.hive')).toEqual(['hive', 'analysable']);
    expect(verdict('app_flutter/vault.hive')).toEqual(['hive-encrypted', 'encrypted']);
    expect(verdict('app_flutter/notes.db')).toEqual(['sembast', 'analysable']);
    expect(verdict('app_flutter/secure.db')).toEqual(['sembast-encrypted', 'encrypted']);
    expect(verdict('shared_prefs/FlutterSecureStorage.xml')).toEqual(['flutter-secure-storage', 'encrypted']);
    expect(verdict('shared_prefs/FlutterSecureKeyStorage.xml')).toEqual(['flutter-secure-storage-key', 'encrypted']);
    expect(verdict('shared_prefs/FlutterSharedPreferences.xml')).toEqual(['xml', 'analysable']);
    expect(verdict('files/datastore/settings.preferences_pb')).toEqual(['datastore-preferences', 'analysable']);
    expect(verdict('files/datastore/RN_KEYCHAIN.preferences_pb')).toEqual(['react-native-keychain-prefs', 'encrypted']);
    expect(verdict('files/default.isar')).toEqual(['mdbx', 'analysable']);
    expect(verdict('files/default.isar.lock')).toEqual(['mdbx-lock', 'analysable']);

    // The Keystore holds the key: not in the dump, even with the wrapped key file in the tree.
    const fss = items.get(`${app}/shared_prefs/FlutterSecureStorage.xml`)!;
    expect(fss.encryption?.keyHint).toMatchObject({ kind: 'hardware', present: 'no' });
    // A Hive box's key is app data of unknown whereabouts: never "present" because a preferences file exists.
    expect(items.get(`${app}/app_flutter/vault.hive`)!.encryption?.keyHint).toMatchObject({ present: 'unknown' });
  });
});
