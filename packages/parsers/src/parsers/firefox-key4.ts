/**
 * NSS key4.db (Firefox 58+, Thunderbird, certutil sql: databases): a readable
 * SQLite file whose private keys are wrapped with a key derived from the
 * master (primary) password. The metaData row 'password' holds the global
 * salt (item1) and an encrypted "password-check" value (item2); if it
 * decrypts with the empty password there is no master password and the keys
 * are readable (analysable), else the database is locked (encrypted).
 * References: NSS lib/softoken/sftkpwd.c (sftkdb_CheckPassword, "password"
 * metaData entry), lib/softoken/lowpbe.c (PBES2 and SHA-1/3DES PBE).
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';
import { emptyPasswordOpensKey4, MASTER_PASSWORD_HINT, type CheckResult } from '../detectors/nss-keydb.js';

const FORMAT = { id: 'firefox-key4-db', name: 'NSS key4.db (SQLite key database)' };

export const firefoxKey4Parser = defineParser({
  meta: {
    id: 'firefox-key4',
    version: '1.0.0',
    title: 'NSS key4.db: is a master password set?',
    formats: ['sqlite'],
    diagnostics: { NSS_KEY4_UNCHECKED: 'The key4.db password check could not be evaluated: {reason}.' },
  },
  requires: { sqlite: { tables: { metaData: ['id', 'item1', 'item2'], nssPrivate: [] } } },
  priority: 20,
  parse(ctx): ParseResult | undefined {
    let row: { item1?: unknown; item2?: unknown } | undefined;
    let keys: number;
    try {
      row = ctx.sqlite?.get("SELECT item1, item2 FROM metaData WHERE id = 'password'") as
        { item1?: unknown; item2?: unknown } | undefined;
      keys = (ctx.sqlite?.get('SELECT count(*) AS n FROM nssPrivate') as { n?: number } | undefined)?.n ?? 0;
    } catch (err) {
      ctx.report({
        code: 'NSS_KEY4_UNCHECKED',
        severity: 'info',
        message: `The key4.db password check could not be evaluated: ${(err as Error).message}.`,
      });
      return undefined;
    }
    if (!row || !Buffer.isBuffer(row.item1) || !Buffer.isBuffer(row.item2)) {
      ctx.report({
        code: 'NSS_KEY4_UNCHECKED',
        severity: 'info',
        message: 'The key4.db password check could not be evaluated: no metaData "password" row.',
      });
      return undefined;
    }
    let check: CheckResult;
    try {
      check = emptyPasswordOpensKey4(row.item1, row.item2);
    } catch (err) {
      check = { unsupported: `the stored check value could not be decrypted (${(err as Error).message})` };
    }
    if ('unsupported' in check) {
      ctx.report({
        code: 'NSS_KEY4_UNCHECKED',
        severity: 'info',
        message: `The key4.db password check could not be evaluated: ${check.unsupported}.`,
      });
      return { details: { passwordCheck: 'unsupported' } };
    }
    if (check.opens) {
      return {
        details: { passwordCheck: 'empty-password-opens', scheme: check.scheme, privateKeys: keys },
        reclassify: {
          status: 'analysable',
          confidence: 0.96,
          format: FORMAT,
          reasons: [
            {
              code: 'NSS_KEY4_EMPTY_PASSWORD_OPENS',
              message: `NSS key4.db: the metaData "password-check" value decrypts with the empty password (${check.scheme}), so no master password is set; its ${keys} private key(s) are readable.`,
              figures: { privateKeys: keys },
            },
          ],
        },
      };
    }
    return {
      details: { passwordCheck: 'master-password-required', scheme: check.scheme, privateKeys: keys },
      reclassify: {
        status: 'encrypted',
        confidence: 0.95,
        format: FORMAT,
        reasons: [
          {
            code: 'NSS_KEY4_MASTER_PASSWORD',
            message: `NSS key4.db: the metaData "password-check" value does not decrypt with the empty password (${check.scheme}): a master password protects its ${keys} private key(s) and the saved logins they unlock.`,
            figures: { privateKeys: keys },
          },
        ],
      },
      encryption: { scheme: check.scheme, scope: 'partial', keyHint: MASTER_PASSWORD_HINT },
    };
  },
});
