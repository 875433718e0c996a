/**
 * Vaults and key files written as JSON or XML whose substance is ciphertext
 * or a password-wrapped key: gocryptfs.conf, restic key files, Ethereum
 * keystores (v3 and presale), Electrum wallets (encrypted seed, or the whole
 * file ECIES-encrypted as base64 "BIE1"), Blockchain.com wallets, 1Password
 * Agile Keychain encryptionKeys.js, Bitwarden desktop data.json, SJCL
 * ciphertext objects (Padlock and other web apps), Android EncryptedSharedPreferences,
 * EncFS .encfs6.xml and
 * VirtualBox .vbox settings holding a disk-encryption key store, Aegis vaults,
 * Cryptomator masterkey files, Standard Notes encrypted backups and Signal
 * Desktop's config.json (the database key wrapped by Electron safeStorage) and
 * Chromium/Electron `Local State` holding the DPAPI-wrapped OSCrypt key, and
 * the encrypted backups of the 2FAS and ente Auth authenticator apps.
 * Each is recognised by the fields that hold the wrapped key, never by a
 * file name alone. Used by the text-vaults detector.
 * References: gocryptfs Documentation/file-format.md (gocryptfs.conf);
 * restic design.md ("Keys, Encryption and MAC"); Ethereum Web3 Secret Storage
 * Definition (v3); Electrum lib/storage.py (encryption version BIE1) and
 * wallet_db (use_encryption); Blockchain.com wallet format (payload,
 * pbkdf2_iterations); AgileBits "Agile Keychain design" (encryptionKeys.js);
 * Bitwarden "EncString" type 2 (iv|data|mac); SJCL documentation (sjcl.encrypt
 * output); EncFS encfs/FileUtils.cpp (.encfs6.xml: encodedKeyData, saltData);
 * VirtualBox manual "Encryption of disk images" (CRYPT/KeyId, CRYPT/KeyStore);
 * Aegis docs/vault.md (header.slots, params, db); Cryptomator docs "Vault
 * structure" (masterkey.cryptomator fields); Standard Notes specification
 * (004 item encryption: content, enc_item_key); Electron safeStorage /
 * Chromium os_crypt ("v10"/"v11" prefix; Signal-Desktop app/main.ts
 * "encryptedKey"); 2FAS twofas-android backup schema (servicesEncrypted,
 * reference: "ciphertext:salt:iv"); ente Auth export documentation (kdfParams,
 * encryptedData, encryptionNonce).
 */
import type { Detection, KeyHint } from '@evtriage/core/contract';
import { dpapiBlobFields } from './dpapi-base64.js';
import { passwordVaultJson } from './password-vault-json.js';
import { locked } from './util.js';

type Vault = {
  id: string;
  /** Below the named vaults' 0.96 when only the shape is known. */
  confidence?: number;
  name: string;
  code: string;
  message: string;
  scheme: string;
  keyHint: KeyHint;
  scope?: 'full' | 'partial';
  figures?: Record<string, string | number | boolean>;
};

/** Format declarations for the vaults below (merged into text-vaults' meta). */
export const JSON_VAULT_FORMATS = [
  {
    id: 'gocryptfs-conf',
    name: 'gocryptfs configuration (wrapped master key)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['conf'],
  },
  { id: 'restic-key', name: 'restic repository key file', status: 'encrypted', how: 'structure' },
  {
    id: 'ethereum-keystore',
    name: 'Ethereum keystore (encrypted private key)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['json'],
  },
  {
    id: 'electrum-wallet-encrypted',
    name: 'Electrum wallet, password-protected',
    status: 'encrypted',
    how: 'structure',
  },
  {
    id: 'blockchain-wallet',
    name: 'Blockchain.com wallet (encrypted payload)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['json', 'aes.json'],
  },
  {
    id: 'agilekeychain-keys',
    name: '1Password Agile Keychain encryption keys',
    status: 'encrypted',
    how: 'structure',
    extensions: ['js'],
  },
  {
    id: 'bitwarden-data-json',
    name: 'Bitwarden desktop vault cache (data.json)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['json'],
  },
  {
    id: 'sjcl-ciphertext',
    name: 'SJCL ciphertext object (Padlock and other web apps)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['json', 'pls'],
  },
  {
    id: 'android-encrypted-prefs',
    name: 'Android EncryptedSharedPreferences (Jetpack Security)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['xml'],
  },
  {
    id: 'encfs-config',
    name: 'EncFS configuration (wrapped volume key)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['xml'],
  },
  {
    id: 'evernote-export-encrypted',
    name: 'Evernote export (ENEX) with encrypted text',
    status: 'encrypted',
    how: 'structure',
    extensions: ['enex'],
  },
  {
    id: 'aegis-vault',
    name: 'Aegis authenticator vault, encrypted',
    status: 'encrypted',
    how: 'structure',
    extensions: ['json'],
  },
  {
    id: 'twofas-backup-encrypted',
    name: '2FAS authenticator backup, encrypted',
    status: 'encrypted',
    how: 'structure',
    extensions: ['2fas', 'json'],
  },
  {
    id: 'ente-auth-export-encrypted',
    name: 'ente Auth export, encrypted',
    status: 'encrypted',
    how: 'structure',
    extensions: ['txt', 'json'],
  },
  {
    id: 'cryptomator-masterkey',
    name: 'Cryptomator vault master key (wrapped)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['cryptomator'],
  },
  {
    id: 'standard-notes-backup',
    name: 'Standard Notes encrypted backup',
    status: 'encrypted',
    how: 'structure',
    extensions: ['txt', 'json'],
  },
  {
    id: 'signal-desktop-config',
    name: 'Signal Desktop config.json (database key wrapped by the OS key store)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['json'],
  },
  {
    id: 'chromium-local-state-dpapi',
    name: 'Chromium/Electron Local State holding the DPAPI-wrapped OSCrypt key',
    status: 'encrypted',
    how: 'structure',
  },
  {
    id: 'virtualbox-encrypted-vm',
    name: 'VirtualBox machine with encrypted disks (.vbox key store)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['vbox', 'vbox-prev'],
  },
  {
    id: 'metamask-vault',
    name: 'MetaMask wallet vault (browser-passworder JSON)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['json'],
  },
  {
    id: 'notesnook-backup-encrypted',
    name: 'Notesnook backup, encrypted',
    status: 'encrypted',
    how: 'structure',
    extensions: ['nnbackup', 'json'],
  },
  {
    id: 'meld-encrypt-note',
    name: 'Obsidian Meld Encrypt note (.mdenc / .encrypted)',
    status: 'encrypted',
    how: 'structure',
    extensions: ['mdenc', 'encrypted'],
  },
  {
    id: 'json-password-vault',
    name: 'JSON vault or key file (a secret wrapped under a password)',
    status: 'encrypted',
    how: 'structure',
  },
  {
    id: 'metamask-mobile-vault',
    name: 'MetaMask Mobile wallet vault',
    status: 'encrypted',
    how: 'structure',
    extensions: ['json'],
  },
] as const;

const password = (description: string, lookFor?: string[]): KeyHint =>
  lookFor
    ? { description, kind: 'password', present: 'unknown', lookFor }
    : { description, kind: 'password', present: 'unknown' };

const has = (text: string, key: string) => new RegExp(`["']${key}["']\\s*:`).test(text);
const field = (text: string, key: string) => new RegExp(`["']${key}["']\\s*:\\s*["']?([^"',}\\s]*)`).exec(text)?.[1];

/**
 * An Evernote export (ENEX) whose notes hold encrypted text: ENML's <en-crypt> element, base64 of "ENC0", two
 * PBKDF2 salts, an IV, AES-128-CBC ciphertext and an HMAC (cipher="AES" length="128", since 2014), or RC2 with a
 * 64-bit key before that. The rest of each note is readable: partial. The element's hint attribute is the hint
 * the user gave for the passphrase (Evernote's ENML DTD; "Decoding the Evernote en-crypt field payload").
 */
function evernoteEncrypted(t: string): Vault | undefined {
  if (!/<en-export\b/.test(t.slice(0, 1024))) return undefined;
  // The body class excludes '<', so each match ends at the next tag: linear in the text.
  const blocks = [...t.matchAll(/<en-crypt\b([^<>]*)>([A-Za-z0-9+/=\s]{24,})<\/en-crypt>/g)];
  if (blocks.length === 0) return undefined;
  const attribute = (attrs: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
  const [attrs, body] = [blocks[0]![1]!, blocks[0]![2]!.replace(/\s+/g, '')];
  const aes = Buffer.from(body, 'base64').subarray(0, 4).toString('latin1') === 'ENC0';
  const cipher = aes ? 'AES-128-CBC' : (attribute(attrs, 'cipher') ?? 'RC2');
  const hints = [...new Set(blocks.map((b) => attribute(b[1]!, 'hint')).filter((h): h is string => !!h))];
  return {
    id: 'evernote-export-encrypted',
    name: 'Evernote export (ENEX) with encrypted text',
    code: 'ENEX_EN_CRYPT',
    message: `Evernote export (<en-export>) with ${blocks.length} encrypted block${blocks.length > 1 ? 's' : ''} (<en-crypt>, ${aes ? '"ENC0": PBKDF2-HMAC-SHA256 salts, IV, AES-128-CBC ciphertext and HMAC' : `cipher ${cipher}`}) in the first bytes read: that text needs the passphrase; the rest of the notes is readable.`,
    figures: { encryptedBlocks: blocks.length, cipher },
    scheme: aes ? 'evernote-aes-128-cbc' : 'evernote-rc2-64',
    scope: 'partial',
    keyHint: password(
      `The passphrase chosen when the text was encrypted in Evernote${hints.length ? ` (its hint: ${hints.map((h) => `"${h}"`).join(', ')})` : ''}.`,
    ),
  };
}

function find(text: string): Vault | undefined {
  const t = text.trimStart();
  if (/^QklFM[QRST]/.test(t)) {
    // base64 of "BIE1" (the sixth character also carries the next byte's top bits)
    return {
      id: 'electrum-wallet-encrypted',
      name: 'Electrum wallet, password-protected',
      code: 'ELECTRUM_BIE1',
      message:
        'Base64 text that decodes to "BIE1": an Electrum wallet file encrypted as a whole (ECIES, key from the wallet password).',
      scheme: 'electrum-bie1',
      keyHint: password('The Electrum wallet password.'),
    };
  }
  if (t.startsWith('<')) {
    const evernote = evernoteEncrypted(t);
    if (evernote) return evernote;
    if (
      /<encodedKeyData>/.test(t) &&
      /<saltData>|<kdfIterations>/.test(t) &&
      /<cipherAlg>|boost_serialization/.test(t)
    ) {
      const iterations = /<kdfIterations>(\d+)</.exec(t)?.[1] ?? '?';
      return {
        id: 'encfs-config',
        name: 'EncFS configuration (wrapped volume key)',
        code: 'ENCFS_ENCODED_KEY',
        message: `EncFS configuration with encodedKeyData and a PBKDF2 salt (${iterations} iterations): the volume key is wrapped with the password; every file of the volume needs it.`,
        figures: { kdfIterations: iterations },
        scheme: 'encfs',
        keyHint: password('The EncFS volume password.'),
      };
    }
    // Jetpack Security's EncryptedSharedPreferences: the library's two Tink keysets (hex) in a <map>.
    const keyset = (which: string) =>
      new RegExp(
        `<string name="__androidx_security_crypto_encrypted_prefs_${which}_keyset__">[0-9a-f]{40,}</string>`,
      ).test(t);
    if (/<map\b/.test(t) && keyset('key') && keyset('value')) {
      const entries = (t.match(/<string name="[A-Za-z0-9+/=]{16,}">[A-Za-z0-9+/=]{16,}<\/string>/g) ?? []).length;
      return {
        id: 'android-encrypted-prefs',
        name: 'Android EncryptedSharedPreferences (Jetpack Security)',
        code: 'ANDROID_ENCRYPTED_PREFS',
        message: `Android shared preferences written by EncryptedSharedPreferences: the key and value Tink keysets (wrapped by an Android Keystore key) and ${entries} entr${entries === 1 ? 'y' : 'ies'} whose names (AES-256-SIV) and values (AES-256-GCM) are base64 ciphertext.`,
        figures: { entries },
        scheme: 'androidx-encrypted-prefs-aes256-siv-gcm',
        keyHint: {
          description:
            "The app's master key in the Android Keystore (alias _androidx_security_master_key_ by default), held by the device's keystore or secure hardware: it is not in a file dump; the keysets here are wrapped by it.",
          kind: 'hardware',
          present: 'no',
        },
      };
    }
    const store = /name="CRYPT\/KeyStore"\s+value="([A-Za-z0-9+/=]{40,})"/.exec(t);
    if (store && /<VirtualBox\b/.test(t)) {
      const keyId = /name="CRYPT\/KeyId"\s+value="([^"]{1,100})"/.exec(t)?.[1] ?? '';
      return {
        id: 'virtualbox-encrypted-vm',
        name: 'VirtualBox machine with encrypted disks (.vbox key store)',
        code: 'VIRTUALBOX_CRYPT_KEYSTORE',
        message: `VirtualBox machine settings with a CRYPT/KeyStore property${keyId ? ` (key id "${keyId}")` : ''}: the disk images are AES-XTS encrypted with a key wrapped by the password (PBKDF2); the settings themselves are readable.`,
        figures: { keyId },
        scope: 'partial',
        scheme: 'virtualbox-aes-xts',
        keyHint: password('The VirtualBox disk encryption password.'),
      };
    }
    return undefined;
  }
  if (!t.startsWith('{')) return undefined;
  if (
    has(t, 'header') &&
    has(t, 'slots') &&
    has(t, 'db') &&
    /["']db["']\s*:\s*["'][A-Za-z0-9+/=]{24,}/.test(t) &&
    /["']slots["']\s*:\s*\[/.test(t)
  ) {
    return {
      id: 'aegis-vault',
      name: 'Aegis authenticator vault, encrypted',
      code: 'AEGIS_ENCRYPTED_DB',
      message:
        'Aegis vault whose "db" is a base64 string (AES-256-GCM) and whose header lists key slots: the 2FA secrets need the vault password (scrypt) or a biometric slot.',
      scheme: 'aegis-aes-256-gcm',
      keyHint: password('The Aegis vault password.'),
    };
  }
  const authenticator = authenticatorBackup(t);
  if (authenticator) return authenticator;
  if (has(t, 'scryptSalt') && has(t, 'primaryMasterKey') && has(t, 'hmacMasterKey')) {
    return {
      id: 'cryptomator-masterkey',
      name: 'Cryptomator vault master key (wrapped)',
      code: 'CRYPTOMATOR_MASTERKEY',
      message: `Cryptomator masterkey file (vault version ${field(t, 'version') ?? '?'}, scrypt N=${field(t, 'scryptCostParam') ?? '?'}): the vault's master keys are AES-wrapped with the password; every file of the vault needs them.`,
      figures: { version: field(t, 'version') ?? '' },
      scheme: 'cryptomator-scrypt-aes-keywrap',
      keyHint: password('The Cryptomator vault password (or the recovery key).'),
    };
  }
  if (has(t, 'items') && has(t, 'enc_item_key') && /["']content["']\s*:\s*["']00[234]:/.test(t)) {
    return {
      id: 'standard-notes-backup',
      name: 'Standard Notes encrypted backup',
      code: 'STANDARD_NOTES_ENCRYPTED_ITEMS',
      message: `Standard Notes backup whose items carry "00x:" encrypted content and item keys (protocol ${/["']content["']\s*:\s*["'](00[234]):/.exec(t)?.[1] ?? '?'}): the notes need the account password.`,
      scheme: 'standard-notes',
      keyHint: password('The Standard Notes account (or backup) password.'),
    };
  }
  const notesnook = notesnookBackup(t);
  if (notesnook) return notesnook;
  const meld = meldEncryptNote(t);
  if (meld) return meld;
  const wrapped = /["']encryptedKey["']\s*:\s*["']76313([01])((?:[0-9a-f]{2}){28,})["']/.exec(t);
  if (wrapped) {
    const prefix = `v1${wrapped[1]}`;
    return {
      id: 'signal-desktop-config',
      name: 'Signal Desktop config.json (database key wrapped by the OS key store)',
      code: 'ELECTRON_SAFESTORAGE_KEY',
      message: `"encryptedKey" holds ${wrapped[2]!.length / 2} bytes prefixed "${prefix}": Electron safeStorage (Chromium os_crypt) ciphertext of the app's database (SQLCipher) key, wrapped by the operating system's key store.`,
      figures: { prefix, bytes: wrapped[2]!.length / 2 },
      scheme: `electron-safestorage-${prefix}`,
      keyHint: {
        description:
          'The OS key store that wrapped it: on Windows the DPAPI-protected key in the app\'s "Local State" (os_crypt.encrypted_key) and the user\'s Windows password; on macOS the keychain item "Signal Safe Storage"; on Linux the desktop keyring (a "v10" key on Linux uses a built-in password).',
        kind: 'keystore',
        present: 'unknown',
        lookFor: ['**/Signal/Local State'],
      },
    };
  }
  const localState = chromiumLocalState(t);
  if (localState) return localState;
  if (has(t, 'EncryptedKey') && has(t, 'ScryptObject')) {
    const version = field(t, 'Version') ?? '?';
    return {
      id: 'gocryptfs-conf',
      name: 'gocryptfs configuration (wrapped master key)',
      code: 'GOCRYPTFS_CONF',
      message: `gocryptfs.conf (config version ${version}): "EncryptedKey" is the file system's master key wrapped with a scrypt-derived key; every file of the volume needs it.`,
      figures: { version },
      scheme: 'gocryptfs-scrypt',
      keyHint: password('The gocryptfs password.'),
    };
  }
  if (
    has(t, 'kdf') &&
    has(t, 'salt') &&
    has(t, 'data') &&
    /["']kdf["']\s*:\s*["']scrypt["']/.test(t) &&
    (has(t, 'hostname') || has(t, 'N'))
  ) {
    return {
      id: 'restic-key',
      name: 'restic repository key file',
      code: 'RESTIC_KEY_FILE',
      message: `restic key file: "data" holds the repository master key encrypted with a scrypt-derived key (N=${field(t, 'N') ?? '?'}); every pack of the repository needs it.`,
      figures: { N: field(t, 'N') ?? '' },
      scheme: 'restic-scrypt-aes256-poly1305',
      keyHint: password('A restic repository password (any key file of the repository).', ['**/keys/*']),
    };
  }
  if ((has(t, 'crypto') || has(t, 'Crypto')) && has(t, 'ciphertext') && has(t, 'kdf') && has(t, 'mac')) {
    const kdf = field(t, 'kdf') ?? '?';
    return {
      id: 'ethereum-keystore',
      name: 'Ethereum keystore (encrypted private key)',
      code: 'ETHEREUM_KEYSTORE_V3',
      message: `Web3 secret-storage keystore: "crypto" holds the private key as ciphertext (${field(t, 'cipher') ?? 'aes-128-ctr'}, KDF ${kdf}) with a MAC.`,
      figures: { kdf, cipher: field(t, 'cipher') ?? '' },
      scheme: `ethereum-keystore-${kdf}`,
      keyHint: password('The keystore (wallet) password.'),
    };
  }
  if (has(t, 'encseed') && has(t, 'ethaddr')) {
    return {
      id: 'ethereum-keystore',
      name: 'Ethereum keystore (encrypted private key)',
      code: 'ETHEREUM_PRESALE_WALLET',
      message: 'Ethereum pre-sale wallet: "encseed" is the seed encrypted with a PBKDF2-derived key.',
      scheme: 'ethereum-presale',
      keyHint: password('The pre-sale wallet password.'),
    };
  }
  if (has(t, 'seed_version') && /["']use_encryption["']\s*:\s*(true|True)/.test(t)) {
    return {
      id: 'electrum-wallet-encrypted',
      name: 'Electrum wallet, password-protected',
      code: 'ELECTRUM_USE_ENCRYPTION',
      message: `Electrum wallet (seed_version ${field(t, 'seed_version') ?? '?'}) with "use_encryption": true: the seed and private keys are encrypted with the wallet password; addresses and labels are readable.`,
      figures: { seedVersion: field(t, 'seed_version') ?? '' },
      scope: 'partial',
      scheme: 'electrum-aes-cbc',
      keyHint: password('The Electrum wallet password.'),
    };
  }
  if (
    has(t, 'payload') &&
    (has(t, 'pbkdf2_iterations') || has(t, 'version')) &&
    /["']payload["']\s*:\s*["'][A-Za-z0-9+/=]{64,}/.test(t)
  ) {
    return {
      id: 'blockchain-wallet',
      name: 'Blockchain.com wallet (encrypted payload)',
      code: 'BLOCKCHAIN_WALLET_PAYLOAD',
      message: `Blockchain.com wallet: "payload" is the wallet encrypted with AES-256 and a PBKDF2 key (${field(t, 'pbkdf2_iterations') ?? '?'} iterations).`,
      figures: { iterations: field(t, 'pbkdf2_iterations') ?? '' },
      scheme: 'blockchain-aes-256',
      keyHint: password('The wallet password.'),
    };
  }
  if (has(t, 'list') && has(t, 'validation') && /["']data["']\s*:\s*["']U2FsdGVkX1/.test(t)) {
    return {
      id: 'agilekeychain-keys',
      name: '1Password Agile Keychain encryption keys',
      code: 'AGILE_KEYCHAIN_KEYS',
      message:
        '1Password Agile Keychain encryptionKeys.js: each key in "list" is OpenSSL-salted ciphertext ("Salted__") encrypted with the master password (PBKDF2), with a validation blob.',
      scheme: 'agilekeychain-aes-128',
      keyHint: password('The 1Password master password.'),
    };
  }
  if (
    (has(t, 'encKey') || has(t, 'encPrivateKey') || has(t, 'masterKeyEncryptedUserKey')) &&
    /["'](2|0)\.[A-Za-z0-9+/=]{16,}\|[A-Za-z0-9+/=]{16,}/.test(t)
  ) {
    return {
      id: 'bitwarden-data-json',
      name: 'Bitwarden desktop vault cache (data.json)',
      code: 'BITWARDEN_ENC_KEY',
      message:
        'Bitwarden data.json with an encrypted user key ("2.iv|data|mac" EncString): the cached vault items need the key derived from the master password.',
      scope: 'partial',
      scheme: 'bitwarden-encstring',
      keyHint: password('The Bitwarden master password (with the account e-mail as salt).'),
    };
  }
  if (
    has(t, 'ct') &&
    has(t, 'iv') &&
    has(t, 'salt') &&
    (has(t, 'iter') || has(t, 'cipher')) &&
    /["']ct["']\s*:\s*["'][A-Za-z0-9+/=]{16,}/.test(t)
  ) {
    return {
      id: 'sjcl-ciphertext',
      name: 'SJCL ciphertext object (Padlock and other web apps)',
      code: 'SJCL_CIPHERTEXT',
      message: `SJCL-style ciphertext object (cipher ${field(t, 'cipher') ?? 'aes'}, mode ${field(t, 'mode') ?? '?'}, ${field(t, 'iter') ?? '?'} PBKDF2 iterations): "ct" is the encrypted data.`,
      figures: { mode: field(t, 'mode') ?? '', iterations: field(t, 'iter') ?? '' },
      scheme: `sjcl-aes-${field(t, 'mode') ?? 'ccm'}`,
      keyHint: password('The password the app derived its key from.'),
    };
  }
  return metamask(t);
}

const B64 = '[A-Za-z0-9+/]';
/**
 * MetaMask vaults. The extension's (written by @metamask/browser-passworder,
 * also used by its forks) is {data, iv, salt[, keyMetadata]}: AES-256-GCM
 * under PBKDF2-SHA256 of the password, iv 16 bytes and salt 32 bytes in
 * base64. The mobile app's is {cipher, iv (hex), salt, lib}, alone or as the
 * escaped "vault" string inside its redux-persist state (persist-root),
 * where the rest of the state is readable.
 */
function metamask(t: string): Vault | undefined {
  const keyHint = password('The MetaMask wallet password.');
  if (
    new RegExp(`["']data["']\\s*:\\s*["']${B64}{24,}={0,2}["']`).test(t) &&
    new RegExp(`["']iv["']\\s*:\\s*["']${B64}{22}==["']`).test(t) &&
    new RegExp(`["']salt["']\\s*:\\s*["']${B64}{43}=["']`).test(t)
  ) {
    const iterations = /["']iterations["']\s*:\s*(\d+)/.exec(t)?.[1] ?? '10000';
    return {
      id: 'metamask-vault',
      name: 'MetaMask wallet vault (browser-passworder JSON)',
      code: 'METAMASK_VAULT',
      message: `MetaMask vault: "data" is the keyrings (seed phrase, private keys) encrypted with AES-256-GCM under a key from the password (PBKDF2-SHA256, ${iterations} iterations, 32-byte salt, 16-byte iv).`,
      figures: { iterations: Number(iterations) },
      scheme: 'metamask-pbkdf2-aes-256-gcm',
      keyHint,
    };
  }
  // Quotes may be escaped any number of times: the vault is a JSON string inside the persisted state.
  const q = '\\\\*"';
  const mobile = new RegExp(
    `(${q})cipher${q}:${q}${B64}{24,}={0,2}${q},${q}iv${q}:${q}[0-9a-f]{32}${q},${q}salt${q}:${q}`,
  ).exec(t.replace(/\s/g, ''));
  if (mobile && mobile[1] === '"') {
    return {
      id: 'metamask-mobile-vault',
      name: 'MetaMask Mobile wallet vault',
      code: 'METAMASK_MOBILE_VAULT',
      message:
        'MetaMask Mobile vault: "cipher" is the keyrings encrypted with AES-CBC under a key from the password (PBKDF2), with a hex iv and a salt.',
      scheme: 'metamask-mobile-pbkdf2-aes-cbc',
      keyHint,
    };
  }
  if (mobile && /\\*"vault\\*"\s*:\s*\\*"\{/.test(t)) {
    return {
      id: 'metamask-mobile-vault',
      name: 'MetaMask Mobile wallet vault',
      code: 'METAMASK_MOBILE_STATE_VAULT',
      message:
        'MetaMask Mobile state (redux-persist) holding a "vault" string with "cipher", a hex iv and a salt: the keyrings are encrypted with the password; accounts, networks and settings beside it are readable.',
      scope: 'partial',
      scheme: 'metamask-mobile-pbkdf2-aes-cbc',
      keyHint,
    };
  }
  return undefined;
}

/**
 * Chromium's (and every Electron app's) `Local State` on Windows: os_crypt.encrypted_key is base64 of "DPAPI"
 * and a DPAPI blob wrapping the AES-256 key of every "v10"/"v11" value in the profile (cookies, passwords,
 * cards, safeStorage secrets). Chromium components/os_crypt/sync/os_crypt_win.cc (kDPAPIKeyPrefix); since
 * Chrome 127, app_bound_encrypted_key ("APPB" and a blob wrapped by SYSTEM then the user) keys "v20" values.
 * The blob's header names the master key file, so the hint can point at it. The rest of the file is clear.
 */
function chromiumLocalState(t: string): Vault | undefined {
  if (!/["']os_crypt["']\s*:\s*\{/.test(t)) return undefined;
  const b64 = /["']encrypted_key["']\s*:\s*["'](RFBBUEkBAAAA0Iyd3wEV0RGMegDAT8KX6[A-Za-z0-9+/]{40,}={0,2})["']/.exec(
    t,
  )?.[1];
  if (!b64) return undefined;
  const blob = dpapiBlobFields(Buffer.from(b64, 'base64').subarray(5));
  if (!blob) return undefined;
  const appBound = /["']app_bound_encrypted_key["']\s*:\s*["']QVBQQ/.test(t);
  return {
    id: 'chromium-local-state-dpapi',
    name: 'Chromium/Electron Local State holding the DPAPI-wrapped OSCrypt key',
    code: 'CHROMIUM_OSCRYPT_DPAPI_KEY',
    message:
      `Local State whose os_crypt.encrypted_key is "DPAPI" and a DPAPI blob (master key ${blob.masterKey}, cipher ${blob.cipher}): ` +
      `the AES key of the profile's "v10" cookies, passwords and card numbers (and an Electron app's safeStorage secrets), wrapped for the Windows user` +
      `${appBound ? '; an app_bound_encrypted_key ("APPB") wraps the key of "v20" values for SYSTEM and the user' : ''}. The rest of the file is readable settings.`,
    figures: { masterKey: blob.masterKey, cipher: blob.cipher, appBound },
    scope: 'partial',
    scheme: appBound ? 'chromium-os-crypt-dpapi-app-bound' : 'chromium-os-crypt-dpapi',
    keyHint: {
      description:
        `The DPAPI master key ${blob.masterKey} (under AppData/Roaming/Microsoft/Protect/<SID>/) and the user's Windows password` +
        `${appBound ? '; "v20" values also need the SYSTEM DPAPI keys (Windows/System32/Microsoft/Protect/S-1-5-18/) and the elevation service' : ''}.`,
      kind: 'key-file',
      present: 'unknown',
      lookFor: [`**/Protect/S-1-*/${blob.masterKey}`],
    },
  };
}

/** A password-wrapped secret in JSON that no rule above names (password-vault-json.ts). */
function unnamedVault(text: string): Vault | undefined {
  const v = passwordVaultJson(text);
  if (!v) return undefined;
  return {
    id: 'json-password-vault',
    name: 'JSON vault or key file (a secret wrapped under a password)',
    // It rests on the same whole-document parse as the text detector's "JSON" (0.95) and reads the fields
    // beside it; at 0.85 it lost to that generic reading and a securefs config stayed "JSON". Level, the tie
    // goes to this more specific detector.
    confidence: 0.95,
    code: 'JSON_PASSWORD_WRAPPED_SECRET',
    message: `JSON naming a password key derivation (${v.kdf}) with one salt, and "${v.secretField}" holding ${v.secretBytes} random-looking bytes: a secret wrapped with a key derived from a password. No rule names the program that wrote it.`,
    figures: { kdf: v.kdf, secretField: v.secretField, secretBytes: v.secretBytes },
    scheme: 'password-wrapped-json',
    keyHint: password('The password of the vault or key file (the program that wrote it is not named).'),
  };
}

/** A detection for text that is one of the vaults above, else undefined. */
export function jsonVault(text: string): Detection | undefined {
  const v = find(text.slice(0, 65536)) ?? unnamedVault(text);
  if (!v) return undefined;
  return locked({
    id: v.id,
    name: v.name,
    confidence: v.confidence ?? 0.96,
    code: v.code,
    message: v.message,
    scheme: v.scheme,
    keyHint: v.keyHint,
    ...(v.scope ? { scope: v.scope } : {}),
    ...(v.figures ? { figures: v.figures } : {}),
  });
}

/** A base64 part of a 2FAS "ciphertext:salt:iv" value, as bytes (0 when it is not base64). */
const b64Bytes = (part: string) => (/^[A-Za-z0-9+/]+={0,2}$/.test(part) ? Math.floor((part.length * 3) / 4) : 0);

/**
 * Encrypted backups of authenticator apps, whose clear counterparts (the same
 * app's unencrypted export, an Aegis plain vault) hold the TOTP secrets in
 * clear and stay readable text.
 */
function authenticatorBackup(t: string): Vault | undefined {
  // 2FAS: "servicesEncrypted" is AES-GCM ciphertext, a 256-byte PBKDF2 salt and a 12-byte IV, base64, colon-separated.
  const twofas =
    /["']servicesEncrypted["']\s*:\s*["']([A-Za-z0-9+/=]{24,}):([A-Za-z0-9+/=]{40,}):([A-Za-z0-9+/=]{16})["']/.exec(t);
  if (twofas && has(t, 'schemaVersion') && b64Bytes(twofas[3]!) >= 12) {
    const schema = field(t, 'schemaVersion') ?? '?';
    return {
      id: 'twofas-backup-encrypted',
      name: '2FAS authenticator backup, encrypted',
      code: 'TWOFAS_SERVICES_ENCRYPTED',
      message: `2FAS backup (schema ${schema}) whose "servicesEncrypted" is AES-256-GCM ciphertext with a ${b64Bytes(twofas[2]!)}-byte salt and an IV: the 2FA secrets need the backup password (PBKDF2-HMAC-SHA256); the app's own data (Android Keystore) is not needed.`,
      figures: { schemaVersion: schema },
      scheme: 'twofas-pbkdf2-aes-256-gcm',
      keyHint: password('The 2FAS backup password chosen when the backup was made.'),
    };
  }
  // ente Auth: libsodium Argon2id parameters and a secretstream ciphertext with its nonce.
  if (
    has(t, 'kdfParams') &&
    has(t, 'memLimit') &&
    has(t, 'opsLimit') &&
    has(t, 'salt') &&
    has(t, 'encryptionNonce') &&
    /["']encryptedData["']\s*:\s*["'][A-Za-z0-9+/=]{24,}["']/.test(t)
  ) {
    const version = field(t, 'version') ?? '?';
    return {
      id: 'ente-auth-export-encrypted',
      name: 'ente Auth export, encrypted',
      code: 'ENTE_AUTH_ENCRYPTED_EXPORT',
      message: `ente Auth encrypted export (version ${version}, Argon2id opsLimit ${field(t, 'opsLimit') ?? '?'}): "encryptedData" is XChaCha20-Poly1305 ciphertext of the otpauth:// codes; the secrets need the export password.`,
      figures: { version },
      scheme: 'ente-argon2id-xchacha20-poly1305',
      keyHint: password('The password chosen for the ente Auth export.'),
    };
  }
  return undefined;
}

/**
 * Obsidian's Meld Encrypt plugin writes a whole encrypted note as JSON with exactly "version", "hint" and
 * "encodedData" (meld-cp/obsidian-encrypt FileDataHelper): version 2.0 is base64 of a 16-byte IV, a 16-byte salt
 * and AES-256-GCM ciphertext with a PBKDF2-SHA512 key (210,000 iterations); 1.0 used a 12-byte IV. The hint is
 * the user's own reminder of the password, in clear.
 */
function meldEncryptNote(t: string): Vault | undefined {
  const m =
    /^\{\s*"version"\s*:\s*"(\d\.\d)"\s*,\s*"hint"\s*:\s*"((?:[^"\\]|\\.){0,400})"\s*,\s*"encodedData"\s*:\s*"([A-Za-z0-9+/]{44,}={0,2})("|$)/.exec(
      t,
    );
  if (!m) return undefined;
  const version = m[1]!;
  const bytes = b64Bytes(m[3]!);
  if (bytes < 16 + 16 + 16) return undefined;
  const hint = m[2]!;
  return {
    id: 'meld-encrypt-note',
    name: 'Obsidian Meld Encrypt note (.mdenc / .encrypted)',
    code: 'MELD_ENCRYPT_NOTE',
    message: `Obsidian Meld Encrypt note, format ${version}: "encodedData" is ${bytes} bytes of IV, salt and AES-256-GCM ciphertext (PBKDF2-SHA512 key)${hint ? `; the password hint is "${hint.slice(0, 80)}"` : ''}.`,
    figures: { version, bytes },
    scheme: `meld-encrypt-${version}-pbkdf2-aes-256-gcm`,
    keyHint: password(`The note's password${hint ? ` (hint: "${hint.slice(0, 80)}")` : ''}.`),
  };
}

/**
 * A Notesnook backup part (streetwriters/notesnook packages/core/src/database/backup.ts): JSON with "version",
 * "type" (web, mobile, node), "date" and "data"; encrypted backups (`"encrypted": true`, or before 5.9 a "data"
 * that is a cipher object) hold in "data" the @notesnook/crypto cipher: "alg", "cipher", "iv", "salt", "length"
 * (XChaCha20-Poly1305 with an Argon2 key from the account password and that salt).
 */
function notesnookBackup(t: string): Vault | undefined {
  const head = t.slice(0, 4096);
  if (!/"type"\s*:\s*"(?:web|mobile|node)"/.test(head) || !has(head, 'version') || !has(head, 'date')) return undefined;
  if (!/"data"\s*:\s*\{/.test(t) || /"encrypted"\s*:\s*false/.test(t)) return undefined;
  if (!has(t, 'cipher') || !has(t, 'iv') || !has(t, 'salt')) return undefined;
  const cipher = /"cipher"\s*:\s*"([A-Za-z0-9+/_=-]{24,})/.exec(t);
  if (!cipher) return undefined;
  const alg = field(t, 'alg') ?? 'unknown';
  const version = field(head, 'version') ?? '?';
  return {
    id: 'notesnook-backup-encrypted',
    name: 'Notesnook backup, encrypted',
    code: 'NOTESNOOK_ENCRYPTED_BACKUP',
    message: `Notesnook backup (database version ${version}) whose "data" is a cipher object (alg "${alg}", iv, salt): the notes, notebooks and attachments list are XChaCha20-Poly1305 ciphertext with a key derived from the account password.`,
    figures: { version, alg },
    scheme: `notesnook-${alg}`,
    keyHint: password('The Notesnook account password (the backup key is derived from it and the salt in the file).'),
  };
}
