/**
 * The declarative helper for the most common plugin: a known SQLite artifact
 * (an app's message store, a call log) recognised by the tables and columns
 * it must have, summarised by headline counts. Built on `defineParser` and
 * `requires.sqlite`, so the engine checks the tables before any plugin code
 * runs, and the counts are plain read-only SQL the handle refuses to run if
 * they could write.
 * Model: plaso's SQLite plugins (`REQUIRED_STRUCTURE` plus queries),
 * https://github.com/log2timeline/plaso/blob/main/plaso/parsers/sqlite_plugins/interface.py
 */
import picomatch from 'picomatch';
import type { KeyHint } from '../model/encryption.js';
import { defineParser } from './define.js';
import { quoteIdent } from './sql-ident.js';
import type { SqliteHandle } from './sqlite-handle.js';
import type { ParseContext, ParseResult, ParserPlugin, PluginMeta } from './types.js';

/** The diagnostic every SQLite artifact parser may report, declared for it. */
export const SQLITE_COUNT_FAILED = 'SQLITE_COUNT_FAILED';

/**
 * One headline count: a read-only query whose first column of the first row
 * is a whole number (`SELECT count(*) FROM sms WHERE type = 1`), or
 * `{ rows: ... }`, the rows of one or more tables added up, where tables the
 * database lacks are left out (a count none of whose tables exist is left out
 * of the result, without a diagnostic: optional tables of other app versions).
 */
export type SqliteCount = string | { rows: string | readonly string[] };

/** Columns an app encrypts inside its otherwise readable database. */
export interface SqliteEncryptedFields {
  /** Encryption scheme id recorded on the item (`kakaotalk-field-aes`). */
  scheme: string;
  /** `table.column` names; columns the database lacks are ignored. */
  fields: readonly string[];
  /** What would unlock the values, recorded with the scheme. */
  keyHint?: KeyHint;
}

export interface SqliteArtifactSpec {
  /** Id, version, title... as for any plugin. `formats` defaults to `['sqlite']`. */
  meta: PluginMeta & { formats?: readonly string[] };
  /** What the item is, when it matches: `{ id: 'android-sms', name: 'Android SMS/MMS store' }`. */
  artifact: { id: string; name: string };
  /** Tables the database must have, each with the columns it must have (checked by the engine before `counts` run). */
  tables: Record<string, readonly string[]>;
  /**
   * Headline counts by name (see `SqliteCount`). A count that fails or gives
   * something other than a whole number is left out and reported as
   * `SQLITE_COUNT_FAILED`; the other counts still stand.
   */
  counts: Record<string, SqliteCount>;
  /** Globs over the item's logical path (picomatch syntax); when given, databases elsewhere are left alone. */
  paths?: readonly string[];
  /**
   * Columns the app encrypts: when any of them holds a value, the item gets
   * `encryption: { scope: 'partial', scheme }` (it stays analysable) and the
   * details `encryptedFields` and `rowsWithEncryptedFields`.
   */
  encryptedFields?: SqliteEncryptedFields;
  /** Extra details beyond the counts, computed from the open database (keep it small and bounded). */
  details?: (db: SqliteHandle) => Record<string, unknown>;
  /** Lower runs first; the first artifact wins. Default 40 (before generic SQLite summaries). */
  priority?: number;
  /** Largest database the parser looks at, in bytes. */
  maxSize?: number;
}

/**
 * Makes a parser that recognises a SQLite artifact by its tables and columns
 * and reports headline counts. The built-in artifact parsers are made with it.
 *
 * @example
 * export const acmeNotes = defineSqliteArtifact({
 *   meta: { id: 'acme-notes', version: '1.0.0', title: 'ACME Notes database' },
 *   artifact: { id: 'acme-notes', name: 'ACME Notes' },
 *   tables: { notes: ['id', 'title', 'body', 'created'], folders: ['id', 'name'] },
 *   counts: { notes: 'SELECT count(*) FROM notes', folders: { rows: 'folders' } },
 * });
 */
export function defineSqliteArtifact(spec: SqliteArtifactSpec): ParserPlugin {
  const { formats, diagnostics, ...meta } = spec.meta;
  const onPath = spec.paths && spec.paths.length > 0 ? picomatch([...spec.paths], { dot: true }) : undefined;
  return defineParser({
    meta: {
      ...meta,
      formats: formats ?? ['sqlite'],
      diagnostics: {
        [SQLITE_COUNT_FAILED]: 'A count query failed or did not give a whole number; that count is left out.',
        ...diagnostics,
      },
    },
    requires: { sqlite: { tables: spec.tables }, ...(spec.maxSize !== undefined ? { maxSize: spec.maxSize } : {}) },
    priority: spec.priority ?? 40,
    parse(ctx) {
      const db = ctx.sqlite;
      if (!db) return undefined;
      if (onPath && !onPath(ctx.item.logicalPath ?? ctx.item.path)) return undefined;
      const counts: Record<string, number> = {};
      for (const [name, count] of Object.entries(spec.counts)) {
        const n = typeof count === 'string' ? queryCount(db, name, count, ctx) : rowsCount(db, name, count.rows, ctx);
        if (n !== undefined) counts[name] = n;
      }
      const result: ParseResult = { artifact: { id: spec.artifact.id, name: spec.artifact.name, counts } };
      if (spec.encryptedFields) {
        const fields = spec.encryptedFields;
        let rows = 0;
        try {
          rows = encryptedRows(db, fields.fields);
        } catch (err) {
          ctx.report({
            code: SQLITE_COUNT_FAILED,
            severity: 'warning',
            message: `encrypted fields: ${(err as Error).message}`,
          });
        }
        if (rows > 0) {
          result.encryption = {
            scheme: fields.scheme,
            scope: 'partial',
            ...(fields.keyHint ? { keyHint: { ...fields.keyHint } } : {}),
          };
          result.details = { encryptedFields: [...fields.fields], rowsWithEncryptedFields: rows };
        }
      }
      if (spec.details) {
        // A damaged database can fail any query; the counts above already stand, so a failure here is a warning.
        try {
          result.details = { ...result.details, ...spec.details(db) };
        } catch (err) {
          ctx.report({ code: SQLITE_COUNT_FAILED, severity: 'warning', message: `details: ${(err as Error).message}` });
        }
      }
      return result;
    },
  });
}

/** The whole number a count query gives, or undefined (reported) when it fails or gives anything else. */
function queryCount(db: SqliteHandle, name: string, sql: string, ctx: ParseContext): number | undefined {
  try {
    const row = db.get(sql) as Record<string, unknown> | undefined;
    const value = row ? Object.values(row)[0] : undefined;
    const n = typeof value === 'bigint' ? Number(value) : value;
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n;
    const got = row ? JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) : 'no row';
    ctx.report({
      code: SQLITE_COUNT_FAILED,
      severity: 'warning',
      message: `count ${name}: the query gave ${got}, not a whole number`,
    });
  } catch (err) {
    ctx.report({ code: SQLITE_COUNT_FAILED, severity: 'warning', message: `count ${name}: ${(err as Error).message}` });
  }
  return undefined;
}

/** The rows of the tables that exist, added up; undefined when none exists. A table that cannot be counted is reported and left out. */
function rowsCount(
  db: SqliteHandle,
  name: string,
  tables: string | readonly string[],
  ctx: ParseContext,
): number | undefined {
  let total: number | undefined;
  for (const table of typeof tables === 'string' ? [tables] : tables) {
    try {
      if (!db.tables().has(table)) continue;
      const n = Number((db.get(`SELECT count(*) AS n FROM ${quoteIdent(table)}`) as { n: number | bigint }).n);
      total = (total ?? 0) + n;
    } catch (err) {
      ctx.report({
        code: SQLITE_COUNT_FAILED,
        severity: 'warning',
        message: `count ${name} (table ${table}): ${(err as Error).message}`,
      });
    }
  }
  return total;
}

/** Rows holding a value in any of the encrypted columns that exist. */
function encryptedRows(db: SqliteHandle, fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) {
    const [table, column] = f.split('.') as [string, string];
    if (!db.tables().get(table)?.includes(column)) continue;
    const c = quoteIdent(column);
    n += Number(
      (
        db.get(`SELECT count(*) AS n FROM ${quoteIdent(table)} WHERE ${c} IS NOT NULL AND length(${c}) > 0`) as {
          n: number | bigint;
        }
      ).n,
    );
  }
  return n;
}
