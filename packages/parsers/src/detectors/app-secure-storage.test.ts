import { describe, expect, it } from 'vitest';
import { appSecureStorage, tinkEncryptedKeyset } from './app-secure-storage.js';

// The fixture cases (fixtures/text-vaults/app-secure-storage/, written from the libraries' published layouts by its
// generate.sh) are in text-vaults.test.ts, whose fixture folder holds them; these are the checks' edges.

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
      ),
    ).toMatchObject({ format: { id: 'xamarin-secure-storage' }, encryption: { scope: 'full' } });
    // With clear preferences of the app beside them, only part of the file is encrypted.
    expect(
      appSecureStorage(
        map(
          `<string name="0123456789abcdef0123456789abcdef">${random64(48, 3)}</string>`,
          '<boolean name="essentials_use_symmetric" value="true" />',
          '<string name="last_user">alice</string>',
        ),
      ),
    ).toMatchObject({ format: { id: 'xamarin-secure-storage' }, encryption: { scope: 'partial' } });
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

  it('reads a Tink EncryptedKeyset only with its clear KeysetInfo', () => {
    const url = Buffer.from('type.googleapis.com/google.crypto.tink.AesGcmKey');
    const keyInfo = Buffer.concat([Buffer.from([0x0a, url.length]), url, Buffer.from([0x10, 0x01])]);
    const info = Buffer.concat([Buffer.from([0x08, 0x07, 0x12, keyInfo.length]), keyInfo]);
    const secret = Buffer.alloc(48, 0x5a);
    const keyset = Buffer.concat([Buffer.from([0x12, secret.length]), secret, Buffer.from([0x1a, info.length]), info]);
    expect(tinkEncryptedKeyset(keyset.toString('hex'))).toEqual(['AesGcmKey']);
    // Without the KeysetInfo, or hex of something else: not taken.
    expect(tinkEncryptedKeyset(Buffer.concat([Buffer.from([0x12, 48]), secret]).toString('hex'))).toBeUndefined();
    expect(tinkEncryptedKeyset('ab'.repeat(60))).toBeUndefined();
  });

  it('leaves XML that is not a preferences map alone', () => {
    expect(appSecureStorage('<rss version="2.0"><channel></channel></rss>')).toBeUndefined();
    expect(appSecureStorage('{"version":2,"name":"package"}')).toBeUndefined();
  });
});
