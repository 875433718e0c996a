/**
 * Read-only SQLite access for parsers. The database is opened from a private
 * in-memory copy (sqlite3_deserialize through better-sqlite3), so nothing can
 * write to the evidence and no `-wal`/`-journal` is created or replayed.
 * Reference: https://www.sqlite.org/fileformat2.html (header bytes 18-19 are
 * the read/write versions; 2 means WAL mode).
 */
import Database from 'better-sqlite3';
import { quoteIdent } from './sql-ident.js';

export interface SqliteHandle {
  /** Every table with its columns, from `sqlite_schema` (virtual tables included by name). */
  tables(): ReadonlyMap<string, readonly string[]>;
  /** Runs a read-only query; the handle refuses statements that are not read-only. */
  all(sql: string, ...params: unknown[]): unknown[];
  get(sql: string, ...params: unknown[]): unknown;
  /** Whether the copy was switched from WAL mode to rollback mode so it could be opened from memory. */
  readonly walModeCleared: boolean;
  close(): void;
}

/**
 * Opens a private copy of a database. Header bytes 18-19 are set to 1 in the
 * copy when they say WAL, because SQLite cannot open a WAL-mode database from
 * memory; the evidence is untouched.
 *
 * @example
 * const db = openSqliteCopy(await ctx.readAll());
 * db.tables().has('sms');
 */
export function openSqliteCopy(bytes: Buffer): SqliteHandle {
  const copy = Buffer.from(bytes);
  let walModeCleared = false;
  if (copy.length >= 100 && (copy[18] === 2 || copy[19] === 2)) {
    copy[18] = 1;
    copy[19] = 1;
    walModeCleared = true;
  }
  const db = new Database(copy, { readonly: true });
  try {
    // Deserialising never reads the file: read the schema now, so a damaged header or page size fails here,
    // as an open failure the engine records, instead of in the first query of a parser.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (err) {
    db.close();
    throw err;
  }
  let tables: Map<string, string[]> | undefined;
  const prepare = (sql: string) => {
    const stmt = db.prepare(sql);
    if (!stmt.readonly) throw new Error(`refused a statement that could write: ${sql}`);
    return stmt;
  };
  return {
    walModeCleared,
    tables() {
      if (tables) return tables;
      tables = new Map();
      const rows = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
      for (const { name } of rows) {
        let columns: string[] = [];
        try {
          columns = (db.prepare(`PRAGMA table_info(${quoteIdent(name)})`).all() as Array<{ name: string }>).map((c) => c.name);
        } catch {
          // Virtual tables whose module is not compiled in (fts5 variants, rtree...) keep their name, without columns.
        }
        tables.set(name, columns);
      }
      return tables;
    },
    all: (sql, ...params) => prepare(sql).all(...params),
    get: (sql, ...params) => prepare(sql).get(...params),
    close: () => db.close(),
  };
}
