/**
 * Fixture cases for every built-in SQLite artifact parser, with
 * @evtriage/core/testing. Fixtures: ../../fixtures/<plugin id>/ (sample.db,
 * missing-column.db, truncated.db), remade by
 * ../../fixtures/make-sqlite-artifact-fixtures.mjs with the sqlite3 CLI; in
 * sample.db, table n of the declaration holds n+2 rows, hence the counts
 * below. Each case runs the parser alone through the engine's parse stage.
 */
import { testParser } from '@evtriage/core/testing';
import { describe, expect, it } from 'vitest';
import { sqliteArtifactParsers } from './sqlite-artifacts.js';

/** Plugin id, artifact id, and the headline counts sample.db must give. */
const EXPECTED: ReadonlyArray<readonly [string, string, Record<string, number>]> = [
  ['android-accounts', 'android:accounts', { accounts: 2 }],
  ['android-calendar', 'android:calendar', { events: 2, calendars: 3 }],
  ['android-call-log', 'android:call-log', { calls: 2 }],
  ['android-contacts', 'android:contacts', { contacts: 2 }],
  ['android-sms', 'android:sms', { messages: 2 }],
  ['bitwarden-vault', 'bitwarden:vault', { items: 2 }],
  ['chromium-cookies', 'chromium:cookies', { cookies: 2 }],
  ['chromium-history', 'chromium:history', { visits: 3, urls: 2 }],
  ['chromium-login-data', 'chromium:login-data', { logins: 2 }],
  ['chromium-web-data', 'chromium:web-data', { autofill: 2, keywords: 3 }],
  ['firefox-places', 'firefox:history', { visits: 3, urls: 2 }],
  ['google-authenticator', 'google-authenticator:accounts', { accounts: 2 }],
  ['google-messages', 'google-messages:messages', { messages: 3, chats: 2 }],
  ['ios-address-book', 'ios:contacts', { contacts: 2 }],
  ['ios-application-state', 'ios:application-state', { apps: 2 }],
  ['ios-calendar', 'ios:calendar', { events: 2, calendars: 3 }],
  ['ios-call-history', 'ios:calls', { calls: 2 }],
  ['ios-notes', 'ios:notes', { notes: 3 }],
  ['ios-photos', 'ios:photos', { assets: 2 }],
  ['ios-photos-legacy', 'ios:photos', { assets: 2 }],
  ['ios-sms', 'ios:sms', { messages: 2, chats: 3, handles: 4 }],
  ['kakaotalk-chat-logs', 'kakaotalk:chat-logs', { messages: 2 }],
  ['microsoft-authenticator', 'microsoft-authenticator:accounts', { accounts: 2 }],
  ['onepassword-b5-items', 'onepassword:b5-items', { items: 2 }],
  ['safari-history', 'safari:history', { visits: 3, urls: 2 }],
  ['telegram-cache', 'telegram:cache', { users: 2, chats: 3 }],
  ['whatsapp-chat-storage', 'whatsapp:ios-messages', { messages: 2, chats: 3 }],
  ['whatsapp-contacts', 'whatsapp:contacts', { contacts: 2 }],
  ['whatsapp-contacts-ios', 'whatsapp:ios-contacts', { contacts: 2 }],
  ['whatsapp-msgstore', 'whatsapp:messages', { messages: 2, chats: 3 }],
  ['whatsapp-msgstore-legacy', 'whatsapp:messages', { messages: 2, chats: 3 }],
];

/**
 * Databases as the apps write them (generate-device.sh beside each): the
 * authenticators keep their TOTP secrets in clear, which the details count;
 * Bitwarden's items are EncStrings inside readable JSON.
 */
const DEVICE: Record<string, ReadonlyArray<{ file: string; counts: Record<string, number>; details: object }>> = {
  // Bitwarden: the item's JSON is readable, its names and secrets EncStrings: partial encryption.
  'bitwarden-vault': [
    {
      file: 'device/data/data/com.x8bit.bitwarden/databases/vault_database',
      counts: { items: 1, folders: 0, collections: 0, sends: 0 },
      details: { rowsWithEncryptedFields: 1 },
    },
  ],
  'google-authenticator': [
    {
      file: 'device/data/data/com.google.android.apps.authenticator2/databases/databases',
      counts: { accounts: 3 },
      details: { secretsInClear: 3 },
    },
  ],
  // The work account's secret is only in encrypted_oath_secret_key (Keystore-wrapped): two of three are in clear.
  'microsoft-authenticator': [
    {
      file: 'device/data/data/com.azure.authenticator/databases/PhoneFactor',
      counts: { accounts: 3 },
      details: { secretsInClear: 2, rowsWithEncryptedFields: 1 },
    },
  ],
};

describe('SQLite artifact case table', () => {
  it('covers every built-in SQLite artifact parser', () => {
    expect(EXPECTED.map(([id]) => id)).toEqual(sqliteArtifactParsers.map((p) => p.meta.id));
  });
});

for (const [id, artifactId, counts] of EXPECTED) {
  const parser = sqliteArtifactParsers.find((p) => p.meta.id === id);
  if (!parser) continue; // reported by the coverage test above
  testParser(
    parser,
    {
      fixtures: new URL(`../../fixtures/${id}/`, import.meta.url),
      valid: [
        { file: 'sample.db', artifact: { id: artifactId, counts } },
        ...(DEVICE[id] ?? []).map((d) => ({
          file: d.file,
          artifact: { id: artifactId, counts: d.counts },
          details: d.details as Record<string, unknown>,
        })),
      ],
      invalid: [
        { file: 'missing-column.db', diagnostics: [], name: 'a required column (or table) is missing: not called' },
        { file: 'truncated.db', diagnostics: [], name: 'truncated copy: not called' },
      ],
      // .sqlite files are other tests' fixtures (ios-notes: apple-notes-locked.test.ts).
      ignore: ['**/*.sqlite'],
    },
    { framework: { describe, it } },
  );
}
