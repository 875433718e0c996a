import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { appSecureStorage } from './app-secure-storage.js';
import { textVaultsDetector } from './text-vaults.js';

// Written from the libraries' published layouts (none runs here): fixtures/app-secure-storage/generate.sh.
testDetector(
  textVaultsDetector,
  {
    fixtures: new URL('../../fixtures/app-secure-storage/', import.meta.url),
    valid: [
      {
        file: 'FlutterSecureStorage.xml',
        format: 'flutter-secure-storage',
        status: 'encrypted',
        reasons: ['FLUTTER_SECURE_STORAGE_VALUES'],
        encryption: { scheme: 'flutter-secure-storage-aes', keyHint: { kind: 'hardware', present: 'no' } },
      },
      {
        file: 'FlutterSecureKeyStorage.xml',
        format: 'flutter-secure-storage-key',
        status: 'encrypted',
        reasons: ['FLUTTER_SECURE_STORAGE_WRAPPED_KEY'],
        encryption: { keyHint: { kind: 'hardware', present: 'no' } },
      },
      {
        file: 'RN_KEYCHAIN.xml',
        format: 'react-native-keychain-prefs',
        status: 'encrypted',
        reasons: ['RN_KEYCHAIN_ENTRIES'],
        encryption: { scheme: 'react-native-keychain-keystoreaescbc', keyHint: { kind: 'hardware' } },
      },
      {
        file: 'SecureStore.xml',
        format: 'expo-secure-store',
        status: 'encrypted',
        reasons: ['EXPO_SECURE_STORE_ITEMS'],
        encryption: { scheme: 'expo-secure-store-aes-gcm', keyHint: { kind: 'hardware', present: 'no' } },
      },
      {
        file: 'com.example.app.xamarinessentials.xml',
        format: 'xamarin-secure-storage',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['XAMARIN_SECURE_STORAGE'],
        encryption: { scheme: 'xamarin-essentials-aes-gcm', keyHint: { present: 'no' } },
      },
      {
        file: '__androidx_security_crypto_encrypted_file_pref__.xml',
        format: 'androidx-encrypted-file-keyset',
        status: 'encrypted',
        reasons: ['ANDROIDX_ENCRYPTED_FILE_KEYSET'],
        encryption: { keyHint: { kind: 'hardware', present: 'no' } },
      },
      {
        file: 'secure.db',
        format: 'sembast-encrypted',
        status: 'encrypted',
        reasons: ['SEMBAST_CODEC_CIPHERTEXT'],
        encryption: { scheme: 'sembast-codec' },
      },
      { file: 'notes.db', format: 'sembast', status: 'analysable', reasons: ['SEMBAST_JSON'] },
    ],
    invalid: [
      // Clear preferences, text behind MD5 names, an unknown cipher name, a codec that only encodes.
      { file: 'FlutterSharedPreferences.xml' },
      { file: 'md5-names.xml' },
      { file: 'rn-unknown-cipher.xml' },
      { file: 'base64-codec.db' },
    ],
  },
  { framework: { describe, it } },
);

describe('app secure-storage checks', () => {
  const map = (...entries: string[]) =>
    `<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n${entries.join('\n')}\n</map>\n`;
  const random64 = (n: number, seed: number) =>
    Buffer.from(Array.from({ length: n }, (_, i) => (i * 197 + seed * 31 + ((i * i) >> 3)) & 0xff)).toString('base64');

  it('wants the library names, not base64 values alone', () => {
    expect(appSecureStorage(map(`<string name="token">${random64(48, 1)}</string>`))).toBeUndefined();
    // One MD5-named ciphertext entry without Xamarin's markers or a second one: not enough.
    expect(
      appSecureStorage(map(`<string name="0123456789abcdef0123456789abcdef">${random64(48, 2)}</string>`)),
    ).toBeUndefined();
    expect(
      appSecureStorage(
        map(
          `<string name="0123456789abcdef0123456789abcdef">${random64(48, 3)}</string>`,
          '<string name="SecureStorageKey">' + random64(256, 4) + '</string>',
        ),
      )?.format.id,
    ).toBe('xamarin-secure-storage');
  });

  it('wants an Expo item to carry ciphertext, not text', () => {
    const item = (ct: string) =>
      `{&quot;ct&quot;:&quot;${ct}&quot;,&quot;iv&quot;:&quot;AAAAAAAAAAAAAAAA&quot;,&quot;tlen&quot;:128,&quot;scheme&quot;:&quot;aes&quot;}`;
    expect(appSecureStorage(map(`<string name="key_v1-a">${item(random64(40, 5))}</string>`))?.format.id).toBe(
      'expo-secure-store',
    );
    const text = Buffer.from('a readable value, not ciphertext at all').toString('base64');
    expect(appSecureStorage(map(`<string name="key_v1-a">${item(text)}</string>`))).toBeUndefined();
  });

  it('leaves XML that is not a preferences map alone', () => {
    expect(appSecureStorage('<rss version="2.0"><channel></channel></rss>')).toBeUndefined();
    expect(appSecureStorage('{"version":2,"name":"package"}')).toBeUndefined();
  });
});
