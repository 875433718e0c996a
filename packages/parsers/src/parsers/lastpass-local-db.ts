/**
 * LastPass's local vault cache in the browser extension (Chrome on Windows:
 * an SQLite file with the table LastPassData(id, username_hash, type, data)):
 * per user, a `key` row (the vault key encrypted with the master password's
 * key, base64), an `rsakey` row (the sharing key, encrypted, hex) and an
 * `accts` row ("iterations=<n>;" then the base64 vault blob, an LPAV chunk
 * stream whose account fields are AES-encrypted). The database opens, the
 * user hashes and icons are readable, the vault is not: encrypted, partial.
 * References: the LastPass README and LastPassData_chrome_*.sql in
 * openwall/john-samples; lastpass2john.py (the iterations and the key row).
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';

const FORMAT = { id: 'lastpass-local-db', name: 'LastPass local vault database (LastPassData)' };
const SECRET_TYPES = ['key', 'rsakey', 'accts'] as const;

export const lastpassLocalDbParser = defineParser({
  meta: {
    id: 'lastpass-local-db',
    version: '1.0.0',
    title: 'LastPass extension local database: the vault kept encrypted in LastPassData',
    formats: ['sqlite'],
    diagnostics: { LASTPASS_DB_UNREAD: 'The LastPassData table could not be read: {reason}.' },
  },
  requires: { sqlite: { tables: { LastPassData: ['username_hash', 'type', 'data'] } } },
  priority: 20,
  parse(ctx): ParseResult | undefined {
    const db = ctx.sqlite;
    if (!db) return undefined;
    const counts: Record<string, number> = {};
    let accts: unknown;
    let users: number;
    // A damaged copy can fail on any query: every read is inside the try, and a failure is a diagnostic.
    try {
      const rows = db.all(
        `SELECT type, count(*) AS n FROM LastPassData WHERE data IS NOT NULL AND length(data) > 0 GROUP BY type`,
      ) as { type: unknown; n: number | bigint }[];
      for (const r of rows) counts[String(r.type)] = Number(r.n);
      accts = (
        db.get(`SELECT substr(data, 1, 32) AS head FROM LastPassData WHERE type = 'accts' LIMIT 1`) as
          { head?: unknown } | undefined
      )?.head;
      users = Number(
        (db.get(`SELECT count(DISTINCT username_hash) AS n FROM LastPassData`) as { n: number | bigint }).n,
      );
    } catch (err) {
      ctx.report({ code: 'LASTPASS_DB_UNREAD', severity: 'warning', data: { reason: (err as Error).message } });
      return undefined;
    }
    const secretRows = SECRET_TYPES.reduce((sum, t) => sum + (counts[t] ?? 0), 0);
    if (secretRows === 0) return { details: { lastpassRows: counts } };
    const iterations = /^iterations=(\d+);/.exec(typeof accts === 'string' ? accts : '')?.[1];
    const present = SECRET_TYPES.filter((t) => counts[t]).join(', ');
    return {
      details: { lastpassRows: counts, users },
      reclassify: {
        status: 'encrypted',
        confidence: 0.93,
        format: FORMAT,
        reasons: [
          {
            code: 'LASTPASS_LOCAL_VAULT',
            message:
              `LastPassData table with encrypted vault rows (${present}) for ${users} user(s)` +
              `${iterations ? `, key derivation ${iterations} PBKDF2-SHA256 iterations` : ''}: the vault key and the accounts need the master password; user hashes and icons are readable.`,
            figures: { users, secretRows, iterations: iterations ? Number(iterations) : 'unknown' },
          },
        ],
      },
      encryption: {
        scheme: 'lastpass-aes-256',
        scope: 'partial',
        keyHint: {
          description:
            "The LastPass master password (PBKDF2-SHA256 with the account's e-mail address as salt; the iteration count is in the accts row).",
          kind: 'password',
          present: 'unknown',
        },
      },
    };
  },
});
