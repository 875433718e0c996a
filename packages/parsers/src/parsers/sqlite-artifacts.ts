/**
 * Known mobile and browser SQLite artifacts, recognised by the tables and
 * columns they must contain (never by file name), with headline counts.
 * Schemas as documented by the tools that parse them: ALEAPP (`sms.py`,
 * `contacts.py`, `calllog.py`, `whatsapp.py`, `telegram*.py`, `chrome*.py`),
 * iLEAPP (`sms.py`, `addressBook.py`, `callHistory.py`, `whatsapp*.py`,
 * `safariHistory.py`, `notes.py`), plaso (`chrome_history.py`,
 * `firefox_history.py`, `ios_*`) and the KakaoTalk research literature.
 * Only columns stable across versions are required.
 */
import type { ParserPlugin } from '@evtriage/core/contract';
import type { SqliteHandle } from '@evtriage/core/helpers';
import { sqliteArtifact, type KnownSqliteArtifact } from './sqlite-artifact.js';

/**
 * Rows whose `column` holds an OTP secret in clear: text of base32 or base64
 * characters (as the apps store the shared secret), not a blob or empty.
 */
function clearSecrets(db: SqliteHandle, table: string, column: string): number {
  const c = `"${column}"`;
  const row = db.get(
    `SELECT count(*) AS n FROM "${table}" WHERE typeof(${c}) = 'text' AND length(trim(${c})) >= 16 AND ${c} NOT GLOB '*[^A-Za-z0-9+/= ]*'`,
  ) as { n?: number } | undefined;
  return Number(row?.n ?? 0);
}

/** The built-in artifacts as data, sorted by id. */
export const sqliteArtifactSpecs: readonly KnownSqliteArtifact[] = [
  {
    id: 'android-accounts',
    title: 'Android accounts (accounts_ce.db, accounts_de.db)',
    artifact: { id: 'android:accounts', name: 'Android accounts' },
    tables: { accounts: ['_id', 'name', 'type'] },
    counts: { accounts: 'accounts' },
  },
  {
    id: 'android-calendar',
    title: 'Android calendar (calendar.db)',
    artifact: { id: 'android:calendar', name: 'Android calendar' },
    tables: { Events: ['_id', 'title', 'dtstart', 'calendar_id'], Calendars: ['_id'] },
    counts: { events: 'Events', calendars: 'Calendars' },
  },
  {
    id: 'android-call-log',
    title: 'Android call log (calllog.db)',
    artifact: { id: 'android:call-log', name: 'Android call log' },
    tables: { calls: ['_id', 'number', 'date', 'duration', 'type'] },
    counts: { calls: 'calls' },
    priority: 45,
  },
  {
    id: 'android-contacts',
    title: 'Android contacts (contacts2.db)',
    artifact: { id: 'android:contacts', name: 'Android contacts' },
    tables: { raw_contacts: ['_id'], data: ['_id', 'raw_contact_id', 'mimetype_id'] },
    counts: { contacts: 'raw_contacts', calls: 'calls' },
  },
  {
    id: 'android-sms',
    title: 'Android SMS/MMS store (mmssms.db)',
    artifact: { id: 'android:sms', name: 'Android SMS/MMS' },
    tables: { sms: ['_id', 'thread_id', 'address', 'date', 'body', 'type'] },
    counts: { messages: ['sms', 'pdu'], threads: 'threads' },
  },
  {
    // Bitwarden's native Android app, databases/vault_database (Room), as ALEAPP's Bitwarden artifact reads it
    // (ciphers: id, user_id, cipher_type, cipher_json; siblings folders, collections, sends): cipher_json is
    // readable JSON whose names, usernames, passwords and item keys are EncStrings (catalogue: bitwarden).
    id: 'bitwarden-vault',
    title: 'Bitwarden for Android vault (databases/vault_database)',
    artifact: { id: 'bitwarden:vault', name: 'Bitwarden vault items' },
    tables: { ciphers: ['id', 'user_id', 'cipher_type', 'cipher_json'] },
    counts: { items: 'ciphers', folders: 'folders', collections: 'collections', sends: 'sends' },
  },
  {
    // Chromium net/extras/sqlite/sqlite_persistent_cookie_store.cc: `value` is empty when `encrypted_value` holds
    // the OSCrypt ciphertext ("v10"/"v11"/"v20" prefix), which is what every desktop build writes.
    id: 'chromium-cookies',
    title: 'Chromium cookies (Cookies)',
    artifact: { id: 'chromium:cookies', name: 'Chromium cookies' },
    tables: { cookies: ['host_key', 'name', 'value', 'encrypted_value'] },
    counts: { cookies: 'cookies' },
  },
  {
    id: 'chromium-history',
    title: 'Chromium browser history (Chrome, Samsung Internet, Edge...)',
    artifact: { id: 'chromium:history', name: 'Chromium history' },
    tables: { urls: ['id', 'url', 'title', 'visit_count'], visits: ['id', 'url', 'visit_time'] },
    counts: { visits: 'visits', urls: 'urls', downloads: 'downloads' },
  },
  {
    id: 'chromium-login-data',
    title: 'Chromium saved logins (Login Data)',
    artifact: { id: 'chromium:login-data', name: 'Chromium saved logins' },
    tables: { logins: ['origin_url', 'username_value', 'password_value'] },
    counts: { logins: 'logins' },
  },
  {
    // Chromium components/autofill/core/browser/webdata/*_table.cc: form entries and search engines are clear;
    // saved card numbers, CVCs and IBANs and sync tokens are OSCrypt ciphertext (the catalogue's Chrome entry).
    id: 'chromium-web-data',
    title: 'Chromium autofill and payment data (Web Data)',
    artifact: { id: 'chromium:web-data', name: 'Chromium autofill data' },
    tables: { autofill: ['name', 'value'], keywords: ['short_name', 'keyword', 'url'] },
    counts: { autofill: 'autofill', keywords: 'keywords', cards: 'credit_cards' },
  },
  {
    id: 'firefox-places',
    title: 'Firefox history and bookmarks (places.sqlite)',
    artifact: { id: 'firefox:history', name: 'Firefox history' },
    tables: { moz_places: ['id', 'url'], moz_historyvisits: ['id', 'place_id', 'visit_date'] },
    counts: { visits: 'moz_historyvisits', urls: 'moz_places', bookmarks: 'moz_bookmarks' },
  },
  {
    // google/google-authenticator-android AccountDb.java (the open-source base of the Play app, whose
    // databases/databases keeps the same table): the shared secret is base32 text in accounts.secret.
    id: 'google-authenticator',
    title: 'Google Authenticator accounts (databases/databases)',
    artifact: { id: 'google-authenticator:accounts', name: 'Google Authenticator accounts (2FA secrets in clear)' },
    tables: { accounts: ['_id', 'email', 'secret', 'counter', 'type'] },
    counts: { accounts: 'accounts' },
    priority: 35,
    details: (db) => ({ secretsInClear: clearSecrets(db, 'accounts', 'secret') }),
  },
  {
    id: 'google-messages',
    title: 'Google Messages (bugle_db)',
    artifact: { id: 'google-messages:messages', name: 'Google Messages' },
    tables: { conversations: ['_id'], messages: ['_id', 'conversation_id'], parts: ['_id', 'message_id', 'text'] },
    counts: { messages: 'messages', chats: 'conversations' },
  },
  {
    id: 'ios-address-book',
    title: 'iOS contacts (AddressBook.sqlitedb)',
    artifact: { id: 'ios:contacts', name: 'iOS contacts' },
    tables: { ABPerson: ['ROWID', 'First', 'Last'], ABMultiValue: ['UID', 'record_id', 'property', 'value'] },
    counts: { contacts: 'ABPerson' },
  },
  {
    id: 'ios-application-state',
    title: 'iOS application state (FrontBoard applicationState.db)',
    artifact: { id: 'ios:application-state', name: 'iOS installed applications' },
    tables: { application_identifier_tab: ['id', 'application_identifier'] },
    counts: { apps: 'application_identifier_tab' },
  },
  {
    id: 'ios-calendar',
    title: 'iOS calendar (Calendar.sqlitedb)',
    artifact: { id: 'ios:calendar', name: 'iOS calendar' },
    tables: { CalendarItem: ['ROWID', 'summary', 'start_date'], Calendar: ['ROWID'] },
    counts: { events: 'CalendarItem', calendars: 'Calendar' },
  },
  {
    id: 'ios-call-history',
    title: 'iOS call history (CallHistory.storedata)',
    artifact: { id: 'ios:calls', name: 'iOS call history' },
    tables: { ZCALLRECORD: ['Z_PK', 'ZADDRESS', 'ZDATE', 'ZDURATION'] },
    counts: { calls: 'ZCALLRECORD' },
  },
  {
    id: 'ios-notes',
    title: 'iOS Notes (NoteStore.sqlite)',
    artifact: { id: 'ios:notes', name: 'iOS Notes' },
    tables: { ZICCLOUDSYNCINGOBJECT: ['Z_PK', 'ZIDENTIFIER'], ZICNOTEDATA: ['Z_PK', 'ZDATA'] },
    counts: { notes: 'ZICNOTEDATA' },
  },
  {
    id: 'ios-photos',
    title: 'iOS photo library (Photos.sqlite, iOS 14 and later)',
    artifact: { id: 'ios:photos', name: 'iOS photo library' },
    tables: { ZASSET: ['Z_PK', 'ZFILENAME', 'ZDIRECTORY'] },
    counts: { assets: 'ZASSET' },
  },
  {
    id: 'ios-photos-legacy',
    title: 'iOS photo library (Photos.sqlite, iOS 13 and earlier)',
    artifact: { id: 'ios:photos', name: 'iOS photo library' },
    tables: { ZGENERICASSET: ['Z_PK', 'ZFILENAME', 'ZDIRECTORY'] },
    counts: { assets: 'ZGENERICASSET' },
  },
  {
    id: 'ios-sms',
    title: 'iOS Messages (sms.db)',
    artifact: { id: 'ios:sms', name: 'iOS Messages (SMS, MMS, iMessage)' },
    tables: {
      message: ['ROWID', 'guid', 'text', 'handle_id', 'date'],
      chat: ['ROWID', 'guid'],
      handle: ['ROWID', 'id'],
    },
    counts: { messages: 'message', chats: 'chat', handles: 'handle', attachments: 'attachment' },
  },
  {
    id: 'kakaotalk-chat-logs',
    title: 'KakaoTalk chat logs (KakaoTalk.db)',
    artifact: { id: 'kakaotalk:chat-logs', name: 'KakaoTalk chat logs' },
    tables: { chat_logs: ['id', 'type', 'chat_id', 'user_id', 'message', 'attachment', 'created_at'] },
    counts: { messages: 'chat_logs', chats: 'chat_rooms' },
  },
  {
    // Microsoft Authenticator for Android, databases/PhoneFactor, as read by Aegis's importer
    // (MicrosoftAuthImporter: name, username, oath_secret_key, account_type): third-party TOTP
    // secrets are base32 text; newer versions may add encrypted_oath_secret_key (Android Keystore).
    id: 'microsoft-authenticator',
    title: 'Microsoft Authenticator accounts (databases/PhoneFactor)',
    artifact: { id: 'microsoft-authenticator:accounts', name: 'Microsoft Authenticator accounts' },
    tables: { accounts: ['name', 'username', 'oath_secret_key', 'account_type'] },
    counts: { accounts: 'accounts' },
    priority: 35,
    details: (db) => ({ secretsInClear: clearSecrets(db, 'accounts', 'oath_secret_key') }),
  },
  {
    // 1Password 7's B5.sqlite (account vaults), as dumped in the published decryption walk-throughs (D. Schuetz,
    // "1Password round trip"): item overviews and details are JWE-style JSON with AES-256-GCM ciphertext.
    id: 'onepassword-b5-items',
    title: '1Password 7 account vault items (B5.sqlite)',
    artifact: { id: 'onepassword:b5-items', name: '1Password items' },
    tables: { items: ['uuid', 'vault_id', 'category_uuid', 'overview', 'details'] },
    counts: { items: 'items' },
  },
  {
    id: 'safari-history',
    title: 'Safari history (History.db)',
    artifact: { id: 'safari:history', name: 'Safari history' },
    tables: { history_items: ['id', 'url', 'visit_count'], history_visits: ['id', 'history_item', 'visit_time'] },
    counts: { visits: 'history_visits', urls: 'history_items' },
  },
  {
    id: 'telegram-cache',
    title: 'Telegram for Android cache (cache4.db)',
    artifact: { id: 'telegram:cache', name: 'Telegram cache' },
    tables: { users: ['uid', 'name', 'data'], dialogs: ['did', 'date'] },
    counts: { messages: ['messages_v2', 'messages'], users: 'users', chats: 'dialogs' },
  },
  {
    id: 'whatsapp-chat-storage',
    title: 'WhatsApp for iOS messages (ChatStorage.sqlite)',
    artifact: { id: 'whatsapp:ios-messages', name: 'WhatsApp messages (iOS)' },
    tables: { ZWAMESSAGE: ['Z_PK', 'ZTEXT', 'ZMESSAGEDATE', 'ZCHATSESSION'], ZWACHATSESSION: ['Z_PK', 'ZCONTACTJID'] },
    counts: { messages: 'ZWAMESSAGE', chats: 'ZWACHATSESSION' },
  },
  {
    id: 'whatsapp-contacts',
    title: 'WhatsApp for Android contacts (wa.db)',
    artifact: { id: 'whatsapp:contacts', name: 'WhatsApp contacts' },
    tables: { wa_contacts: ['jid', 'is_whatsapp_user', 'display_name'] },
    counts: { contacts: 'wa_contacts' },
  },
  {
    id: 'whatsapp-contacts-ios',
    title: 'WhatsApp for iOS contacts (ContactsV2.sqlite)',
    artifact: { id: 'whatsapp:ios-contacts', name: 'WhatsApp contacts (iOS)' },
    tables: { ZWAADDRESSBOOKCONTACT: ['Z_PK', 'ZFULLNAME', 'ZWHATSAPPID'] },
    counts: { contacts: 'ZWAADDRESSBOOKCONTACT' },
  },
  {
    id: 'whatsapp-msgstore',
    title: 'WhatsApp for Android messages (msgstore.db)',
    artifact: { id: 'whatsapp:messages', name: 'WhatsApp messages (Android)' },
    tables: { message: ['_id', 'chat_row_id', 'from_me', 'timestamp', 'text_data'], chat: ['_id', 'jid_row_id'] },
    counts: { messages: 'message', chats: 'chat', calls: 'call_log' },
  },
  {
    id: 'whatsapp-msgstore-legacy',
    title: 'WhatsApp for Android messages, pre-2022 schema (msgstore.db)',
    artifact: { id: 'whatsapp:messages', name: 'WhatsApp messages (Android)' },
    tables: {
      messages: ['_id', 'key_remote_jid', 'key_from_me', 'data', 'timestamp'],
      chat_list: ['_id', 'key_remote_jid'],
    },
    counts: { messages: 'messages', chats: 'chat_list' },
  },
];

/** The built-in artifact parsers, one per spec. */
export const sqliteArtifactParsers: readonly ParserPlugin[] = sqliteArtifactSpecs.map((spec) => sqliteArtifact(spec));
