/**
 * Cross-platform app libraries' "secure storage" kept as text on the phone:
 * Android shared preferences (`shared_prefs/*.xml`) whose values are
 * ciphertext under a key the Android Keystore holds, and sembast databases
 * (Flutter) written through an encrypting codec. Each is recognised by the
 * names the library writes, never by the file name alone:
 *
 * - flutter_secure_storage (Android, without encryptedSharedPreferences):
 *   `FlutterSecureStorage.xml`, every entry named `<prefix>_<key>` with the
 *   library's default prefix (base64 of "This is the prefix for a secure
 *   storage"), the value base64 of an IV and AES-CBC or AES-GCM ciphertext;
 *   the AES key, RSA-wrapped by a Keystore key, in `FlutterSecureKeyStorage.xml`
 *   under base64 of "This is the key for a secure storage AES Key" (with an
 *   `AES` or `B` prefix in later versions).
 * - react-native-keychain (Android, shared-preferences storage): `RN_KEYCHAIN.xml`,
 *   `<service>:u` and `<service>:p` base64 ciphertext and `<service>:c` the
 *   cipher storage's name (KeystoreAESCBC, KeystoreAESGCM, KeystoreRSAECB,
 *   FacebookConceal).
 * - Expo SecureStore (React Native): `SecureStore.xml`, each value a JSON
 *   object (XML-escaped) with the base64 ciphertext `ct`, the GCM `iv` and tag
 *   length `tlen`, and `scheme` "aes" (a Keystore AES key) or "hybrid" (an AES
 *   key wrapped by a Keystore RSA key, in `esk`).
 * - Xamarin.Essentials SecureStorage: `<package>.xamarinessentials.xml`,
 *   entries named by the MD5 (hex) of the app's key, values base64 of a 12-byte
 *   IV and AES-GCM ciphertext; `SecureStorageKey` (an RSA-wrapped AES key,
 *   API 22 and lower) and `essentials_use_symmetric` beside them.
 * - Jetpack Security EncryptedFile's keyset: `__androidx_security_crypto_encrypted_file_pref__.xml`
 *   holding the Tink streaming-AEAD keyset (hex, wrapped by the Keystore master key); and any
 *   preferences file of nothing but Tink keysets (AndroidKeysetManager), each the hex of an
 *   EncryptedKeyset: field 2 the encrypted keyset, field 3 the clear KeysetInfo naming the key
 *   types by their type URLs.
 * - sembast with a codec: the first line `{"version":n,"sembast":1,"codec":"…"}`
 *   where the codec field is the codec's own encoding of its signature, then one
 *   line per record in the codec's encoding: base64 ciphertext for the
 *   encrypting codecs sembast documents.
 * References: flutter_secure_storage android/src/main/java/com/it_nomads/fluttersecurestorage
 * (FlutterSecureStorage.java ELEMENT_PREFERENCES_KEY_PREFIX, ciphers/StorageCipher18Implementation.java,
 * StorageCipherGCMImplementation.java); expo/expo packages/expo-secure-store android
 * (SecureStoreModule.kt SHARED_PREFERENCES_NAME, SCHEME_PROPERTY, KEYSTORE_ALIAS_PROPERTY;
 * encryptors/AESEncryptor.kt ct, iv, tlen, NAME "aes"; HybridAESEncryptor "hybrid", esk); oblador/react-native-keychain android PrefsStorage
 * (KEYCHAIN_DATA, getKeyForUsername/Password/CipherStorage); xamarin/Essentials
 * SecureStorage.android.cs (Md5Hash, SecureStorageKey, essentials_use_symmetric, AES/GCM/NoPadding, IV 12);
 * androidx.security:security-crypto EncryptedFile.java (KEYSET_PREF_NAME, KEYSET_ALIAS);
 * tink-crypto/tink-java proto/tink.proto (EncryptedKeyset, KeysetInfo) and
 * integration/android/AndroidKeysetManager (keysets as hex in shared preferences);
 * tekartik/sembast lib/src/sembast_impl.dart (meta keys) and sembast_codec_impl.dart
 * (getCodecEncodedSignature), doc/codec.md.
 */
import type { Detection, FormatDeclaration, KeyHint } from '@evtriage/core/contract';
import { locked, plain, varint } from './util.js';

export const APP_SECURE_STORAGE_FORMATS: FormatDeclaration[] = [
  {
    id: 'flutter-secure-storage',
    name: 'flutter_secure_storage preferences (Android, Keystore-encrypted values)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['xml'],
  },
  {
    id: 'flutter-secure-storage-key',
    name: 'flutter_secure_storage key store (Android, Keystore-wrapped AES key)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['xml'],
  },
  {
    id: 'react-native-keychain-prefs',
    name: 'react-native-keychain preferences (Android, Keystore-encrypted credentials)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['xml', 'preferences_pb'],
  },
  {
    id: 'expo-secure-store',
    name: 'Expo SecureStore preferences (Android, Keystore-encrypted values)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['xml'],
  },
  {
    id: 'xamarin-secure-storage',
    name: 'Xamarin.Essentials SecureStorage preferences (Android, Keystore-encrypted values)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['xml'],
  },
  {
    id: 'androidx-encrypted-file-keyset',
    name: 'Jetpack Security EncryptedFile keyset (Android, Keystore-wrapped)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['xml'],
  },
  {
    id: 'tink-keyset-prefs',
    name: 'Tink keysets in shared preferences (Android, Keystore-wrapped)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['xml'],
  },
  {
    id: 'sembast-encrypted',
    name: 'sembast database with an encrypting codec',
    status: 'encrypted',
    how: 'structure',
    extensions: ['db'],
  },
  { id: 'sembast', name: 'sembast database (JSON lines)', status: 'analysable', how: 'structure', extensions: ['db'] },
];

/** base64 of "This is the prefix for a secure storage\n": flutter_secure_storage's default key prefix. */
const FSS_PREFIX = 'VGhpcyBpcyB0aGUgcHJlZml4IGZvciBhIHNlY3VyZSBzdG9yYWdlCg';
/** base64 of "This is the key for a secure storage AES Key\n": the wrapped AES key's entry (AES…, B… in later versions). */
const FSS_KEY = 'VGhpcyBpcyB0aGUga2V5IGZvciBhIHNlY3VyZSBzdG9yYWdlIEFFUyBLZXkK';
const RN_CIPHERS = ['KeystoreAESCBC', 'KeystoreAESGCM', 'KeystoreAESGCM_NoAuth', 'KeystoreRSAECB', 'FacebookConceal'];

function keystore(description: string, lookFor?: string[]): KeyHint {
  return { description, kind: 'hardware', present: 'no', ...(lookFor ? { lookFor } : {}) };
}

/** Bytes of a base64 value, or undefined when it is not base64. */
function decoded(value: string): Uint8Array | undefined {
  const v = value.replace(/\s+/g, '');
  if (v.length < 16 || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return undefined;
  return Buffer.from(v, 'base64');
}

/** Ciphertext, not encoded text: most bytes outside printable ASCII would be, in random bytes (about 63%). */
function cipherLike(b: Uint8Array | undefined, min: number): boolean {
  if (!b || b.length < min) return false;
  const printable = b.filter((c) => c >= 0x20 && c < 0x7f).length;
  return printable / b.length < 0.75;
}

/** `<string name="…">…</string>` entries of a shared-preferences map (the head of it). */
function prefStrings(t: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const m of t.matchAll(/<string name="([^"]{1,300})">([^<]{0,20000})<\/string>/g)) {
    out.push([m[1] ?? '', m[2] ?? '']);
    if (out.length >= 2000) break;
  }
  return out;
}

const ENTITIES: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };

/** An Expo SecureStore item: a JSON object with base64 "ct" ciphertext, an IV or tag length, and its scheme. */
function expoItem(value: string): boolean {
  if (!value.includes('scheme')) return false;
  const json = value.replace(/&(quot|amp|lt|gt|apos);/g, (_, e: string) => ENTITIES[e] ?? '');
  let item: unknown;
  try {
    item = JSON.parse(json);
  } catch {
    return false;
  }
  if (typeof item !== 'object' || item === null) return false;
  const { ct, iv, tlen, scheme } = item as Record<string, unknown>;
  return (
    (scheme === 'aes' || scheme === 'hybrid') &&
    typeof ct === 'string' &&
    cipherLike(decoded(ct), 17) &&
    (typeof iv === 'string' || typeof tlen === 'number')
  );
}

function sharedPrefs(t: string): Detection | undefined {
  if (!/^(<\?xml[^>]*>\s*)?<map\b/.test(t)) return undefined;
  const strings = prefStrings(t);
  if (strings.length === 0) return undefined;
  const booleans = new Set([...t.matchAll(/<boolean name="([^"]{1,300})"/g)].map((m) => m[1] ?? ''));
  return secureStorageEntries(strings, booleans);
}

/**
 * The libraries above from a preferences store's entries, whatever holds them: shared-preferences
 * XML or a DataStore PreferenceMap (react-native-keychain 10 moved its entries there).
 * `strings` are the string entries (name, value), `booleans` the names of boolean entries.
 */
export function secureStorageEntries(
  strings: ReadonlyArray<readonly [string, string]>,
  booleans: ReadonlySet<string>,
): Detection | undefined {
  const fss = strings.filter(([n, v]) => n.startsWith(`${FSS_PREFIX}_`) && cipherLike(decoded(v), 28));
  if (fss.length > 0) {
    return locked({
      id: 'flutter-secure-storage',
      name: 'flutter_secure_storage preferences (Android, Keystore-encrypted values)',
      confidence: 0.95,
      code: 'FLUTTER_SECURE_STORAGE_VALUES',
      message: `Shared preferences written by flutter_secure_storage: ${fss.length} entr${fss.length === 1 ? 'y' : 'ies'} under the library's key prefix (base64 of "This is the prefix for a secure storage") whose values are base64 of an IV and AES ciphertext; the app's key names follow the prefix in clear.`,
      figures: { entries: fss.length },
      scheme: 'flutter-secure-storage-aes',
      keyHint: keystore(
        'The AES key in FlutterSecureKeyStorage.xml beside this file, wrapped by an RSA key the Android Keystore holds (alias <package>.FlutterSecureStoragePluginKey): the Keystore key is not in a file dump, so the wrapped key cannot be opened from it.',
        ['**/shared_prefs/FlutterSecureKeyStorage.xml'],
      ),
    });
  }
  const fssKey = strings.find(
    ([n, v]) => (n === FSS_KEY || n === `AES${FSS_KEY}` || n === `B${FSS_KEY}`) && cipherLike(decoded(v), 128),
  );
  if (fssKey) {
    const bytes = decoded(fssKey[1])?.length ?? 0;
    return locked({
      id: 'flutter-secure-storage-key',
      name: 'flutter_secure_storage key store (Android, Keystore-wrapped AES key)',
      confidence: 0.95,
      code: 'FLUTTER_SECURE_STORAGE_WRAPPED_KEY',
      message: `Shared preferences holding flutter_secure_storage's AES key (${bytes} bytes: RSA-wrapped) under the library's name for it${fssKey[0].startsWith('AES') ? ' (the AES-GCM cipher)' : fssKey[0].startsWith('B') ? ' (the biometric cipher)' : ' (the AES-CBC cipher)'}: the key that encrypts FlutterSecureStorage.xml, itself encrypted.`,
      figures: { wrappedKeyBytes: bytes },
      scheme: 'android-keystore-rsa-wrapped-key',
      keyHint: keystore(
        'The RSA private key in the Android Keystore (alias <package>.FlutterSecureStoragePluginKey), held by the device keystore or secure hardware: it is not in a file dump.',
      ),
    });
  }

  const byName = new Map(strings.map(([n, v]) => [n, v]));
  const services = strings
    .filter(([n, v]) => n.endsWith(':c') && RN_CIPHERS.includes(v))
    .map(([n, v]) => [n.slice(0, -2), v] as const)
    .filter(([s]) =>
      [':u', ':p'].some((suffix) => {
        const v = byName.get(`${s}${suffix}`);
        return v !== undefined && decoded(v) !== undefined;
      }),
    );
  if (services.length > 0) {
    const ciphers = [...new Set(services.map(([, c]) => c))];
    const conceal = ciphers.includes('FacebookConceal');
    return locked({
      id: 'react-native-keychain-prefs',
      name: 'react-native-keychain preferences (Android, Keystore-encrypted credentials)',
      confidence: 0.95,
      code: 'RN_KEYCHAIN_ENTRIES',
      message: `Shared preferences written by react-native-keychain: ${services.length} service(s) (${services
        .slice(0, 4)
        .map(([s]) => s)
        .join(
          ', ',
        )}) whose user name and password (":u", ":p") are base64 ciphertext and whose cipher storage (":c") is ${ciphers.join(', ')}.`,
      figures: { services: services.length, ciphers: ciphers.join(',') },
      scheme: `react-native-keychain-${ciphers.length === 1 ? (ciphers[0] ?? '').toLowerCase() : 'mixed'}`,
      keyHint: conceal
        ? {
            description:
              "FacebookConceal keeps its AES key in the app's own shared preferences (Conceal's SharedPrefsBackedKeyChain, e.g. crypto.KEY_256.xml); the Keystore ciphers keep theirs in the Android Keystore under the service's alias, not in a file dump.",
            kind: 'key-file',
            present: 'unknown',
            lookFor: ['**/shared_prefs/crypto.KEY_256.xml'],
          }
        : keystore(
            'An AES or RSA key in the Android Keystore under the service name as alias (RN_KEYCHAIN_DEFAULT_ALIAS by default), held by the device keystore or secure hardware: it is not in a file dump.',
          ),
    });
  }

  const expo = strings.filter(([, v]) => expoItem(v));
  if (expo.length > 0) {
    const hybrid = expo.some(([, v]) => /&quot;scheme&quot;:&quot;hybrid&quot;|"scheme":"hybrid"/.test(v));
    return locked({
      id: 'expo-secure-store',
      name: 'Expo SecureStore preferences (Android, Keystore-encrypted values)',
      confidence: 0.95,
      code: 'EXPO_SECURE_STORE_ITEMS',
      message: `Shared preferences written by Expo SecureStore: ${expo.length} item(s) whose value is a JSON object of base64 AES-GCM ciphertext ("ct"), IV and tag length, scheme "${hybrid ? 'hybrid' : 'aes'}"; the item names (keychain service and key) are readable.`,
      figures: { items: expo.length, hybrid },
      scheme: hybrid ? 'expo-secure-store-hybrid' : 'expo-secure-store-aes-gcm',
      keyHint: keystore(
        hybrid
          ? 'An RSA key in the Android Keystore that unwraps each item\'s AES key ("esk"): it is not in a file dump.'
          : "An AES key in the Android Keystore (alias AES/GCM/NoPadding:key_v1 by default, or the item's keystoreAlias, with a keystoreAuthenticated/keystoreUnauthenticated suffix): it is not in a file dump.",
      ),
    });
  }

  const md5 = strings.filter(([n, v]) => /^[0-9a-f]{32}$/.test(n) && cipherLike(decoded(v), 29));
  const wrappedKey = byName.get('SecureStorageKey');
  const marker = wrappedKey !== undefined || booleans.has('essentials_use_symmetric');
  const others = strings.filter(([n]) => !/^[0-9a-f]{32}$/.test(n) && n !== 'SecureStorageKey').length;
  if (md5.length > 0 && (marker || (md5.length >= 2 && others === 0))) {
    return locked({
      id: 'xamarin-secure-storage',
      name: 'Xamarin.Essentials SecureStorage preferences (Android, Keystore-encrypted values)',
      confidence: marker ? 0.95 : 0.85,
      code: 'XAMARIN_SECURE_STORAGE',
      message: `Shared preferences written by Xamarin.Essentials SecureStorage: ${md5.length} entr${md5.length === 1 ? 'y' : 'ies'} named by the MD5 of the app's key, values base64 of a 12-byte IV and AES-GCM ciphertext${wrappedKey !== undefined ? ', and an RSA-wrapped AES key (SecureStorageKey)' : ''}${marker ? '' : ' (no SecureStorageKey or essentials_use_symmetric entry: the layout alone)'}.`,
      figures: { entries: md5.length, wrappedKey: wrappedKey !== undefined, clearEntries: others },
      // Other entries beside the secure ones (an app writing its own preferences into the file) stay readable.
      scope: others > 0 ? 'partial' : 'full',
      scheme: 'xamarin-essentials-aes-gcm',
      keyHint: keystore(
        'An AES key in the Android Keystore (alias <package>.xamarinessentials), or on API 22 and lower the AES key in SecureStorageKey wrapped by a Keystore RSA key: the Keystore key is not in a file dump.',
      ),
    });
  }

  const fileKeyset = byName.get('__androidx_security_crypto_encrypted_file_keyset__');
  if (fileKeyset !== undefined && /^[0-9a-f]{40,}$/.test(fileKeyset)) {
    return locked({
      id: 'androidx-encrypted-file-keyset',
      name: 'Jetpack Security EncryptedFile keyset (Android, Keystore-wrapped)',
      confidence: 0.95,
      code: 'ANDROIDX_ENCRYPTED_FILE_KEYSET',
      message: `Shared preferences holding Jetpack Security's EncryptedFile keyset (${fileKeyset.length / 2} bytes, a Tink keyset encrypted by the Keystore master key): the app's files written with EncryptedFile (Tink AES256-GCM-HKDF streaming: a 40-byte header of length byte 0x28, salt and nonce prefix, then 4 KiB segments) need it.`,
      figures: { keysetBytes: fileKeyset.length / 2 },
      scheme: 'androidx-encrypted-file-keyset',
      keyHint: keystore(
        "The app's master key in the Android Keystore (alias _androidx_security_master_key_ by default), held by the device keystore or secure hardware: it is not in a file dump.",
      ),
    });
  }

  // Tink's AndroidKeysetManager: keysets kept as hex of an EncryptedKeyset, wrapped by a Keystore master key.
  // Only a file of nothing but keysets is called encrypted; a keyset among clear settings leaves the file readable.
  const keysets = strings.map(([, v]) => tinkEncryptedKeyset(v));
  if (keysets.length > 0 && keysets.every((k) => k !== undefined)) {
    const types = [...new Set(keysets.flat())];
    return locked({
      id: 'tink-keyset-prefs',
      name: 'Tink keysets in shared preferences (Android, Keystore-wrapped)',
      confidence: 0.95,
      code: 'TINK_ENCRYPTED_KEYSETS',
      message: `Shared preferences holding only Tink keysets (${keysets.length}, stored by AndroidKeysetManager): each the hex of an EncryptedKeyset whose key material is encrypted by a master key in the Android Keystore and whose clear KeysetInfo names the key type (${types.join(', ') || 'unnamed'}).`,
      figures: { keysets: keysets.length, keyTypes: types.join(',') },
      scheme: 'tink-encrypted-keyset',
      keyHint: keystore(
        "The keysets' master key in the Android Keystore (the app's android-keystore:// key URI), held by the device keystore or secure hardware: it is not in a file dump.",
      ),
    });
  }
  return undefined;
}

const TINK_TYPE_URL = 'type.googleapis.com/google.crypto.tink.';

/**
 * The key types of a Tink EncryptedKeyset given as hex (field 2 the encrypted keyset, field 3 the
 * clear KeysetInfo with each key's type URL), or undefined when the value is not one.
 */
export function tinkEncryptedKeyset(value: string): string[] | undefined {
  if (value.length < 80 || value.length % 2 !== 0 || !/^[0-9a-f]+$/.test(value)) return undefined;
  const b = Buffer.from(value, 'hex');
  if (b[0] !== 0x12) return undefined;
  const len = varint(b, 1);
  if (!len || len[0] < 16 || len[1] + len[0] >= b.length || b[len[1] + len[0]] !== 0x1a) return undefined;
  const info = b.subarray(len[1] + len[0]).toString('latin1');
  const types = [...info.matchAll(/type\.googleapis\.com\/google\.crypto\.tink\.(\w{1,64})/g)].map((m) => m[1] ?? '');
  return types.length > 0 && info.includes(TINK_TYPE_URL) ? types : undefined;
}

function sembast(t: string): Detection | undefined {
  const nl = t.indexOf('\n');
  const first = nl < 0 ? t : t.slice(0, nl);
  if (!/^\{\s*"version"\s*:\s*\d+\s*,\s*"sembast"\s*:/.test(first)) return undefined;
  let meta: unknown;
  try {
    meta = JSON.parse(first);
  } catch {
    return undefined;
  }
  const codec = (meta as { codec?: unknown }).codec;
  const lines = t
    .slice(first.length + 1)
    .split('\n')
    .filter((l) => l.length > 0)
    .slice(0, 64);
  if (typeof codec !== 'string') {
    // Without a codec every record line is a JSON object with a key.
    const records = lines.filter((l) => /^\{\s*"key"\s*:/.test(l)).length;
    if (records === 0 || records < lines.length - 1) return undefined;
    return plain('analysable', {
      id: 'sembast',
      name: 'sembast database (JSON lines)',
      confidence: 0.95,
      code: 'SEMBAST_JSON',
      message: `A sembast meta line (version, "sembast") then ${records} JSON record line(s): a readable sembast database.`,
      figures: { records },
    });
  }
  // The codec's own encoding of {"signature": …}, and record lines in the same encoding.
  const sig = decoded(codec);
  const enc = lines.filter((l) => cipherLike(decoded(l), 16)).length;
  if (!sig || !cipherLike(sig, 16) || enc < Math.min(1, lines.length) || enc < lines.length - 1) return undefined;
  return locked({
    id: 'sembast-encrypted',
    name: 'sembast database with an encrypting codec',
    confidence: 0.9,
    code: 'SEMBAST_CODEC_CIPHERTEXT',
    message: `A sembast meta line with a "codec" signature that is base64 of random-looking bytes, then ${enc} record line(s) of base64 ciphertext: a sembast database written through an encrypting codec.`,
    figures: { records: enc },
    scheme: 'sembast-codec',
    keyHint: {
      description:
        "The codec's password or key, chosen by the app (sembast's documented codecs derive it from a password); apps often keep it with flutter_secure_storage (Android shared_prefs, iOS Keychain).",
      kind: 'unknown',
      present: 'unknown',
    },
  });
}

/** Shared preferences or a sembast file of the libraries above, from its text (the head of it). */
export function appSecureStorage(text: string): Detection | undefined {
  const t = text.replace(/^\ufeff/, '');
  if (t.startsWith('<')) return sharedPrefs(t.slice(0, 262144));
  if (/^\{\s*"version"/.test(t)) return sembast(t.slice(0, 262144));
  return undefined;
}
