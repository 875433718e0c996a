/**
 * The Apple data-protection keychain, keychain-2.db (iOS `/private/var/Keychains/`,
 * macOS `~/Library/Keychains/<UUID>/`): a readable SQLite database whose item
 * tables (genp generic passwords, inet internet passwords, cert, keys) keep
 * each secret, and on current systems most attributes, in the `data` column
 * as an encrypted blob: version (u32 LE), protection class (u32 LE), the
 * length of the wrapped per-item key and that key (AES-wrapped with the
 * class key), then AES-GCM ciphertext. The class keys are in the system
 * keybag, unwrapped by the Secure Enclave with the device UID and, for most
 * classes, the passcode: a dedicated secret store whose secrets no file of
 * the extraction opens, so encrypted (scope partial: access groups and row
 * counts stay readable), as for a macOS login keychain or Firefox key4.db.
 * References: Apple Platform Security guide ("Keychain data protection",
 * protection classes); iphone-dataprotection keychain tools (keychain4.py:
 * the blob layout "<LL" version and class, then the wrapped-key length).
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';

const FORMAT = { id: 'apple-keychain-db', name: 'Apple keychain database (keychain-2.db)' };
const TABLES = ['genp', 'inet', 'cert', 'keys'] as const;

export const appleKeychainDbParser = defineParser({
  meta: {
    id: 'apple-keychain-db',
    version: '1.0.0',
    title: 'Apple keychain-2.db: items encrypted with data-protection class keys',
    formats: ['sqlite'],
    diagnostics: { KEYCHAIN_DB_UNREAD: 'The keychain item tables could not be read: {reason}.' },
  },
  requires: { sqlite: { tables: { genp: ['data', 'agrp'], inet: ['data', 'agrp'] } } },
  priority: 20,
  parse(ctx): ParseResult | undefined {
    const db = ctx.sqlite;
    if (!db) return undefined;
    const counts: Record<string, number> = {};
    let first: Buffer | undefined;
    try {
      for (const t of TABLES) {
        if (!db.tables().get(t)?.includes('data')) continue;
        const row = db.get(`SELECT count(*) AS n FROM ${t} WHERE data IS NOT NULL AND length(data) > 0`) as {
          n: number | bigint;
        };
        counts[t] = Number(row.n);
        if (!first && counts[t] > 0) {
          const blob = (db.get(`SELECT data FROM ${t} WHERE length(data) >= 8 LIMIT 1`) as { data?: unknown }).data;
          if (Buffer.isBuffer(blob)) first = blob;
        }
      }
    } catch (err) {
      ctx.report({
        code: 'KEYCHAIN_DB_UNREAD',
        severity: 'warning',
        message: `The keychain item tables could not be read: ${(err as Error).message}.`,
      });
      return undefined;
    }
    const items = Object.values(counts).reduce((a, b) => a + b, 0);
    if (items === 0 || !first) return { details: { keychainItems: 0 } };
    const version = first.readUInt32LE(0);
    const protectionClass = first.readUInt32LE(4);
    const figures = { items, ...counts, blobVersion: version, protectionClass };
    return {
      details: { keychainItems: items, itemsByTable: counts, blobVersion: version },
      reclassify: {
        status: 'encrypted',
        confidence: 0.93,
        format: FORMAT,
        reasons: [
          {
            code: 'KEYCHAIN_ITEMS_ENCRYPTED',
            message: `Keychain database: ${items} item(s) (${Object.entries(counts)
              .map(([t, n]) => `${t} ${n}`)
              .join(
                ', ',
              )}) whose data blobs are encrypted (blob version ${version}, protection class ${protectionClass} on the first): each needs its class key from the device keybag; the tables and access groups are readable.`,
            figures,
          },
        ],
      },
      encryption: {
        scheme: `apple-keychain-v${version}`,
        scope: 'partial',
        keyHint: {
          description:
            "The data-protection class keys in the device's system keybag, unwrapped by the Secure Enclave (device UID) and, for most classes, the passcode: no file of the extraction holds them.",
          kind: 'hardware',
          present: 'no',
        },
      },
    };
  },
});
