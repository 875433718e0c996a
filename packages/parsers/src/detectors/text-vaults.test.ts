import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { textVaultsDetector } from './text-vaults.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

testDetector(
  textVaultsDetector,
  {
    fixtures: new URL('../../fixtures/text-vaults/', import.meta.url),
    valid: [
      {
        file: 'secrets.yml',
        format: 'ansible-vault',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['ANSIBLE_VAULT_HEADER'],
        encryption: { scheme: 'ansible-vault-aes256', keyHint: { kind: 'password' } },
      },
      { file: 'prod-secrets.yml', format: 'ansible-vault', status: 'encrypted', reasons: ['ANSIBLE_VAULT_HEADER'] },
      {
        file: 'secrets.sops.yaml',
        format: 'sops-yaml',
        status: 'encrypted',
        reasons: ['SOPS_ENCRYPTED_VALUES'],
        encryption: { scope: 'partial' },
      },
      { file: 'secrets.sops.json', format: 'sops-json', status: 'encrypted', reasons: ['SOPS_ENCRYPTED_VALUES'] },
      // Bitnami Sealed Secrets (generate-sealed-secrets.sh: the published layout, real RSA-OAEP and AES-GCM).
      ...['db-credentials-sealed.yaml', 'db-credentials-sealed.json'].map((file) => ({
        file,
        format: 'sealed-secret',
        status: 'encrypted' as const,
        reasons: ['SEALED_SECRET_VALUES'],
        encryption: { scope: 'partial' as const, scheme: 'sealed-secrets-rsa-oaep-aes-gcm' },
      })),
      // Cut before the metadata block: the values' whole form is enough.
      {
        file: 'cut-before-metadata.sops.yaml',
        format: 'sops-yaml',
        status: 'encrypted',
        reasons: ['SOPS_ENCRYPTED_VALUES'],
      },
      {
        file: 'bitwarden_export.json',
        format: 'bitwarden-encrypted-json',
        status: 'encrypted',
        reasons: ['BITWARDEN_ENCRYPTED_EXPORT'],
      },
      // The mobile apps' default encrypted export (generate-bitwarden-account-export.sh): values under the user key.
      {
        file: 'bitwarden_export_20240101120000.json',
        format: 'bitwarden-account-export',
        status: 'encrypted',
        reasons: ['BITWARDEN_ACCOUNT_EXPORT'],
        encryption: { scope: 'partial', scheme: 'bitwarden-encstring', keyHint: { kind: 'password' } },
      },
      { file: 'profile.js', format: 'opvault-profile', status: 'encrypted', reasons: ['OPVAULT_PROFILE'] },
      // JSON/XML wallets and key files (json-vaults.ts): gocryptfs, restic and EncFS files come from the tools themselves.
      {
        file: 'gocryptfs.conf',
        format: 'gocryptfs-conf',
        status: 'encrypted',
        confidence: { min: 0.96 },
        reasons: ['GOCRYPTFS_CONF'],
        encryption: { scheme: 'gocryptfs-scrypt', keyHint: { kind: 'password' } },
      },
      { file: 'restic-key', format: 'restic-key', status: 'encrypted', reasons: ['RESTIC_KEY_FILE'] },
      { file: '.encfs6.xml', format: 'encfs-config', status: 'encrypted', reasons: ['ENCFS_ENCODED_KEY'] },
      {
        file: 'evernote/locked-note.enex',
        format: 'evernote-export-encrypted',
        status: 'encrypted',
        reasons: ['ENEX_EN_CRYPT'],
        encryption: { scheme: 'evernote-aes-128-cbc', scope: 'partial' },
      },
      {
        file: 'UTC--2024-01-01T00-00-00.000Z--keystore.json',
        format: 'ethereum-keystore',
        status: 'encrypted',
        reasons: ['ETHEREUM_KEYSTORE_V3'],
        encryption: { scheme: 'ethereum-keystore-scrypt' },
      },
      {
        file: 'electrum_wallet',
        format: 'electrum-wallet-encrypted',
        status: 'encrypted',
        reasons: ['ELECTRUM_USE_ENCRYPTION'],
        encryption: { scope: 'partial' },
      },
      {
        file: 'electrum_wallet_bie1',
        format: 'electrum-wallet-encrypted',
        status: 'encrypted',
        reasons: ['ELECTRUM_BIE1'],
      },
      {
        file: 'wallet.aes.json',
        format: 'blockchain-wallet',
        status: 'encrypted',
        reasons: ['BLOCKCHAIN_WALLET_PAYLOAD'],
      },
      {
        file: 'encryptionKeys.js',
        format: 'agilekeychain-keys',
        status: 'encrypted',
        reasons: ['AGILE_KEYCHAIN_KEYS'],
      },
      { file: 'data.json', format: 'bitwarden-data-json', status: 'encrypted', reasons: ['BITWARDEN_ENC_KEY'] },
      {
        file: 'evidence-vm.vbox',
        format: 'virtualbox-encrypted-vm',
        status: 'encrypted',
        reasons: ['VIRTUALBOX_CRYPT_KEYSTORE'],
        encryption: { scope: 'partial', scheme: 'virtualbox-aes-xts' },
      },
      { file: 'aegis-export.json', format: 'aegis-vault', status: 'encrypted', reasons: ['AEGIS_ENCRYPTED_DB'] },
      // Unencrypted authenticator exports (generate-otp-plain.sh, generate-authenticators.sh): readable, secrets in clear.
      {
        file: 'aegis-export-plain.json',
        format: 'otp-secrets-clear',
        status: 'analysable',
        reasons: ['OTP_SECRETS_IN_CLEAR'],
      },
      {
        file: '2fas-backup-plain.2fas',
        format: 'otp-secrets-clear',
        status: 'analysable',
        reasons: ['OTP_SECRETS_IN_CLEAR'],
      },
      {
        file: 'otp_accounts_2024-01-01_12-00-00.json',
        format: 'otp-secrets-clear',
        status: 'analysable',
        reasons: ['OTP_SECRETS_IN_CLEAR'],
      },
      {
        file: 'freeotp-backup.json',
        format: 'otp-secrets-clear',
        status: 'analysable',
        reasons: ['OTP_SECRETS_IN_CLEAR'],
      },
      {
        file: 'stratum-backup-2024-01-01.json',
        format: 'otp-secrets-clear',
        status: 'analysable',
        reasons: ['OTP_SECRETS_IN_CLEAR'],
      },
      {
        file: 'ente-auth-codes-plain.txt',
        format: 'otp-secrets-clear',
        status: 'analysable',
        reasons: ['OTP_SECRETS_IN_CLEAR'],
      },
      {
        file: 'google-authenticator-transfer.txt',
        format: 'otp-secrets-clear',
        status: 'analysable',
        reasons: ['OTP_SECRETS_IN_CLEAR'],
      },
      // Authenticator app backups (generate-authenticators.sh, from the apps' published formats).
      {
        file: '2fas-backup-20240101120000.2fas',
        format: 'twofas-backup-encrypted',
        status: 'encrypted',
        reasons: ['TWOFAS_SERVICES_ENCRYPTED'],
        encryption: { scheme: 'twofas-pbkdf2-aes-256-gcm', keyHint: { kind: 'password' } },
      },
      {
        file: '0-encrypted-4f1c2b7a9e0d3c5b6a7f8e9d0c1b2a3f',
        format: 'notesnook-backup-encrypted',
        status: 'encrypted',
        reasons: ['NOTESNOOK_ENCRYPTED_BACKUP'],
        encryption: { scheme: 'notesnook-xcha-argon2i13-var', keyHint: { kind: 'password' } },
      },
      {
        file: 'Safe.mdenc',
        format: 'meld-encrypt-note',
        status: 'encrypted',
        reasons: ['MELD_ENCRYPT_NOTE'],
        encryption: { scheme: 'meld-encrypt-2.0-pbkdf2-aes-256-gcm', keyHint: { kind: 'password' } },
      },
      {
        file: 'Bank notes.md',
        format: 'meld-encrypt-inline',
        status: 'encrypted',
        reasons: ['MELD_ENCRYPT_INLINE'],
        encryption: { scope: 'partial', keyHint: { kind: 'password' } },
      },
      {
        file: 'ente-auth-codes-2024-01-01.txt',
        format: 'ente-auth-export-encrypted',
        status: 'encrypted',
        reasons: ['ENTE_AUTH_ENCRYPTED_EXPORT'],
        encryption: { scheme: 'ente-argon2id-xchacha20-poly1305', keyHint: { kind: 'password' } },
      },
      {
        file: 'masterkey.cryptomator',
        format: 'cryptomator-masterkey',
        status: 'encrypted',
        reasons: ['CRYPTOMATOR_MASTERKEY'],
      },
      {
        file: 'Standard Notes Backup.txt',
        format: 'standard-notes-backup',
        status: 'encrypted',
        reasons: ['STANDARD_NOTES_ENCRYPTED_ITEMS'],
      },
      {
        file: 'evidence-vm.vmx',
        format: 'vmware-encrypted-vm',
        status: 'encrypted',
        reasons: ['VMWARE_KEYSAFE'],
        encryption: { scheme: 'vmware-aes-256' },
      },
      {
        file: 'Signal/config.json',
        format: 'signal-desktop-config',
        status: 'encrypted',
        reasons: ['ELECTRON_SAFESTORAGE_KEY'],
        encryption: { scheme: 'electron-safestorage-v10', keyHint: { kind: 'keystore' } },
      },
      {
        file: 'padlock-export.json',
        format: 'sjcl-ciphertext',
        status: 'encrypted',
        reasons: ['SJCL_CIPHERTEXT'],
        encryption: { scheme: 'sjcl-aes-ccm' },
      },
      {
        // Written by MetaMask's browser-passworder: iterations from keyMetadata.
        file: 'metamask-vault.json',
        format: 'metamask-vault',
        status: 'encrypted',
        reasons: ['METAMASK_VAULT'],
        encryption: { scheme: 'metamask-pbkdf2-aes-256-gcm', scope: 'full', keyHint: { kind: 'password' } },
      },
      {
        file: 'metamask-mobile-vault.json',
        format: 'metamask-mobile-vault',
        status: 'encrypted',
        reasons: ['METAMASK_MOBILE_VAULT'],
        encryption: { scheme: 'metamask-mobile-pbkdf2-aes-cbc', scope: 'full' },
      },
      {
        // The vault escaped twice inside the persisted state: the rest of the state is readable.
        file: 'persist-root',
        format: 'metamask-mobile-vault',
        status: 'encrypted',
        reasons: ['METAMASK_MOBILE_STATE_VAULT'],
        encryption: { scheme: 'metamask-mobile-pbkdf2-aes-cbc', scope: 'partial' },
      },
      {
        file: 'secure_prefs.xml',
        format: 'android-encrypted-prefs',
        status: 'encrypted',
        reasons: ['ANDROID_ENCRYPTED_PREFS'],
        encryption: { keyHint: { kind: 'hardware', present: 'no' } },
      },
      {
        file: 'rclone.conf',
        format: 'rclone-config-encrypted',
        status: 'encrypted',
        reasons: ['RCLONE_ENCRYPTED_CONFIG'],
        encryption: { scheme: 'rclone-secretbox-sha256', keyHint: { kind: 'password' } },
      },
      {
        file: 'band_1.js',
        format: 'opvault-band',
        status: 'encrypted',
        reasons: ['OPVAULT_ITEMS'],
        encryption: { scheme: 'opvault-opdata01', scope: 'partial' },
      },
      { file: 'folders.js', format: 'opvault-band', status: 'encrypted', reasons: ['OPVAULT_ITEMS'] },
      {
        // Python keyring's EncryptedKeyring (keyrings.alt 4.2): two passwords under two services.
        file: 'crypted_pass.cfg',
        format: 'keyrings-alt-encrypted',
        status: 'encrypted',
        reasons: ['KEYRINGS_ALT_ENCRYPTED'],
        encryption: { scheme: 'keyrings-alt-pbkdf2-aes256-cfb', scope: 'partial', keyHint: { kind: 'password' } },
      },
      {
        file: 'securefs.json',
        name: 'a vault no rule names (securefs): the shape of a password-wrapped key',
        format: 'json-password-vault',
        status: 'encrypted',
        reasons: ['JSON_PASSWORD_WRAPPED_SECRET'],
        encryption: { scheme: 'password-wrapped-json', keyHint: { kind: 'password' } },
      },
      // Apps' secure-storage preferences and sembast files (app-secure-storage.ts): fixtures/text-vaults/app-secure-storage/.
      {
        file: 'app-secure-storage/FlutterSecureStorage.xml',
        format: 'flutter-secure-storage',
        status: 'encrypted',
        reasons: ['FLUTTER_SECURE_STORAGE_VALUES'],
        encryption: { scheme: 'flutter-secure-storage-aes', keyHint: { kind: 'hardware', present: 'no' } },
      },
      {
        file: 'app-secure-storage/FlutterSecureKeyStorage.xml',
        format: 'flutter-secure-storage-key',
        status: 'encrypted',
        reasons: ['FLUTTER_SECURE_STORAGE_WRAPPED_KEY'],
        encryption: { keyHint: { kind: 'hardware', present: 'no' } },
      },
      {
        file: 'app-secure-storage/RN_KEYCHAIN.xml',
        format: 'react-native-keychain-prefs',
        status: 'encrypted',
        reasons: ['RN_KEYCHAIN_ENTRIES'],
        encryption: { scheme: 'react-native-keychain-keystoreaescbc', keyHint: { kind: 'hardware' } },
      },
      {
        file: 'app-secure-storage/SecureStore.xml',
        format: 'expo-secure-store',
        status: 'encrypted',
        reasons: ['EXPO_SECURE_STORE_ITEMS'],
        encryption: { scheme: 'expo-secure-store-aes-gcm', keyHint: { kind: 'hardware', present: 'no' } },
      },
      {
        file: 'app-secure-storage/com.example.app.xamarinessentials.xml',
        format: 'xamarin-secure-storage',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['XAMARIN_SECURE_STORAGE'],
        encryption: { scheme: 'xamarin-essentials-aes-gcm', keyHint: { present: 'no' } },
      },
      {
        file: 'app-secure-storage/__androidx_security_crypto_encrypted_file_pref__.xml',
        format: 'androidx-encrypted-file-keyset',
        status: 'encrypted',
        reasons: ['ANDROIDX_ENCRYPTED_FILE_KEYSET'],
        encryption: { keyHint: { kind: 'hardware', present: 'no' } },
      },
      {
        // Tink's AndroidKeysetManager: nothing but keysets, each the hex of an EncryptedKeyset (protoc).
        file: 'app-secure-storage/tink_keysets.xml',
        format: 'tink-keyset-prefs',
        status: 'encrypted',
        reasons: ['TINK_ENCRYPTED_KEYSETS'],
        encryption: { scheme: 'tink-encrypted-keyset', keyHint: { kind: 'hardware', present: 'no' } },
      },
      {
        file: 'app-secure-storage/secure.db',
        format: 'sembast-encrypted',
        status: 'encrypted',
        reasons: ['SEMBAST_CODEC_CIPHERTEXT'],
        encryption: { scheme: 'sembast-codec' },
      },
      { file: 'app-secure-storage/notes.db', format: 'sembast', status: 'analysable', reasons: ['SEMBAST_JSON'] },
      {
        // generate-local-state.sh: the DPAPI blob's header names the master key file the hint looks for.
        file: 'Chrome/User Data/Local State',
        format: 'chromium-local-state-dpapi',
        status: 'encrypted',
        reasons: ['CHROMIUM_OSCRYPT_DPAPI_KEY'],
        encryption: {
          scheme: 'chromium-os-crypt-dpapi',
          scope: 'partial',
          keyHint: { kind: 'key-file', lookFor: ['**/Protect/S-1-*/3f1e8c52-9a4d-4b7e-8c21-5d6e7f809a1b'] },
        },
      },
      {
        file: 'Edge/User Data/Local State',
        format: 'chromium-local-state-dpapi',
        status: 'encrypted',
        reasons: ['CHROMIUM_OSCRYPT_DPAPI_KEY'],
        encryption: { scheme: 'chromium-os-crypt-dpapi-app-bound', scope: 'partial' },
      },
    ],
    // A Firefox logins.json (credential fields encrypted, the rest readable) and an Electrum wallet without encryption are readable.
    invalid: [
      // The lock emoji in prose, and a Meld Encrypt note saved empty: nothing encrypted.
      { file: 'Lock icon notes.md' },
      { file: 'Empty.mdenc' },
      // A Notesnook backup part that is compressed but not encrypted.
      { file: '0-plain-9a8b7c6d5e4f30211203f4e5d6c7b8a9' },
      // An Evernote export without <en-crypt>: readable notes.
      { file: 'evernote/plain-notes.enex' },
      // Clear preferences, text behind MD5 names, an unknown cipher name, a codec that only encodes.
      { file: 'app-secure-storage/FlutterSharedPreferences.xml' },
      { file: 'app-secure-storage/md5-names.xml' },
      // A keyset among clear settings: the file stays readable XML.
      { file: 'app-secure-storage/settings-with-keyset.xml' },
      { file: 'app-secure-storage/rn-unknown-cipher.xml' },
      { file: 'app-secure-storage/base64-codec.db' },
      { file: 'config.yaml' },
      // The plain Kubernetes Secret it seals: base64 values, an encoding.
      { file: 'db-credentials-secret.yaml' },
      { file: 'plain_export.json' },
      { file: 'logins.json' },
      { file: 'electrum_wallet_plain' },
      {
        file: 'bitwarden_export_plain_20240101120000.json',
        name: 'an unencrypted Bitwarden export: passwords in clear',
      },
      { file: 'oauth-client.json', name: 'a "secret" with no OTP settings beside it' },
      { file: 'otpauth-notes.txt', name: 'prose naming otpauth:// without a secret' },
      { file: 'plain-vm.vmx' },
      { file: 'rclone-plain.conf' },
      { file: 'keyring_pass.cfg', name: "keyrings.alt's plain-text backend: passwords in base64, in clear" },
      { file: 'plain_prefs.xml' },
      { file: 'metamask-lookalike.json' },
      { file: 'Signal-legacy/config.json', name: 'the old config.json holds the key in clear' },
      { file: 'folders-empty.js', name: 'an OPVault folders.js with no folder' },
      { file: 'pbkdf2-vectors.json', name: 'PBKDF2 test vectors: derived keys, but many salts' },
      { file: 'kdf-settings.json', name: 'key-derivation settings with no wrapped secret' },
      { file: 'random-data.json', name: 'random base64 data with no key derivation named' },
      { file: 'Chromium-linux/Local State', name: 'Linux Local State: the key is in the desktop keyring, not here' },
      { file: 'Chrome-lookalike/Local State', name: '"DPAPI" prefix on a blob whose master key version is not 1' },
    ],
  },
  { framework: { describe, it } },
);

describe('text vaults through the whole engine', () => {
  it('the encrypted keyring is encrypted, counted by service and entry; the plain-text one stays readable', async () => {
    const items = await scanFixtures('text-vaults');
    const crypted = items.get('crypted_pass.cfg')!;
    expect(crypted.format?.id).toBe('keyrings-alt-encrypted');
    expect(crypted.classification.status).toBe('encrypted');
    const reason = crypted.classification.reasons.find((r) => r.code === 'KEYRINGS_ALT_ENCRYPTED');
    expect(reason?.figures).toMatchObject({ services: 2, entries: 2, scheme: '[PBKDF2] AES256.CFB' });
    expect(items.get('keyring_pass.cfg')!.classification.status).toBe('analysable');
  });

  it("a Windows Local State is the OSCrypt key's wrapper; Linux's and a look-alike stay readable JSON", async () => {
    const items = await scanFixtures('text-vaults');
    const windows = items.get('Chrome/User Data/Local State')!;
    expect(windows.format?.id).toBe('chromium-local-state-dpapi');
    expect(windows.classification.status).toBe('encrypted');
    expect(windows.encryption).toMatchObject({ scope: 'partial', keyHint: { kind: 'key-file' } });
    for (const file of ['Chromium-linux/Local State', 'Chrome-lookalike/Local State'])
      expect(items.get(file)!.classification.status).toBe('analysable');
  });

  it('a JSON vault no rule names outranks the generic "JSON parses" reading (securefs)', async () => {
    const items = await scanFixtures('text-vaults');
    const securefs = items.get('securefs.json')!;
    expect(securefs.format?.id).toBe('json-password-vault');
    expect(securefs.classification.status).toBe('encrypted');
    for (const file of ['pbkdf2-vectors.json', 'kdf-settings.json', 'random-data.json'])
      expect(items.get(file)!.classification.status).toBe('analysable');
  });
});
