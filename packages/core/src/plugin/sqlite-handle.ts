/**
 * Read-only SQLite access for parsers. The database is opened from a private
 * copy, never from the evidence, so nothing can write to it and no
 * `-wal`/`-shm`/`-journal` is created or replayed beside it: small databases
 * are copied into memory (sqlite3_deserialize through better-sqlite3), larger
 * ones into a private temporary file (a 0700 folder under the OS temporary
 * folder, the file 0600, deleted on close and at exit), so memory does not grow
 * with the database. Either copy has its WAL-mode header bytes cleared.
 * Reference: https://www.sqlite.org/fileformat2.html (header bytes 18-19 are
 * the read/write versions; 2 means WAL mode).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { betterSqlite3 } from '../lazy-require.js';
import { openReadOnly } from '../sources/read-only.js';
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
  return handleOf(new (betterSqlite3())(copy, { readonly: true }), walModeCleared);
}

/** Databases up to this size are copied into memory; larger ones into a temporary file. */
export const SQLITE_MEMORY_COPY_BYTES = 256 * 1024;
const COPY_CHUNK_BYTES = 1024 * 1024;

/** Temporary folders of open on-disk copies, removed at exit if a handle was never closed. */
const liveCopies = new Set<string>();
let exitHooked = false;
function removeLiveCopies(): void {
  for (const dir of liveCopies) fs.rmSync(dir, { recursive: true, force: true });
  liveCopies.clear();
}

/** A path for a private copy: `copy.db` in a new 0700 folder, removed by `remove` (and at exit). */
function privateCopyPath(): { file: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-sqlite-'));
  liveCopies.add(dir);
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', removeLiveCopies);
  }
  const remove = () => {
    liveCopies.delete(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    fs.chmodSync(dir, 0o700);
  } catch (err) {
    remove();
    throw err;
  }
  return { file: path.join(dir, 'copy.db'), remove };
}

/**
 * Opens a private copy of the database whose bytes `source` reads (`size`
 * bytes), copied in 1 MiB chunks through the item's own reader (so a local
 * file is read as every read is, O_NOATIME where allowed) and never held in
 * memory whole; small databases are copied into memory. The copy is opened
 * read-only; it has no journal or WAL beside it, so nothing is replayed.
 */
export async function openSqlitePrivateCopy(source: {
  size: number;
  read(position: number, length: number): Promise<Buffer>;
}): Promise<SqliteHandle> {
  if (source.size <= SQLITE_MEMORY_COPY_BYTES) return openSqliteCopy(await source.read(0, source.size));
  const { file, remove } = privateCopyPath();
  try {
    const out = await fs.promises.open(file, 'wx', 0o600);
    try {
      for (let at = 0; at < source.size;) {
        const chunk = await source.read(at, Math.min(COPY_CHUNK_BYTES, source.size - at));
        if (chunk.length === 0) break;
        await out.write(chunk, 0, chunk.length, at);
        at += chunk.length;
      }
    } finally {
      await out.close();
    }
    const walModeCleared = clearWalMode(file);
    const db = new (betterSqlite3())(file, { readonly: true, fileMustExist: true });
    return handleOf(db, walModeCleared, remove);
  } catch (err) {
    remove();
    throw err;
  }
}

/**
 * The same private on-disk copy for a local file, synchronously (a source's
 * constructor reading an iOS backup's Manifest.db): read read-only (O_NOATIME
 * where allowed) in 1 MiB chunks, never held in memory whole.
 */
export function openSqliteFileCopySync(localPath: string): SqliteHandle {
  const { file, remove } = privateCopyPath();
  try {
    const from = openReadOnly(localPath);
    const to = fs.openSync(file, 'wx', 0o600);
    try {
      const chunk = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
      for (let at = 0; ;) {
        const n = fs.readSync(from, chunk, 0, chunk.length, at);
        if (n === 0) break;
        for (let w = 0; w < n;) w += fs.writeSync(to, chunk, w, n - w, at + w);
        at += n;
      }
    } finally {
      fs.closeSync(from);
      fs.closeSync(to);
    }
    return handleOf(new (betterSqlite3())(file, { readonly: true, fileMustExist: true }), clearWalMode(file), remove);
  } catch (err) {
    remove();
    throw err;
  }
}

/** Sets header bytes 18-19 to 1 in the copy when they say WAL (2), so no -wal/-shm is looked for. */
function clearWalMode(file: string): boolean {
  const fd = fs.openSync(file, 'r+');
  try {
    const head = Buffer.alloc(20);
    if (fs.readSync(fd, head, 0, 20, 0) < 20 || (head[18] !== 2 && head[19] !== 2)) return false;
    fs.writeSync(fd, Buffer.from([1, 1]), 0, 2, 18);
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

function handleOf(db: Database.Database, walModeCleared: boolean, onClose?: () => void): SqliteHandle {
  try {
    // Opening reads nothing yet: read the schema now, so a damaged header or page size fails here,
    // as an open failure the engine records, instead of in the first query of a parser.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (err) {
    db.close();
    onClose?.();
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
      const rows = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as Array<{
        name: string;
      }>;
      for (const { name } of rows) {
        let columns: string[] = [];
        try {
          columns = (db.prepare(`PRAGMA table_info(${quoteIdent(name)})`).all() as Array<{ name: string }>).map(
            (c) => c.name,
          );
        } catch {
          // Virtual tables whose module is not compiled in (fts5 variants, rtree...) keep their name, without columns.
        }
        tables.set(name, columns);
      }
      return tables;
    },
    all: (sql, ...params) => prepare(sql).all(...params),
    get: (sql, ...params) => prepare(sql).get(...params),
    close: () => {
      db.close();
      onClose?.();
    },
  };
}
