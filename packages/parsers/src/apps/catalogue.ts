/**
 * The app catalogue: the mobile apps analysts meet most, as data. Each entry
 * names the app's Android package names and iOS bundle ids (app-group and
 * extension ids included), its category, where its key artifacts live
 * (relative to the app's data folder or container) and what is known about
 * encryption at rest and where the keys live.
 *
 * Sources consulted (read, summarised in our own words): the artifact modules
 * of ALEAPP (github.com/abrignoni/ALEAPP, `scripts/artifacts/`), iLEAPP
 * (github.com/abrignoni/iLEAPP), MVT (github.com/mvt-project/mvt, iOS
 * `modules/`), vendors' published security white papers and the forensic
 * literature. Notes say "reported" where the behaviour varies by version.
 *
 * Paths: Android paths are relative to `data/data/<package>/` unless they
 * start with `sdcard/` (shared storage); iOS paths are relative to the app's
 * data container (or, for `group:`-prefixed paths, its app-group container;
 * for system apps, to `private/var/mobile/`). Desktop paths are relative to
 * the app's data folder on a computer, named in `desktop`: under Windows
 * `AppData/Roaming` or `AppData/Local`, macOS `Library/Application Support`,
 * Linux `~/.config` (desktop facts: the apps' own documentation and source,
 * Chromium's os_crypt, and the forensic literature on each app).
 */
import type { AppCatalogueEntry } from '@evtriage/core/contract';

/** A field of a readable database that the app encrypts itself (flags the item `encryption.scope: "partial"`). */
export interface EncryptedFields {
  /** Artifact id the fields belong to (as parsers report it, e.g. `kakaotalk:chat-logs`). */
  artifact: string;
  /** `table.column` names. */
  fields: readonly string[];
  /** Short scheme id for `encryption.scheme`. */
  scheme: string;
}

/** A catalogue entry with the platform of each artifact and field-level encryption facts. */
export interface CatalogueApp extends AppCatalogueEntry {
  /** The app's data folder names on computers (Windows AppData, macOS Application Support, Linux ~/.config). */
  desktop?: readonly string[];
  artifacts: ReadonlyArray<{ path: string; what: string; platform: 'android' | 'ios' | 'desktop' }>;
  encryptionAtRest: string;
  encryptedFields?: readonly EncryptedFields[];
  /**
   * Extensions the app gives the files it encrypts whole, each with the type it stands for: random bytes under
   * one of them are that app's ciphertext (the statistics read them as catalogue context).
   */
  encryptedExtensions?: Readonly<Record<string, string>>;
}

const a = (path: string, what: string) => ({ path, what, platform: 'android' as const });
const i = (path: string, what: string) => ({ path, what, platform: 'ios' as const });
const d = (path: string, what: string) => ({ path, what, platform: 'desktop' as const });

/**
 * The built-in catalogue, sorted by id.
 *
 * @example
 * const whatsapp = appCatalogue.find((e) => e.id === 'whatsapp');
 * whatsapp?.android; // ['com.whatsapp']
 */
export const appCatalogue: readonly CatalogueApp[] = [
  {
    id: 'aegis',
    name: 'Aegis Authenticator',
    category: 'security',
    android: ['com.beemdevelopment.aegis'],
    artifacts: [
      a('files/aegis.json', 'the vault: TOTP/HOTP entries (issuer, account, secret)'),
      a('sdcard/Aegis/', 'automatic backups (aegis-backup-*.json) and exports (aegis-export-*.json)'),
    ],
    encryptionAtRest:
      'The vault JSON is readable; when encryption is on (the default), "db" is AES-256-GCM ciphertext under a master key wrapped by key slots (password: scrypt; biometric: an Android Keystore key). With encryption turned off, "db" is a JSON object and the 2FA secrets are in clear.',
    keyHint: {
      description: 'The Aegis vault password (the biometric slot needs the Android Keystore key, not in a file dump)',
      kind: 'password',
      present: 'unknown',
    },
  },
  {
    id: 'andotp',
    name: 'andOTP',
    category: 'security',
    android: ['org.shadowice.flocke.andotp'],
    artifacts: [
      a('files/otp_accounts.json', 'the accounts (binary: IV and AES-GCM ciphertext, despite the name)'),
      a(
        'sdcard/andOTP/',
        'backups: otp_accounts_*.json (plain JSON, secrets in clear), *.json.aes (password), *.json.gpg (OpenPGP)',
      ),
    ],
    encryptionAtRest:
      'files/otp_accounts.json is AES-256-GCM encrypted with a key held in the Android Keystore (or, in password/PIN mode, derived with PBKDF2 from it). Password backups (.json.aes) hold a 4-byte PBKDF2 iteration count, a 12-byte salt and a 12-byte IV before the AES-GCM ciphertext; plain .json backups list the secrets in clear.',
    keyHint: {
      description:
        'The Android Keystore key (device-bound) or the andOTP password/PIN; for .json.aes backups the backup password',
      kind: 'keystore',
      present: 'no',
    },
  },
  {
    id: 'android-calendar',
    name: 'Calendar storage (Android)',
    category: 'productivity',
    android: ['com.android.providers.calendar', 'com.samsung.android.providers.calendar'],
    artifacts: [a('databases/calendar.db', 'events, calendars, reminders')],
    encryptionAtRest: 'Plain SQLite.',
  },
  {
    id: 'android-system',
    name: 'Android system',
    category: 'system',
    android: ['android'],
    artifacts: [
      a(
        '../../system/packages.xml',
        'installed packages, permissions and install times (plain XML before Android 12, binary XML "ABX" after)',
      ),
      a('../../system_ce/0/accounts_ce.db', 'accounts on the device'),
      a('../../system/usagestats/', 'app usage statistics'),
    ],
    encryptionAtRest:
      'Files sit under file-based encryption (credential-encrypted and device-encrypted storage); a logical or full file-system extraction of an unlocked device yields them in plain form.',
  },
  {
    id: 'apple-calendar',
    name: 'Calendar (iOS)',
    category: 'productivity',
    ios: ['com.apple.mobilecal'],
    artifacts: [i('Library/Calendar/Calendar.sqlitedb', 'events, calendars, attendees')],
    encryptionAtRest:
      'Plain SQLite under iOS Data Protection; readable in a full file-system extraction and in backups.',
  },
  {
    id: 'apple-health',
    name: 'Health (iOS)',
    category: 'other',
    ios: ['com.apple.Health'],
    artifacts: [
      i('Library/Health/healthdb_secure.sqlite', 'health samples (steps, heart rate, workouts)'),
      i('Library/Health/healthdb.sqlite', 'sources and devices'),
    ],
    encryptionAtRest:
      'Plain SQLite protected by Data Protection class A (available only while unlocked); in backups only when the backup is encrypted.',
  },
  {
    id: 'apple-mail',
    name: 'Mail (iOS)',
    category: 'email',
    ios: ['com.apple.mobilemail'],
    artifacts: [
      i('Library/Mail/Envelope Index', 'message index: senders, subjects, dates, mailboxes'),
      i('Library/Mail/', 'message bodies (.emlx) and attachments'),
    ],
    encryptionAtRest: 'Plain SQLite and .emlx files under Data Protection; not in iTunes backups.',
  },
  {
    id: 'apple-maps',
    name: 'Maps (iOS)',
    category: 'maps',
    ios: ['com.apple.Maps'],
    artifacts: [
      i('Library/Maps/GeoHistory.mapsdata', 'searches and routes (protobuf)'),
      i('Library/Maps/MapsSync_0.0.1', 'synced history (Core Data SQLite)'),
    ],
    encryptionAtRest: 'Plain files under Data Protection.',
  },
  {
    id: 'apple-notes',
    name: 'Notes (iOS)',
    category: 'productivity',
    ios: ['com.apple.mobilenotes', 'group.com.apple.notes'],
    artifacts: [
      i('group:NoteStore.sqlite', 'notes (gzip-compressed protobuf bodies)'),
      i('Library/Notes/notes.sqlite', 'legacy notes store'),
    ],
    encryptionAtRest:
      'The store is plain SQLite; individual notes may be locked with a password or the device passcode (AES-GCM bodies, key wrapped with a PBKDF2-derived key; the password hint is stored beside it).',
    keyHint: {
      description:
        'The Notes password (iOS 16 and later may use the device passcode instead); its hint is in ZICCLOUDSYNCINGOBJECT.ZPASSWORDHINT',
      kind: 'password',
      present: 'unknown',
    },
    encryptedFields: [
      { artifact: 'ios:notes', fields: ['ZICCLOUDSYNCINGOBJECT.ZCRYPTOWRAPPEDKEY'], scheme: 'apple-notes-locked' },
    ],
  },
  {
    id: 'apple-phone',
    name: 'Phone (iOS)',
    category: 'system',
    ios: ['com.apple.mobilephone'],
    artifacts: [
      i('Library/CallHistoryDB/CallHistory.storedata', 'call history (Core Data SQLite, ZCALLRECORD)'),
      i('Library/Voicemail/voicemail.db', 'voicemail index'),
    ],
    encryptionAtRest:
      'Plain SQLite under Data Protection; the call history is in backups only when they are encrypted.',
  },
  {
    id: 'apple-photos',
    name: 'Photos (iOS)',
    category: 'media',
    ios: ['com.apple.mobileslideshow'],
    artifacts: [
      i('Media/PhotoData/Photos.sqlite', 'the photo library: assets, albums, locations, faces'),
      i('Media/DCIM/', 'camera roll originals'),
    ],
    encryptionAtRest: 'Plain files under Data Protection.',
  },
  {
    id: 'apple-safari',
    name: 'Safari',
    category: 'browser',
    ios: ['com.apple.mobilesafari', 'com.apple.Safari'],
    artifacts: [
      i('Library/Safari/History.db', 'browsing history (history_items, history_visits)'),
      i('Library/Safari/Bookmarks.db', 'bookmarks and reading list'),
      i('Library/Safari/BrowserState.db', 'open tabs'),
    ],
    encryptionAtRest: "Plain SQLite; saved passwords live in the keychain, not in Safari's files.",
  },
  {
    id: 'authy',
    name: 'Twilio Authy',
    category: 'security',
    android: ['com.authy.authy'],
    ios: ['com.authy'],
    artifacts: [
      a(
        'shared_prefs/com.authy.storage.tokens.authenticator.xml',
        'third-party TOTP tokens as a JSON array (name, digits, encryptedSecret, salt)',
      ),
      a('shared_prefs/com.authy.storage.tokens.authy.xml', "Authy's own tokens"),
    ],
    encryptionAtRest:
      "Readable shared preferences. With backups on, each token's seed is kept encrypted with the backup password (PBKDF2 with the stored salt, AES); versions have also been reported to keep a decrypted copy beside it, in which case the secrets are in clear.",
    keyHint: { description: 'The Authy backup password', kind: 'password', present: 'unknown' },
  },
  {
    id: 'bitwarden',
    name: 'Bitwarden',
    category: 'security',
    android: ['com.x8bit.bitwarden'],
    ios: ['com.8bit.bitwarden', 'group.com.8bit.bitwarden'],
    desktop: ['Bitwarden'],
    artifacts: [
      a(
        'databases/vault_database',
        "the native app's vault (Room SQLite): ciphers, folders, collections, sends; cipher_json holds EncStrings",
      ),
      a(
        'shared_prefs/com.x8bit.bitwarden_preferences.xml',
        'account state: e-mail, KDF settings, the user key wrapped by the master key',
      ),
      a('files/', "the older Xamarin app's state and LiteDB vault cache"),
      d('data.json', 'desktop vault cache: account state and encrypted items'),
    ],
    encryptionAtRest:
      'Vault item fields are EncStrings ("2.iv|data|mac": AES-256-CBC with HMAC-SHA256) under the user key; the user key is wrapped by the master key (PBKDF2-SHA256 or Argon2id of the master password, the account e-mail as salt). Ids, folders, dates and KDF settings are readable. PIN and biometric unlock keep a copy of the key wrapped by the Android Keystore or iOS keychain.',
    keyHint: {
      description: 'The Bitwarden master password (with the account e-mail as salt)',
      kind: 'password',
      present: 'unknown',
    },
    encryptedFields: [{ artifact: 'bitwarden:vault', fields: ['ciphers.cipher_json'], scheme: 'bitwarden-encstring' }],
  },
  {
    id: 'box',
    name: 'Box',
    category: 'productivity',
    android: ['com.box.android'],
    ios: ['net.box.BoxNet'],
    desktop: ['Box/Box'],
    artifacts: [
      a('databases/', 'file and folder metadata, offline-file records (SQLite)'),
      d('data/streemsfs.db', "Box Drive's file system metadata: names, ids, sizes, cache state (SQLite)"),
      d('data/sync.db', 'Box Drive sync records (SQLite)'),
      d('cache/', "Box Drive's cached file content, under content ids"),
    ],
    encryptionAtRest:
      "Reported plain: Box Drive (Windows AppData/Local/Box/Box, macOS ~/Library/Application Support/Box/Box) keeps readable SQLite metadata and caches file content as the files themselves, named by id; the mobile app's metadata databases are plain SQLite. Sources: Box Drive forensic write-ups (the data/ and cache/ folders), the app folders themselves.",
  },
  {
    id: 'briar',
    name: 'Briar',
    category: 'messaging',
    android: ['org.briarproject.briar.android'],
    artifacts: [
      a('app_db/db.mv.db', 'messages, contacts and groups (H2 database opened with CIPHER=AES: "H2encrypt" header)'),
      a(
        'app_key/db.key',
        'the database key, encrypted with a key derived from the account password (db.key.bak: its copy)',
      ),
    ],
    encryptionAtRest:
      "The H2 database is encrypted whole (AES under the database key, H2's file encryption); the database key is kept in app_key/db.key encrypted with a key derived from the user's password by scrypt (Briar's AccountManager), so without the password nothing is readable.",
    keyHint: {
      description: 'Briar account password (unlocks app_key/db.key, which holds the database key)',
      kind: 'password',
      present: 'unknown',
      lookFor: ['**/org.briarproject.briar.android/app_key/db.key'],
    },
  },
  {
    id: 'calculator-plus-vault',
    name: 'Calculator+ Photo Vault',
    category: 'security',
    android: ['eztools.calculator.photo.vault'],
    artifacts: [a('files/', 'hidden photos and videos (encrypted)'), a('shared_prefs/', 'settings and the lock')],
    encryptionAtRest:
      'Reported (a public decryption write-up from the decompiled app, github.com/Magpol/decrypt-calculatorPlusApk): hidden pictures are encrypted with a key the app itself holds, so they can be recovered without the PIN. They read as random bytes.',
    keyHint: {
      description: "The app's own key, recovered from the app (the write-up); the PIN only guards the user interface.",
      kind: 'unknown',
      present: 'unknown',
    },
  },
  {
    id: 'chrome',
    name: 'Chrome',
    category: 'browser',
    android: ['com.android.chrome', 'com.chrome.beta', 'com.chrome.dev', 'com.google.android.apps.chrome'],
    ios: ['com.google.chrome.ios'],
    desktop: ['Google/Chrome/User Data', 'Google/Chrome', 'google-chrome'],
    artifacts: [
      a('app_chrome/Default/History', 'history (urls, visits, downloads, keyword searches)'),
      a('app_chrome/Default/Login Data', 'saved logins'),
      a('app_chrome/Default/Cookies', 'cookies'),
      a('app_chrome/Default/Web Data', 'autofill and payment data'),
      i('Library/Application Support/Google/Chrome/Default/History', 'history'),
      d('Local State', 'browser settings; on Windows os_crypt.encrypted_key, the DPAPI-wrapped OSCrypt key'),
      d('Default/Login Data', 'saved logins (passwords OSCrypt-encrypted)'),
      d('Default/Network/Cookies', 'cookies (values OSCrypt-encrypted; Default/Cookies before Chrome 96)'),
      d('Default/Web Data', 'autofill entries (clear), cards, CVCs and IBANs (OSCrypt-encrypted)'),
      d('Default/History', 'history (plain SQLite)'),
    ],
    encryptionAtRest:
      'History and Web Data are plain SQLite. Cookie and password values may be encrypted with a key held by the OS (keystore or keychain); on Android the password manager moved to Google Play services. Desktop builds (and every Chromium-based browser and Electron app) encrypt cookie values, saved passwords, card numbers and sync tokens with OSCrypt: "v10"/"v11" AES (CBC on macOS and Linux, GCM on Windows) under a key from the OS key store, "v20" on Windows with an app-bound key.',
    keyHint: {
      description:
        'The OSCrypt key: on Windows the DPAPI-wrapped key in the profile folder\'s "Local State" (os_crypt.encrypted_key; "v20" values also need the SYSTEM DPAPI key of the elevation service) and the user\'s Windows password; on macOS the keychain item "Chrome Safe Storage" (or the browser\'s own "… Safe Storage"); on Linux the GNOME keyring or KWallet ("v11"), or the built-in password for "v10"; on Android the Android Keystore',
      kind: 'keystore',
      present: 'unknown',
      lookFor: ['**/User Data/Local State'],
    },
    encryptedFields: [
      {
        artifact: 'chromium:login-data',
        fields: ['logins.password_value', 'password_notes.value'],
        scheme: 'chromium-os-crypt',
      },
      { artifact: 'chromium:cookies', fields: ['cookies.encrypted_value'], scheme: 'chromium-os-crypt' },
      {
        artifact: 'chromium:web-data',
        fields: [
          'credit_cards.card_number_encrypted',
          'unmasked_credit_cards.card_number_encrypted',
          'local_stored_cvc.value_encrypted',
          'server_stored_cvc.value_encrypted',
          'local_ibans.value_encrypted',
          'token_service.encrypted_token',
        ],
        scheme: 'chromium-os-crypt',
      },
    ],
  },
  {
    id: 'contacts',
    name: 'Contacts and call log',
    category: 'system',
    android: ['com.android.providers.contacts', 'com.samsung.android.providers.contacts'],
    ios: ['com.apple.MobileAddressBook'],
    artifacts: [
      a('databases/contacts2.db', 'contacts (raw_contacts, data, accounts)'),
      a('databases/calllog.db', 'call log (calls) on Android 7 and later'),
      i('Library/AddressBook/AddressBook.sqlitedb', 'contacts (ABPerson, ABMultiValue)'),
      i('Library/AddressBook/AddressBookImages.sqlitedb', 'contact photos'),
    ],
    encryptionAtRest: 'Plain SQLite under file-based encryption (Android) or Data Protection (iOS).',
  },
  {
    id: 'discord',
    name: 'Discord',
    category: 'messaging',
    android: ['com.discord'],
    ios: ['com.hammerandchisel.discord'],
    desktop: ['discord'],
    artifacts: [
      a('files/kv-storage/', 'cached messages and account data (key-value SQLite)'),
      i('Library/Caches/com.hammerandchisel.discord/Cache.db', 'cached API responses (JSON in a URL cache)'),
      d('Local Storage/leveldb/', 'settings and the account token (LevelDB)'),
      d('Local State', 'on Windows the DPAPI-wrapped Electron safeStorage key'),
    ],
    encryptionAtRest:
      'Caches are plain; messages live on the server and only recent ones are cached. Desktop: an Electron app; its LevelDB is readable, and recent versions keep the account token as Electron safeStorage ciphertext ("dQw4w9WgXcQ:" and base64 of a "v10" blob), keyed like Chromium\'s OSCrypt (Local State on Windows, the keychain or desktop keyring elsewhere).',
  },
  {
    id: 'dji',
    name: 'DJI drone apps (DJI GO, DJI GO 4, DJI Fly)',
    category: 'other',
    android: ['dji.pilot', 'dji.go.v4', 'dji.go.v5'],
    artifacts: [
      a('sdcard/DJI/dji.go.v4/FlightRecord/', 'DJI GO 4 flight records (DJIFlightRecord_<date>_[<time>].txt, binary)'),
      a('sdcard/DJI/dji.pilot/FlightRecord/', 'DJI GO flight records'),
      a('sdcard/Android/data/dji.go.v5/files/FlightRecord/', 'DJI Fly flight records'),
      a('sdcard/DJI/dji.go.v4/CACHE_IMAGE/', 'thumbnails of photos and videos shot in flight'),
    ],
    encryptionAtRest:
      "Flight records are binary despite the .txt name: a prefix, a details area (aircraft name and serial numbers, place, times) and frames of telemetry. Up to version 12 the frames are only XOR-scrambled with a key derived from each frame (opaque, readable by flight-log viewers); from version 13 (Mobile SDK 4.12, DJI Fly) each frame is AES-encrypted with keys that DJI's servers return for the key-chain identifiers in the file.",
    keyHint: {
      description:
        "Version 13+ flight records: the frame keys DJI's flight-record service hands out (asked for with a DJI developer app key); not in the extraction",
      kind: 'unknown',
      present: 'no',
    },
  },
  {
    id: 'dropbox',
    name: 'Dropbox',
    category: 'productivity',
    android: ['com.dropbox.android'],
    ios: ['com.getdropbox.Dropbox'],
    desktop: ['Dropbox', '.dropbox'],
    artifacts: [
      a('databases/', 'file metadata cache'),
      i('Library/Application Support/', 'file metadata cache'),
      d('instance1/config.dbx', 'account and settings (SQLite encrypted with the SQLite Encryption Extension)'),
      d('instance1/filecache.dbx', "the synced files' journal (SEE-encrypted SQLite)"),
    ],
    encryptionAtRest:
      'Mobile: metadata caches are plain SQLite; offline files are stored unencrypted in the app folder. Desktop: the .dbx databases are SQLite encrypted with the SQLite Encryption Extension; the key is derived from a per-user key store (Windows: DPAPI-protected under HKCU\\Software\\Dropbox\\ks in NTUSER.DAT; macOS and Linux: ~/.dropbox/hostkeys), reported by the dbx-keygen research. A random .dbx in a Dropbox folder is named by the dropbox-dbx detector (scheme sqlite-see).',
  },
  {
    id: 'element',
    name: 'Element',
    category: 'messaging',
    android: ['im.vector.app', 'im.vector.riotx'],
    ios: ['im.vector.app'],
    artifacts: [
      a('files/', 'Realm databases (session, crypto store)'),
      i('Library/Application Support/', 'MatrixSDK stores'),
    ],
    encryptionAtRest:
      'Android: the Realm databases are encrypted with a key that is itself wrapped by an Android Keystore key (not in a file extraction). iOS: stores are protected by Data Protection; keys in the keychain.',
    keyHint: {
      description: 'Realm key wrapped by an Android Keystore key (hardware-backed), or the iOS keychain',
      kind: 'keystore',
      present: 'no',
    },
  },
  {
    id: 'enpass',
    name: 'Enpass',
    category: 'security',
    android: ['io.enpass.app'],
    desktop: ['Enpass'],
    artifacts: [a('files/', 'vaults (vault.enpassdb, vault.json) and attachments')],
    encryptionAtRest:
      'vault.enpassdb is SQLCipher (AES-256, key from the master password with PBKDF2-HMAC-SHA512, optionally a key file); vault.json beside it holds readable vault metadata.',
    keyHint: {
      description: 'The Enpass master password (and key file, if one was set)',
      kind: 'password',
      present: 'unknown',
    },
  },
  {
    id: 'facebook',
    name: 'Facebook',
    category: 'social',
    android: ['com.facebook.katana', 'com.facebook.lite'],
    ios: ['com.facebook.Facebook'],
    artifacts: [a('databases/', 'feed, notifications and contacts caches'), i('Library/Caches/', 'feed caches')],
    encryptionAtRest: 'Plain SQLite caches.',
  },
  {
    id: 'firefox',
    name: 'Firefox',
    category: 'browser',
    android: ['org.mozilla.firefox', 'org.mozilla.firefox_beta', 'org.mozilla.fenix', 'org.mozilla.focus'],
    ios: ['org.mozilla.ios.Firefox', 'group.org.mozilla.ios.Firefox'],
    artifacts: [
      a('files/places.sqlite', 'history and bookmarks (moz_places, moz_historyvisits)'),
      a('databases/logins.sqlite', 'saved logins (encrypted fields)'),
      i('group:profile.profile/places.db', 'history and bookmarks'),
      i('group:profile.profile/logins.db', 'saved logins (SQLCipher)'),
    ],
    encryptionAtRest:
      'History is plain SQLite. Saved logins are encrypted: on Android with a key kept in the Android Keystore-protected preferences, on iOS in a SQLCipher database whose key is in the keychain.',
    keyHint: { description: 'logins key in the Android Keystore or the iOS keychain', kind: 'keystore', present: 'no' },
  },
  {
    id: 'garmin-connect',
    name: 'Garmin Connect',
    category: 'other',
    android: ['com.garmin.android.apps.connectmobile'],
    ios: ['com.garmin.connect.mobile'],
    artifacts: [
      a(
        'databases/gcm_cache.db',
        'cached activities, sleep, steps and heart-rate summaries (JSON in SQLite; reported)',
      ),
    ],
    encryptionAtRest:
      'Plain SQLite (reported). Activities synced from the watch are Garmin FIT files, plain (header and file CRCs, no key).',
  },
  {
    id: 'gmail',
    name: 'Gmail',
    category: 'email',
    android: ['com.google.android.gm'],
    ios: ['com.google.Gmail'],
    artifacts: [
      a('databases/bigTopDataDB.*', 'mail cache (protobuf rows)'),
      a('databases/mailstore.*.db', 'mail cache of older versions'),
      i('Library/Application Support/data/', 'mail cache'),
    ],
    encryptionAtRest: 'Plain SQLite; message bodies are often compressed protobuf blobs.',
  },
  {
    id: 'google-authenticator',
    name: 'Google Authenticator',
    category: 'security',
    android: ['com.google.android.apps.authenticator2'],
    ios: ['com.google.Authenticator'],
    artifacts: [
      a('databases/databases', 'accounts: name, issuer, type, counter and the shared secret (base32, in clear)'),
      i('Library/Preferences/com.google.Authenticator.plist', 'account order; the secrets are in the iOS keychain'),
    ],
    encryptionAtRest:
      'Android: plain SQLite; the 2FA shared secrets are in clear in accounts.secret, so anyone with the file can generate the codes. iOS: the secrets are keychain items.',
  },
  {
    id: 'google-chat',
    name: 'Google Chat',
    category: 'messaging',
    android: ['com.google.android.apps.dynamite'],
    ios: ['com.google.Dynamite'],
    artifacts: [a('databases/dynamite.db', 'spaces, topics and messages')],
    encryptionAtRest: 'Plain SQLite.',
  },
  {
    id: 'google-drive',
    name: 'Google Drive',
    category: 'productivity',
    android: ['com.google.android.apps.docs'],
    ios: ['com.google.Drive'],
    artifacts: [a('app_cello/', 'file metadata (cello databases)'), i('Library/Application Support/', 'file metadata')],
    encryptionAtRest: 'Plain metadata databases; offline files cached in the app folder.',
  },
  {
    id: 'google-keep',
    name: 'Google Keep',
    category: 'productivity',
    android: ['com.google.android.keep'],
    ios: ['com.google.Keep'],
    artifacts: [a('databases/keep.db', 'notes, lists and reminders')],
    encryptionAtRest: 'Plain SQLite.',
  },
  {
    id: 'google-maps',
    name: 'Google Maps',
    category: 'maps',
    android: ['com.google.android.apps.maps'],
    ios: ['com.google.Maps'],
    artifacts: [
      a('databases/gmm_storage.db', 'searches and places (protobuf blobs)'),
      a('databases/da_destination_history', 'navigation destinations'),
      i('Library/Application Support/', 'search history caches'),
    ],
    encryptionAtRest: 'Plain SQLite with protobuf values.',
  },
  {
    id: 'google-messages',
    name: 'Google Messages',
    category: 'messaging',
    android: ['com.google.android.apps.messaging'],
    artifacts: [a('databases/bugle_db', 'SMS, MMS and RCS conversations (conversations, messages, parts)')],
    encryptionAtRest: 'Plain SQLite; RCS end-to-end encryption protects transport only.',
  },
  {
    id: 'google-photos',
    name: 'Google Photos',
    category: 'media',
    android: ['com.google.android.apps.photos'],
    ios: ['com.google.photos'],
    artifacts: [
      a('databases/gphotos0.db', 'local and remote media index, trash, backup state'),
      a('databases/disk_cache', 'thumbnail cache index'),
    ],
    encryptionAtRest: 'Plain SQLite.',
  },
  {
    id: 'google-play-store',
    name: 'Google Play Store',
    category: 'system',
    android: ['com.android.vending'],
    artifacts: [
      a('databases/library.db', 'apps ever acquired by the account'),
      a('databases/localappstate.db', 'install history'),
      a('databases/frosting.db', 'installed app metadata'),
    ],
    encryptionAtRest: 'Plain SQLite.',
  },
  {
    id: 'instagram',
    name: 'Instagram',
    category: 'social',
    android: ['com.instagram.android', 'com.instagram.lite'],
    ios: ['com.burbn.instagram'],
    artifacts: [
      a('databases/direct.db', 'direct messages (messages, threads)'),
      a('sdcard/Pictures/Instagram/', 'saved media'),
      i('Library/Application Support/DirectSQLiteDatabase/', 'direct messages'),
    ],
    encryptionAtRest: 'Plain SQLite; message content is JSON or protobuf.',
  },
  {
    id: 'kakaotalk',
    name: 'KakaoTalk',
    category: 'messaging',
    android: ['com.kakao.talk'],
    ios: ['com.iwilab.KakaoTalk'],
    artifacts: [
      a('databases/KakaoTalk.db', 'chat rooms and chat logs (encrypted message fields)'),
      a('databases/KakaoTalk2.db', 'friends'),
      i('Library/PrivateDocuments/Message.sqlite', 'messages'),
    ],
    encryptionAtRest:
      "Android: KakaoTalk.db is a readable SQLite database, but chat_logs.message and chat_logs.attachment are AES-encrypted per row; the key is derived from the row's user id and a fixed app secret, so it is recoverable from the database itself.",
    encryptedFields: [
      {
        artifact: 'kakaotalk:chat-logs',
        fields: ['chat_logs.message', 'chat_logs.attachment'],
        scheme: 'kakaotalk-field-aes',
      },
    ],
    keyHint: {
      description: 'per-row key derived from the user id stored in KakaoTalk.db / KakaoTalk2.db',
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/com.kakao.talk/databases/KakaoTalk2.db'],
    },
  },
  {
    id: 'keepass-android',
    name: 'KeePassDX / Keepass2Android',
    category: 'security',
    android: [
      'com.kunzisoft.keepass.free',
      'com.kunzisoft.keepass.libre',
      'com.kunzisoft.keepass.pro',
      'keepass2android.keepass2android',
      'keepass2android.keepass2android_nonet',
    ],
    artifacts: [
      a('sdcard/Documents/', 'the KeePass databases (.kdbx) the user opened, often outside the app folder'),
      a(
        'shared_prefs/',
        'recent files and settings; KeePassDX advanced-unlock credentials wrapped by an Android Keystore key',
      ),
      a('files/', 'Keepass2Android local copies of remote databases'),
    ],
    encryptionAtRest:
      "The .kdbx databases are KDBX (AES-256 or ChaCha20 under the master password and/or key file, Argon2 or AES-KDF). The apps' own settings are readable; biometric quick unlock stores the database credential encrypted by an Android Keystore key, and Keepass2Android's QuickUnlock keeps the opened database in memory only.",
    keyHint: { description: 'The KeePass master password and/or key file', kind: 'password', present: 'unknown' },
  },
  {
    id: 'keepsafe',
    name: 'Keepsafe Photo Vault',
    category: 'security',
    android: ['com.kii.safe'],
    artifacts: [
      a('databases/', 'the vault index (keepsafeDatabase in early versions: original paths, hidden paths, hashes)'),
      a('files/', 'hidden pictures and videos (early versions: .ksd files under "Main Folder", thumbnails in .thumbs)'),
    ],
    encryptionAtRest:
      'Reported (forensic forum threads, 2013; a Dixie State University study): early Android versions hid media by wrapping each file in a PNG cover image (a fixed-size picture shown by viewers, 3,722 bytes added) (named <13-digit time>.<original name>.<ext>.ksd), with an index database holding original paths and hashes; later versions encrypt media with a key tied to the account and the PIN (AES, reported). A wrapped file reads as a PNG (analysable); an encrypted one as random bytes.',
    keyHint: {
      description:
        "The vault PIN or the Keepsafe account (later versions); not needed for early versions' PNG-wrapped files.",
      kind: 'password',
      present: 'unknown',
    },
  },
  {
    id: 'kik',
    name: 'Kik',
    category: 'messaging',
    android: ['kik.android'],
    ios: ['com.kik.chat'],
    artifacts: [
      a('databases/kikDatabase.db', 'messages (messagesTable) and contacts (KIKcontactsTable)'),
      i('Documents/kik.sqlite', 'messages and contacts'),
    ],
    encryptionAtRest: 'Plain SQLite.',
  },
  {
    id: 'line',
    name: 'LINE',
    category: 'messaging',
    android: ['jp.naver.line.android'],
    ios: ['jp.naver.line', 'group.com.linecorp.line'],
    artifacts: [
      a('databases/naver_line', 'chats and messages (chat_history)'),
      a('databases/contact', 'contacts'),
      i('group:Library/Application Support/PrivateStore/', 'Line.sqlite: messages and contacts'),
    ],
    encryptionAtRest: 'Local databases are plain SQLite; Letter Sealing is end-to-end encryption in transit only.',
  },
  {
    id: 'locked-secret-calculator',
    name: 'LOCKED Secret Calculator Vault',
    category: 'security',
    android: ['com.lkd.calculator'],
    artifacts: [
      a('sdcard/.locked_vault/', 'hidden media by type, encrypted, and a separate encrypted database'),
      a('shared_prefs/share_locked_vault.xml', 'the lock: the PIN (and pattern) stored encrypted'),
    ],
    encryptionAtRest:
      'Reported (theincidentalchewtoy.wordpress.com, 2022-02-05, "Decrypting LOCKED Secret Calculator Vault"): media are encrypted with AES and kept on shared storage under .locked_vault, split by type; the PIN or pattern sits encrypted in share_locked_vault.xml, from which the write-up recovers it.',
    keyHint: {
      description: 'The vault PIN or pattern; stored encrypted in shared_prefs/share_locked_vault.xml.',
      kind: 'password',
      present: 'unknown',
    },
  },
  {
    id: 'lockmypix',
    name: 'LockMyPix Photo Vault',
    category: 'security',
    android: ['com.fourchars.lmpfree'],
    artifacts: [
      a(
        'sdcard/',
        "a hidden folder on shared storage with the encrypted pictures (.6zu) and videos (.vp3, among other custom extensions) and the app's key file",
      ),
      a('shared_prefs/', 'settings'),
    ],
    encryptionAtRest:
      'Reported (SeoulTech 2020, "A Study of the Decryption Method of LockMyPix Media Files for Forensic Analysis", reverse engineering): each file is encrypted whole with AES under a key derived from the PIN; a key file in the hidden folder lets a known PIN be checked, and a known original-encrypted pair recovers the PIN. Files carry custom extensions instead of .jpg/.mp4 and read as random bytes.',
    // The extension map published with the open-source LockMyPix decryption scripts (e.g. github.com/c-sleuth and
    // Jafesu/lock-my-pix-android-decrypt READMEs; "not a full list" by their own account).
    encryptedExtensions: {
      '6zu': 'jpg',
      tr7: 'gif',
      p5o: 'png',
      '8ur': 'bmp',
      '33t': 'tiff',
      '20i': 'webp',
      v93: 'heic',
      v92: 'dng',
      vp3: 'mp4',
      vo1: 'webm',
      v27: 'mpg',
      vb9: 'avi',
      v77: 'mov',
      v78: 'wmv',
      v82: 'dv',
      vz9: 'divx',
      vi3: 'ogv',
      v99: 'mkv',
    },
    keyHint: {
      description: "The LockMyPix PIN (or password); the app's key file in its hidden folder checks a guess.",
      kind: 'password',
      present: 'unknown',
    },
  },
  {
    id: 'media-store',
    name: 'Media storage (DCIM, MediaStore)',
    category: 'media',
    android: [
      'com.android.providers.media.module',
      'com.google.android.providers.media.module',
      'com.android.providers.media',
    ],
    artifacts: [
      a('databases/external.db', 'index of shared media (files, images, video, audio)'),
      a('sdcard/DCIM/', 'camera captures'),
      a('sdcard/Pictures/Screenshots/', 'screenshots'),
    ],
    encryptionAtRest: 'Plain SQLite and plain media files.',
  },
  {
    id: 'mega',
    name: 'MEGA',
    category: 'productivity',
    android: ['mega.privacy.android.app'],
    ios: ['mega.ios'],
    desktop: ['Mega Limited/MEGAsync'],
    artifacts: [
      a(
        'databases/',
        "the app's own settings and offline-file records, and the SDK's state cache (megaclient_statecache*)",
      ),
      d(
        'megaclient_statecache*.db',
        "the MEGA SDK's cache of the account's file tree, users and shares (SQLite whose records are AES ciphertext)",
      ),
      d('MEGAsync.cfg', 'MEGAsync settings'),
      d('logs/', 'MEGAsync logs'),
    ],
    encryptionAtRest:
      "Files are end-to-end encrypted in the cloud and plain once synced or downloaded. The MEGA SDK's local state cache (megaclient_statecache*.db, on computers and phones) is SQLite whose record values the SDK encrypts (AES, a key derived from the session), so its names and file tree are reported unreadable without the logged-in session (a partly encrypted database). Sources: the MEGA SDK (meganz/sdk: DbTable::put, SqliteDbAccess), MEGA's security white paper.",
  },
  {
    id: 'messenger',
    name: 'Facebook Messenger',
    category: 'messaging',
    android: ['com.facebook.orca', 'com.facebook.mlite'],
    ios: ['com.facebook.Messenger', 'group.com.facebook.Messenger'],
    artifacts: [
      a('databases/threads_db2', 'threads and messages (older versions)'),
      a('databases/msys_database_*', 'messages in the newer "msys" store'),
      a('sdcard/Pictures/Messenger/', 'saved media'),
      i('group:lightspeed-userDatabases/', 'messages (lightspeed SQLite per user)'),
    ],
    encryptionAtRest:
      'Plain SQLite; chats using end-to-end encryption keep their local copies in the same stores, reported as readable on unlocked devices.',
  },
  {
    id: 'microsoft-authenticator',
    name: 'Microsoft Authenticator',
    category: 'security',
    android: ['com.azure.authenticator'],
    ios: ['com.microsoft.azureauthenticator'],
    artifacts: [
      a('databases/PhoneFactor', 'accounts: issuer, user name, account type and the OATH secret (oath_secret_key)'),
    ],
    encryptionAtRest:
      'Android: plain SQLite (WAL mode). Third-party TOTP secrets are in clear in accounts.oath_secret_key (base32; personal Microsoft accounts base64); newer versions may move a secret to encrypted_oath_secret_key, wrapped by an Android Keystore key.',
    keyHint: {
      description: 'For encrypted_oath_secret_key values only: an Android Keystore key held by the device',
      kind: 'keystore',
      present: 'no',
    },
    encryptedFields: [
      {
        artifact: 'microsoft-authenticator:accounts',
        fields: ['accounts.encrypted_oath_secret_key'],
        scheme: 'android-keystore-wrapped',
      },
    ],
  },
  {
    id: 'moneymanagerex',
    name: 'Money Manager Ex',
    category: 'finance',
    android: ['com.money.manager.ex'],
    // Windows AppData/Roaming/MoneyManagerEx, Linux ~/.mmex (the settings; the databases are wherever the user saves them).
    desktop: ['MoneyManagerEx', '.mmex'],
    artifacts: [
      d('mmexini.db3', 'settings (SQLite), with the paths of the recently opened .mmb and .emb databases'),
      d('backups/', 'automatic copies of the database, .mmb or .emb as the original'),
    ],
    encryptionAtRest:
      "Money Manager Ex keeps its accounts in a SQLite database: a .mmb file is plain SQLite; a password-protected database is saved as .emb, encrypted whole (page 0 included, so no SQLite header) by wxSQLite3: SQLCipher 4 legacy layout (AES-256) since MMEX 1.8.1, wxSQLite3's AES-128 before (MMEX's own source, mmDBWrapper::Open). The Android app opens the same files. Sources: MMEX source (database wrapper), the app's documentation.",
    encryptedExtensions: { emb: 'mmb' },
    keyHint: {
      description:
        'The Money Manager Ex database password (asked when the .emb file is opened; not stored by the app). It is the SQLCipher key (AES-256, MMEX 1.8.1+) or wxSQLite3 AES-128 key (older).',
      kind: 'password',
      present: 'unknown',
    },
  },
  {
    id: 'nextcloud',
    name: 'Nextcloud',
    category: 'productivity',
    android: ['com.nextcloud.client'],
    ios: ['it.twsweb.Nextcloud'],
    desktop: ['Nextcloud'],
    artifacts: [
      a('databases/nextcloud', 'accounts, the synced file list, uploads and shares (SQLite)'),
      a('sdcard/Android/media/com.nextcloud.client/nextcloud/', 'downloaded and offline files, per account, plain'),
      d('nextcloud.cfg', 'desktop client accounts and synced folders (INI; the password is in the OS key store)'),
      d('.sync_*.db', "the sync journal in each synced folder's root (SQLite, plain: paths, etags, file ids)"),
    ],
    encryptionAtRest:
      'Client copies are plain: the desktop client and the apps decrypt end-to-end-encrypted folders locally. On the server, server-side encryption leaves every file with an "HBEGIN:oc_encryption_module…HEND" header padded to 8192 bytes (the nextcloud-encryption detector), its file key in data/<user>/files_encryption/keys/ (since Nextcloud 20 every key file is itself wrapped by the instance secret: the nextcloud-key-storage detector), user keys opened by the login password and the master key by the instance secret in config/config.php; end-to-end-encrypted folders hold files under random (UUID) names, their metadata JSON kept by the server in appdata_<instance>/end_to_end_encryption/meta-data/<folder id>/meta.data (the nextcloud-e2ee detector). Sources: nextcloud/server apps/encryption (Crypt.php, KeyManager.php), the end-to-end encryption RFC (nextcloud/end_to_end_encryption_rfc).',
  },
  {
    id: 'nq-vault',
    name: 'NQ Vault (Vault - Hide Pics & Videos)',
    category: 'security',
    android: ['com.netqin.ps'],
    artifacts: [
      a(
        'sdcard/SystemAndroid/Data/',
        'hidden media: one folder per vault (a base64 id), .image and .video inside, files renamed to .bin',
      ),
      a('databases/', 'the vault index'),
    ],
    encryptionAtRest:
      'Reported (users who reversed it, 2014 onwards): only the first 128 bytes of each file are XORed with a one-byte key derived from the PIN, the rest is the original JPEG, PNG or MP4; evtriage calls such files obfuscated media (jpeg-obfuscated, png-obfuscated, mp4-obfuscated: opaque) from their intact body. The XOR key is found by comparing the first bytes with the known header of the media type.',
    keyHint: {
      description:
        'None needed in practice: the one-byte XOR key follows from the known header of the media type (the PIN derives it).',
      kind: 'password',
      present: 'unknown',
    },
  },
  {
    id: 'onedrive',
    name: 'OneDrive',
    category: 'productivity',
    android: ['com.microsoft.skydrive'],
    ios: ['com.microsoft.skydrive'],
    desktop: ['Microsoft/OneDrive'],
    artifacts: [
      a('databases/', 'account and file metadata (SQLite)'),
      d(
        'settings/Personal/',
        "the sync client's settings: <CID>.ini, <CID>.dat (the file and folder tree), ClientPolicy.ini, and SyncEngineDatabase.db (SQLite) in recent clients",
      ),
      d('logs/Personal/', 'ODL logs (.odl, .odlgz, .aodl) and, in recent clients, general.keystore'),
    ],
    encryptionAtRest:
      "Files in the sync folder are plain (Personal Vault is a BitLocker-protected VHD on Windows). Settings and SyncEngineDatabase.db are readable; the ODL logs' strings are obfuscated, in older clients by a map in ObfuscationStringMap.txt and in recent ones (reported) by AES-CBC under a key kept beside them in general.keystore (JSON), so the key is in the extraction. Sources: Yogesh Khatri's OneDrive ODL research and parser (ydkhatri/OneDrive), Microsoft's Personal Vault documentation.",
  },
  {
    id: 'onepassword',
    name: '1Password',
    category: 'other',
    android: ['com.agilebits.onepassword', 'com.onepassword.android'],
    desktop: ['2BUA8C4S2C.com.agilebits', '2BUA8C4S2C.com.1password', '1Password'],
    artifacts: [
      a('files/', 'the local vault cache (encrypted items)'),
      d(
        '**/Data/B5.sqlite',
        '1Password 7 account vaults: items readable by uuid, vault and category; overview and details encrypted',
      ),
      d(
        'Library/Application Support/1Password/Data/1password.sqlite',
        '1Password 8 on macOS (in the 2BUA8C4S2C.com.1password group container; Windows: AppData/Local/1Password/data/1Password.sqlite)',
      ),
    ],
    encryptionAtRest:
      'Item overviews (title, URL) and details (fields, passwords) are encrypted per vault (AES-256-GCM, stored as JWE JSON: iv, data, enc "A256GCM", kid); vault keys are wrapped by the account key, derived from the account password and the Secret Key (two-secret key derivation). Ids, vault and category columns and timestamps are readable.',
    keyHint: {
      description:
        "The 1Password account password together with the account's 34-character Secret Key (from the Emergency Kit, or kept by the app on the device)",
      kind: 'password',
      present: 'unknown',
    },
    encryptedFields: [
      { artifact: 'onepassword:b5-items', fields: ['items.overview', 'items.details'], scheme: '1password-b5-a256gcm' },
    ],
  },
  {
    id: 'organic-maps',
    name: 'Organic Maps',
    category: 'maps',
    android: ['app.organicmaps'],
    ios: ['app.organicmaps'],
    artifacts: [
      a('sdcard/Android/data/app.organicmaps/files/bookmarks/', 'bookmarks and recorded tracks (KML/KMB; reported)'),
      a('sdcard/Android/data/app.organicmaps/files/', 'downloaded maps (.mwm, per country and version folder)'),
    ],
    encryptionAtRest: 'None: bookmarks and tracks as KML/KMB, offline maps as MWM containers, all without a key.',
  },
  {
    id: 'osmand',
    name: 'OsmAnd',
    category: 'maps',
    android: ['net.osmand', 'net.osmand.plus', 'net.osmand.dev'],
    ios: ['net.osmand.maps'],
    artifacts: [
      a('sdcard/Android/data/net.osmand.plus/files/tracks/', 'recorded trips as GPX'),
      a(
        'sdcard/Android/data/net.osmand.plus/files/favorites/',
        'favourite places as GPX (older versions: files/favourites.gpx)',
      ),
      a(
        'sdcard/Android/data/net.osmand.plus/files/',
        'offline maps (.obf, protobuf) and tile caches (tiles/, SQLite .sqlitedb)',
      ),
    ],
    encryptionAtRest: 'None: GPX tracks and favourites, OBF maps and tile databases in clear.',
  },
  {
    id: 'outlook',
    name: 'Microsoft Outlook',
    category: 'email',
    android: ['com.microsoft.office.outlook'],
    ios: ['com.microsoft.Office.Outlook', 'group.com.microsoft.Office.Outlook'],
    artifacts: [a('databases/outlook.db', 'mail, contacts and calendar cache')],
    encryptionAtRest: 'Plain SQLite (Intune-managed builds may add app-level encryption).',
  },
  {
    id: 'proton-pass',
    name: 'Proton Pass',
    category: 'security',
    android: ['proton.android.pass'],
    artifacts: [
      a('databases/', 'the local item store (Room SQLite): ids, shares, dates readable, item contents encrypted'),
    ],
    encryptionAtRest:
      'Item titles, notes and contents are stored encrypted (AES-256-GCM item keys under share keys, which the Proton account key unlocks); the app keeps its copy of the keys wrapped by an Android Keystore key (reported).',
    keyHint: {
      description: 'The Proton account password (and the Android Keystore key the app wraps its copy with)',
      kind: 'password',
      present: 'unknown',
    },
  },
  {
    id: 'protonmail',
    name: 'Proton Mail',
    category: 'email',
    android: ['ch.protonmail.android'],
    ios: ['ch.protonmail.protonmail'],
    artifacts: [a('databases/', 'mail cache with encrypted bodies')],
    encryptionAtRest:
      'Message bodies are kept PGP-encrypted; the private key is protected by the mailbox password and a key in the Android Keystore / iOS keychain.',
    keyHint: {
      description: 'mailbox password, unlocking a key held in the Android Keystore or iOS keychain',
      kind: 'keystore',
      present: 'no',
    },
  },
  {
    id: 'samsung-email',
    name: 'Samsung Email',
    category: 'email',
    android: ['com.samsung.android.email.provider'],
    artifacts: [
      a('databases/EmailProvider.db', 'accounts, mailboxes and message headers; HostAuth holds the server logins'),
      a('databases/EmailProviderBody.db', 'message bodies'),
    ],
    encryptionAtRest:
      'Plain SQLite. The server passwords in HostAuth are base64 of AES-128-CBC under a key Samsung derives from a fixed string (PBKDF2, the same on every phone, published by samsung-email-password-decrypt): obfuscated, not encrypted.',
  },
  {
    id: 'samsung-internet',
    name: 'Samsung Internet',
    category: 'browser',
    android: ['com.sec.android.app.sbrowser', 'com.sec.android.app.sbrowser.beta'],
    artifacts: [
      a('app_sbrowser/Default/History', 'history (Chromium schema)'),
      a('app_sbrowser/Default/Login Data', 'saved logins'),
    ],
    encryptionAtRest: 'Chromium layout; history is plain SQLite, secret values may be encrypted with an OS-held key.',
  },
  {
    id: 'samsung-messages',
    name: 'Samsung Messages',
    category: 'messaging',
    android: ['com.samsung.android.messaging'],
    artifacts: [a('databases/message_content.db', 'message cache; the system store is mmssms.db')],
    encryptionAtRest: 'Plain SQLite.',
  },
  {
    id: 'samsung-notes',
    name: 'Samsung Notes',
    category: 'productivity',
    android: ['com.samsung.android.app.notes'],
    artifacts: [a('databases/sdoc.db', 'notes index'), a('files/', 'note documents (.sdocx)')],
    encryptionAtRest:
      'Notes are plain unless locked; locked notes are encrypted with a key tied to the Samsung account / device.',
  },
  {
    id: 'samsung-pass',
    name: 'Samsung Pass',
    category: 'security',
    android: ['com.samsung.android.samsungpass'],
    artifacts: [a('databases/', 'saved sign-ins, cards, addresses and notes')],
    encryptionAtRest:
      "Saved credentials are sealed with keys held in the phone's Knox / TEE keystore; an export (.spass, written where the user chooses) is base64 of salt, IV and AES-256-CBC ciphertext under PBKDF2-HMAC-SHA256 (70,000 iterations) of the password typed at export.",
    keyHint: {
      description: 'Knox / TEE-held keys on the phone; for a .spass export, the export password',
      kind: 'hardware',
      present: 'no',
    },
  },
  {
    id: 'samsung-secure-folder',
    name: 'Samsung Secure Folder',
    category: 'security',
    android: ['com.samsung.knox.securefolder'],
    artifacts: [
      a('shared_prefs/', 'Secure Folder settings; the folder itself is Android user 150 and up (data/user/150/)'),
    ],
    encryptionAtRest:
      "Secure Folder is a separate Android user (Knox container) with its own lock: its apps' credential-encrypted storage is file-based encrypted under keys bound to that lock and the TEE, readable only from an extraction made while it was unlocked.",
    keyHint: {
      description: 'the Secure Folder lock (PIN, pattern, password), bound to the TEE',
      kind: 'hardware',
      present: 'no',
    },
  },
  {
    id: 'samsung-smart-switch',
    name: 'Samsung Smart Switch',
    category: 'system',
    android: ['com.sec.android.easyMover'],
    artifacts: [
      a(
        'sdcard/SmartSwitch/',
        'phone-made backups to SD card or USB storage: per-category archives with .bk items, SmartSwitchBackup.json (reported)',
      ),
    ],
    encryptionAtRest:
      "Backups the phone writes to external storage are encrypted by default with the Samsung account or a backup password (Smart Switch settings > External storage encryption); Smart Switch PC backups on a computer keep contacts, messages and calendar in Kies-format files under Samsung's fixed, published key, and app APKs (.penc) and data (.data, an Android backup) under a per-backup credential recorded in backupHistoryInfo.xml.",
  },
  {
    id: 'secret-calculator-photo-vault',
    name: 'Secret Calculator Photo Vault',
    category: 'security',
    android: ['com.photovault.secret.calculator'],
    artifacts: [
      a(
        'files/calculator_encrypted_DoNotDelete/',
        'encrypted media: pics/, vids/ and vid_thumbnails/, files named by random GUIDs with their extensions',
      ),
      a('shared_prefs/', 'settings and the lock'),
    ],
    encryptionAtRest:
      'Reported (theincidentalchewtoy.wordpress.com, 2022-01-27, "Decrypting Secret Calculator Photo Vault"): each file is encrypted whole with AES-256 in app-private storage (not on shared storage); the files keep media extensions but read as random bytes.',
    keyHint: {
      description: 'The vault PIN (entered on the calculator); the write-up shows how the files can be decrypted.',
      kind: 'password',
      present: 'unknown',
    },
  },
  {
    id: 'session',
    name: 'Session',
    category: 'messaging',
    android: ['network.loki.messenger'],
    ios: ['com.loki-project.loki-messenger', 'group.com.loki-project.loki-messenger'],
    artifacts: [
      a('databases/session.db', 'messages and contacts (SQLCipher)'),
      i('group:database/Session.sqlite', 'messages (SQLCipher)'),
    ],
    encryptionAtRest:
      'SQLCipher-encrypted databases (Signal-derived); Android key wrapped by an Android Keystore key, iOS key in the keychain.',
    keyHint: {
      description: 'database key wrapped by the Android Keystore, or in the iOS keychain; not in a file extraction',
      kind: 'keystore',
      present: 'no',
    },
  },
  {
    id: 'signal',
    name: 'Signal',
    category: 'messaging',
    android: ['org.thoughtcrime.securesms'],
    ios: ['org.whispersystems.signal', 'group.org.whispersystems.signal.group'],
    desktop: ['Signal'],
    artifacts: [
      a('databases/signal.db', 'messages, threads, recipients (SQLCipher)'),
      a(
        'shared_prefs/org.thoughtcrime.securesms_preferences.xml',
        'the database secret, wrapped by an Android Keystore key',
      ),
      a('sdcard/Signal/Backups/', 'backup files (.backup), encrypted with a 30-digit passphrase'),
      i('group:grdb/signal.sqlite', 'messages (SQLCipher)'),
      d('sql/db.sqlite', 'Signal Desktop messages (SQLCipher)'),
      d('config.json', 'the database key: "key" in clear (older versions) or "encryptedKey" (Electron safeStorage)'),
      d('Local State', 'on Windows the DPAPI-wrapped safeStorage key'),
      d('attachments.noindex/', 'attachments'),
    ],
    encryptionAtRest:
      'Android: signal.db is SQLCipher; its key is stored in shared preferences encrypted by an Android Keystore key (hardware-backed, not in a file extraction). iOS: SQLCipher with the key in the keychain. Backups: 30-digit passphrase shown once to the user. Desktop: sql/db.sqlite is SQLCipher keyed by config.json, whose "encryptedKey" is Electron safeStorage ciphertext (Windows: the DPAPI-wrapped key in Local State; macOS: the keychain item "Signal Safe Storage"; Linux: the desktop keyring); older versions kept the key in clear as "key".',
    keyHint: {
      description:
        'SQLCipher key wrapped by an Android Keystore key (or the iOS keychain); not recoverable from files alone',
      kind: 'keystore',
      present: 'no',
    },
  },
  {
    id: 'skype',
    name: 'Skype',
    category: 'messaging',
    android: ['com.skype.raider', 'com.skype.m2'],
    ios: ['com.skype.skype', 'com.skype.SkypeForiPad'],
    artifacts: [
      a('databases/live*.db', 'conversations, messages and calls (older schema: main.db)'),
      a('databases/s4l-*.db', 'messages in the newer key-value store'),
    ],
    encryptionAtRest: 'Plain SQLite.',
  },
  {
    id: 'sms',
    name: 'Messages (SMS/MMS/iMessage)',
    category: 'messaging',
    android: ['com.android.providers.telephony'],
    ios: ['com.apple.MobileSMS'],
    artifacts: [
      a('databases/mmssms.db', 'SMS and MMS (sms, pdu, part, threads)'),
      i('Library/SMS/sms.db', 'SMS, MMS and iMessage (message, chat, handle)'),
      i('Library/SMS/Attachments/', 'attachments'),
    ],
    encryptionAtRest:
      'Plain SQLite under file-based encryption (Android) or Data Protection (iOS); the iOS database is in every backup.',
  },
  {
    id: 'snapchat',
    name: 'Snapchat',
    category: 'social',
    android: ['com.snapchat.android'],
    ios: ['com.toyopagroup.picaboo'],
    artifacts: [
      a('databases/arroyo.db', 'conversations and messages (protobuf content)'),
      a('databases/main.db', 'friends and stories'),
      a('files/file_manager/', 'cached media (encrypted)'),
      i('Documents/gallery_encrypted_db/', 'Memories index (SQLCipher)'),
      i('Documents/user_scoped/', 'messages (arroyo)'),
    ],
    encryptionAtRest:
      "Message databases are plain SQLite. Cached media and Memories are encrypted; the keys are kept in the app's own databases (Android) or the keychain (iOS), reported to vary by version.",
    keyHint: {
      description: "media keys in the app's databases (Android) or the iOS keychain",
      kind: 'unknown',
      present: 'unknown',
    },
  },
  {
    id: 'strava',
    name: 'Strava',
    category: 'other',
    android: ['com.strava'],
    ios: ['com.strava.stravaride'],
    artifacts: [a('databases/', 'cached activities, routes and athlete records (SQLite; reported)')],
    encryptionAtRest: 'Plain SQLite (reported); uploaded activity files (FIT, GPX, TCX) are plain.',
  },
  {
    id: 'syncthing',
    name: 'Syncthing',
    category: 'productivity',
    android: ['com.nutomic.syncthingandroid', 'com.github.catfriend1.syncthingandroid'],
    desktop: ['syncthing', 'Syncthing'],
    artifacts: [
      a('files/config.xml', 'devices, folders and their paths; encryption passwords for untrusted devices, in clear'),
      a('files/index-v0.14.0.db/', 'the index of every shared file (LevelDB)'),
      d('config.xml', 'devices, folders and their paths; <encryptionPassword> for untrusted devices, in clear'),
      d('index-v0.14.0.db/', 'the index of every shared file, with block hashes and versions (LevelDB)'),
      d('key.pem', "the device's private key (PEM, not encrypted); its certificate is cert.pem"),
    ],
    encryptionAtRest:
      'Shared folders are plain on trusted devices (old versions in .stversions/). A device marked untrusted receives a folder encrypted: files named "<c>.syncthing-enc/<cc>/<rest>", each its XChaCha20-Poly1305 blocks and an encrypted FileInfo trailer (the syncthing-encrypted detector), and .stfolder/syncthing-encryption_password_token; the folder password is in clear in the trusted devices\' config.xml. Config lives in ~/.config/syncthing or ~/.local/state/syncthing (Linux), ~/Library/Application Support/Syncthing (macOS), AppData/Local/Syncthing (Windows). Sources: Syncthing documentation (untrusted devices, config), syncthing lib/protocol/encryption.go.',
  },
  {
    id: 'teams',
    name: 'Microsoft Teams',
    category: 'messaging',
    android: ['com.microsoft.teams'],
    ios: ['com.microsoft.skype.teams'],
    artifacts: [a('databases/SkypeTeams.db', 'chats and messages')],
    encryptionAtRest: 'Plain SQLite (Intune-managed builds may add app-level encryption).',
  },
  {
    id: 'telegram',
    name: 'Telegram',
    category: 'messaging',
    android: [
      'org.telegram.messenger',
      'org.telegram.messenger.web',
      'org.telegram.messenger.beta',
      'org.thunderdog.challegram',
    ],
    ios: ['ph.telegra.Telegraph', 'group.ph.telegra.Telegraph'],
    desktop: ['Telegram Desktop'],
    artifacts: [
      a('files/cache4.db', 'cached chats, users and messages (TL-serialised blobs)'),
      a('sdcard/Telegram/', 'downloaded media'),
      i('group:telegram-data/account-*/postbox/db/db_sqlite', 'messages (SQLCipher)'),
      i('group:telegram-data/.tempkeyEncrypted', 'the database key, encrypted with the passcode or a default key'),
      d('tdata/', 'Telegram Desktop settings, session and cache (AES-256-IGE under the local key)'),
      d('tdata/key_datas', 'the local key, encrypted with a key derived from the local passcode (or an empty one)'),
    ],
    encryptionAtRest:
      'Android: cache4.db is plain SQLite (message bodies are serialised objects). iOS: the postbox database is SQLCipher; its key is in .tempkeyEncrypted, encrypted with a key derived from the local passcode, or a built-in default when none is set. Desktop: tdata files are AES-256-IGE encrypted with the local key in key_datas, itself wrapped by a key derived from the local passcode (empty when none is set).',
    keyHint: {
      description: 'iOS: .tempkeyEncrypted in the app-group container, plus the Telegram passcode if one is set',
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/telegram-data/.tempkeyEncrypted'],
    },
  },
  {
    id: 'threema',
    name: 'Threema',
    category: 'messaging',
    android: ['ch.threema.app', 'ch.threema.app.work', 'ch.threema.app.libre'],
    ios: ['ch.threema.iapp', 'ch.threema.iapp.work', 'group.ch.threema'],
    artifacts: [
      a('databases/threema4.db', 'messages and contacts (SQLCipher)'),
      a('files/key.dat', 'the master key, optionally protected with a passphrase'),
      i('group:ThreemaData.sqlite', 'messages (Core Data)'),
    ],
    encryptionAtRest:
      "Android: threema4.db is SQLCipher; the key derives from the master key in files/key.dat, which is protected by the user's passphrase when one is set. Media files are encrypted with the same master key. iOS: Core Data store under Data Protection, secrets in the keychain.",
    keyHint: {
      description: 'files/key.dat (master key), plus the Threema passphrase if one is set',
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/ch.threema.app*/files/key.dat'],
    },
  },
  {
    id: 'tiktok',
    name: 'TikTok',
    category: 'social',
    android: ['com.zhiliaoapp.musically', 'com.ss.android.ugc.trill', 'com.zhiliaoapp.musically.go'],
    ios: ['com.zhiliaoapp.musically', 'com.ss.iphone.ugc.Ame'],
    artifacts: [
      a('databases/*_im.db', 'direct messages (msg, conversation_core)'),
      a('databases/db_im_xx', 'contacts'),
      i('Documents/AwemeIM.db', 'direct messages'),
    ],
    encryptionAtRest: 'Plain SQLite.',
  },
  {
    id: 'twitter',
    name: 'X (Twitter)',
    category: 'social',
    android: ['com.twitter.android'],
    ios: ['com.atebits.Tweetie2'],
    artifacts: [a('databases/*-66.db', 'timeline, direct messages and users of an account')],
    encryptionAtRest: 'Plain SQLite.',
  },
  {
    id: 'twofas',
    name: '2FAS Authenticator',
    category: 'security',
    android: ['com.twofasapp'],
    artifacts: [
      a('databases/', 'the services (issuer, account, secret) in Room SQLite'),
      a('sdcard/Download/', 'backups (*.2fas): JSON, with services in clear or "servicesEncrypted"'),
    ],
    encryptionAtRest:
      'Backups made with a password keep the services as AES-256-GCM ciphertext (PBKDF2-HMAC-SHA256, 10000 iterations, 256-byte salt) in "servicesEncrypted"; backups without one list the secrets in clear.',
    keyHint: { description: 'The 2FAS backup password', kind: 'password', present: 'unknown' },
  },
  {
    id: 'viber',
    name: 'Viber',
    category: 'messaging',
    android: ['com.viber.voip'],
    ios: ['com.viber', 'group.viber.share.container'],
    artifacts: [
      a('databases/viber_messages', 'conversations and messages'),
      a('databases/viber_data', 'contacts and calls'),
      a('sdcard/Viber/', 'media'),
      i('Documents/Contacts.data', 'messages and contacts (Core Data)'),
    ],
    encryptionAtRest: 'Plain SQLite.',
  },
  {
    id: 'waze',
    name: 'Waze',
    category: 'maps',
    android: ['com.waze'],
    ios: ['com.waze.iphone'],
    artifacts: [
      a('user.db', 'recent destinations, favourites and searches (ALEAPP waze)'),
      i('Documents/user.db', 'recent destinations, favourites and searches (iLEAPP waze)'),
    ],
    encryptionAtRest: 'Plain SQLite.',
  },
  {
    id: 'wechat',
    name: 'WeChat',
    category: 'messaging',
    android: ['com.tencent.mm'],
    ios: ['com.tencent.xin'],
    desktop: ['WeChat Files', 'xwechat_files'],
    artifacts: [
      a('MicroMsg/*/EnMicroMsg.db', 'messages and contacts (SQLCipher 1: 1,024-byte pages, 4,000 iterations, no HMAC)'),
      a('shared_prefs/auth_info_key_prefs.xml', 'the account uin used to derive the key'),
      a('MicroMsg/*/voice2/', 'voice messages: SILK v3 audio (0x02 before "#!SILK_V3") named msg_*.amr'),
      a('MicroMsg/*/image2/', 'pictures and their th_* thumbnails'),
      i('Documents/*/DB/MM.sqlite', 'messages (plain SQLite, one Chat_<hash> table per conversation)'),
      d('*/Msg/Multi/MSG*.db', 'WeChat 3 for Windows: messages (SQLCipher with 4,096-byte pages and HMAC-SHA1)'),
      d('*/Msg/MicroMsg.db', 'WeChat 3 for Windows: contacts and sessions (SQLCipher, the same key)'),
      d('*/FileStorage/Image/', 'WeChat 3 for Windows: received pictures, <md5>.dat, each XORed whole with one byte'),
      d('*/db_storage/message/message_0.db', 'WeChat 4: messages (SQLCipher 4 layout, the key from process memory)'),
      d('*/msg/attach/', 'WeChat 4: pictures and videos, *.dat with a V1 or V2 header (AES-128-ECB start, XORed end)'),
    ],
    encryptionAtRest:
      "Android: EnMicroMsg.db is SQLCipher; the key is reported to be the first 7 hex digits of MD5(IMEI + uin), both of which are usually in the extraction. Voice messages are plain SILK audio. iOS: MM.sqlite is plain. Desktop (Documents/WeChat Files for WeChat 3 on Windows, xwechat_files for WeChat 4): the databases are SQLCipher under a raw 32-byte key that the public decoders read from the running process, not from a file; WeChat 3 XORs received pictures with one byte (found from the picture's first bytes: obfuscated); WeChat 4 pictures carry a V1 header (AES with a key published in every decoder: obfuscated) or a V2 header (AES with the account's image key, kept in memory: encrypted at their start).",
    keyHint: {
      description:
        'Android: first 7 hex digits of MD5(IMEI + uin), uin in shared_prefs/auth_info_key_prefs.xml. Desktop: the database key and the WeChat 4 image key are in the running process only',
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/com.tencent.mm/shared_prefs/auth_info_key_prefs.xml'],
    },
  },
  {
    id: 'whatsapp',
    name: 'WhatsApp',
    category: 'messaging',
    android: ['com.whatsapp'],
    ios: ['net.whatsapp.WhatsApp', 'group.net.whatsapp.WhatsApp.shared'],
    artifacts: [
      a('databases/msgstore.db', 'messages, chats and calls'),
      a('databases/wa.db', 'contacts (wa_contacts)'),
      a('files/key', 'the key of local .crypt12/.crypt14/.crypt15 backups'),
      a('sdcard/WhatsApp/Databases/', 'encrypted backups (msgstore-*.db.crypt14/15)'),
      i('group:ChatStorage.sqlite', 'messages and chats (ZWAMESSAGE, ZWACHATSESSION)'),
      i('group:ContactsV2.sqlite', 'contacts'),
    ],
    encryptionAtRest:
      "Local databases are plain SQLite. Android backups on shared storage are encrypted (crypt12/14/15); the key is files/key in the app folder, unless end-to-end encrypted backups are on (then a 64-digit key or the user's password).",
    keyHint: {
      description:
        'the 158-byte key file data/data/com.whatsapp/files/key (crypt12/14), or for end-to-end backups files/encrypted_backup.key or the 64-digit key the user chose',
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/com.whatsapp/files/key', '**/com.whatsapp/files/encrypted_backup.key'],
    },
  },
  {
    id: 'whatsapp-business',
    name: 'WhatsApp Business',
    category: 'messaging',
    android: ['com.whatsapp.w4b'],
    ios: ['net.whatsapp.WhatsAppSMB', 'group.net.whatsapp.WhatsAppSMB.shared'],
    artifacts: [
      a('databases/msgstore.db', 'messages'),
      a('databases/wa.db', 'contacts'),
      a('files/key', 'backup key'),
      a('sdcard/WhatsApp Business/Databases/', 'encrypted backups'),
    ],
    encryptionAtRest: 'As WhatsApp: plain local databases, encrypted backups keyed by files/key.',
    keyHint: {
      description: 'the key file data/data/com.whatsapp.w4b/files/key',
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/com.whatsapp.w4b/files/key'],
    },
  },
  {
    id: 'wickr',
    name: 'Wickr',
    category: 'messaging',
    android: ['com.mywickr.wickr2', 'com.wickr.pro', 'com.wickr.enterprise'],
    ios: ['com.mywickr.wickr', 'com.wickr.pro'],
    artifacts: [a('databases/wickr_db', 'messages (SQLCipher)'), a('files/', 'encrypted attachments')],
    encryptionAtRest:
      "Databases and attachments are encrypted; keys derive from the user's password combined with device-bound secrets (keystore / keychain).",
    keyHint: {
      description: "the user's Wickr password plus device-bound secrets",
      kind: 'password',
      present: 'unknown',
    },
  },
  {
    id: 'wire',
    name: 'Wire',
    category: 'messaging',
    android: ['com.wire'],
    ios: ['com.wearezeta.zclient.ios', 'group.com.wearezeta.zclient.ios'],
    artifacts: [
      a('databases/', 'one database per account (named by user UUID)'),
      i('group:AccountData/*/store/store.wiredatabase', 'messages (Core Data)'),
    ],
    encryptionAtRest:
      'Local stores are plain SQLite by default; an optional "encryption at rest" setting (iOS) encrypts message content with a key in the keychain.',
  },
  {
    id: 'youtube',
    name: 'YouTube',
    category: 'media',
    android: ['com.google.android.youtube'],
    ios: ['com.google.ios.youtube'],
    artifacts: [a('databases/', 'offline and history caches')],
    encryptionAtRest: 'Caches are plain; offline videos are stored encrypted with DRM keys.',
  },
  {
    id: 'zoom',
    name: 'Zoom',
    category: 'messaging',
    android: ['us.zoom.videomeetings'],
    ios: ['us.zoom.videomeetings'],
    desktop: ['Zoom', 'zoom.us'],
    artifacts: [
      a('data/', 'chat and meeting history (encrypted databases in recent versions)'),
      d('data/zoomus.enc.db', 'account and settings (SQLCipher)'),
      d('data/zoommeeting.enc.db', 'meeting history (SQLCipher)'),
      d('data/Zoom.us.ini', 'on Windows win_osencrypt_key, the DPAPI-protected database key'),
    ],
    encryptionAtRest:
      'Recent versions are reported to encrypt their local databases (SQLCipher) with a key kept in the keystore / keychain. Desktop: the *.enc.db databases are SQLCipher; on Windows the key is DPAPI-protected in Zoom.us.ini (win_osencrypt_key), on macOS in the keychain.',
    keyHint: { description: 'database key in the Android Keystore or iOS keychain', kind: 'keystore', present: 'no' },
  },
];
