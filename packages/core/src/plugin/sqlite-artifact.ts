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
import { defineParser } from './define.js';
import type { SqliteHandle } from './sqlite-handle.js';
import type { ParserPlugin, PluginMeta } from './types.js';

/** The diagnostic every SQLite artifact parser may report, declared for it. */
export const SQLITE_COUNT_FAILED = 'SQLITE_COUNT_FAILED';

export interface SqliteArtifactSpec {
  /** Id, version, title... as for any plugin. `formats` defaults to `['sqlite']`. */
  meta: PluginMeta & { formats?: readonly string[] };
  /** What the item is, when it matches: `{ id: 'android-sms', name: 'Android SMS/MMS store' }`. */
  artifact: { id: string; name: string };
  /** Tables the database must have, each with the columns it must have (checked by the engine before `counts` run). */
  tables: Record<string, readonly string[]>;
  /**
   * Headline counts: a name and a read-only query whose first column of the
   * first row is a whole number (`SELECT count(*) FROM sms WHERE type = 1`).
   * A query that fails or gives something else is left out and reported as
   * `SQLITE_COUNT_FAILED`; the other counts still stand.
   */
  counts: Record<string, string>;
  /** Globs over the item's logical path (picomatch syntax); when given, databases elsewhere are left alone. */
  paths?: readonly string[];
  /** Extra details beyond the counts, computed from the open database (keep it small and bounded). */
  details?: (db: SqliteHandle) => Record<string, unknown>;
  /** Lower runs first; the first artifact wins. Default 40 (before generic SQLite summaries). */
  priority?: number;
  /** Largest database the parser looks at, in bytes. */
  maxSize?: number;
}

/**
 * Makes a parser that recognises a SQLite artifact by its tables and columns
 * and reports headline counts.
 *
 * @example
 * export const acmeNotes = defineSqliteArtifact({
 *   meta: { id: 'acme-notes', version: '1.0.0', title: 'ACME Notes database' },
 *   artifact: { id: 'acme-notes', name: 'ACME Notes' },
 *   tables: { notes: ['id', 'title', 'body', 'created'], folders: ['id', 'name'] },
 *   counts: { notes: 'SELECT count(*) FROM notes', folders: 'SELECT count(*) FROM folders' },
 * });
 */
export function defineSqliteArtifact(spec: SqliteArtifactSpec): ParserPlugin {
  const { formats, diagnostics, ...meta } = spec.meta;
  const onPath = spec.paths && spec.paths.length > 0 ? picomatch([...spec.paths], { dot: true }) : undefined;
  return defineParser({
    meta: {
      ...meta,
      formats: formats ?? ['sqlite'],
      diagnostics: { [SQLITE_COUNT_FAILED]: 'A count query failed or did not give a whole number; that count is left out.', ...diagnostics },
    },
    requires: { sqlite: { tables: spec.tables }, ...(spec.maxSize !== undefined ? { maxSize: spec.maxSize } : {}) },
    priority: spec.priority ?? 40,
    parse(ctx) {
      const db = ctx.sqlite;
      if (!db) return undefined;
      if (onPath && !onPath(ctx.item.logicalPath ?? ctx.item.path)) return undefined;
      const counts: Record<string, number> = {};
      for (const [name, sql] of Object.entries(spec.counts)) {
        try {
          const row = db.get(sql) as Record<string, unknown> | undefined;
          const value = row ? Object.values(row)[0] : undefined;
          const n = typeof value === 'bigint' ? Number(value) : value;
          if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) counts[name] = n;
          else ctx.report({ code: SQLITE_COUNT_FAILED, severity: 'warning', message: `count ${name}: the query gave ${row ? JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) : 'no row'}, not a whole number` });
        } catch (err) {
          ctx.report({ code: SQLITE_COUNT_FAILED, severity: 'warning', message: `count ${name}: ${(err as Error).message}` });
        }
      }
      return {
        artifact: { id: spec.artifact.id, name: spec.artifact.name, counts },
        ...(spec.details ? { details: spec.details(db) } : {}),
      };
    },
  });
}
