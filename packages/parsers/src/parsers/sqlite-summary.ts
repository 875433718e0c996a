/**
 * SQLite summary: every table with its row count, the header's page size,
 * user version and freelist page count (freelist pages may hold deleted
 * records). Reads a private copy; the evidence is never opened by SQLite.
 * Reference: https://www.sqlite.org/fileformat2.html §1.3 (header offsets 16, 36, 60).
 */
import { defineParser } from '@evtriage/core/contract';
import { quoteIdent } from '@evtriage/core/helpers';

/** Tables listed at most; the rest are counted. */
const MAX_TABLES = 500;

export const sqliteSummaryParser = defineParser({
  meta: {
    id: 'sqlite-summary',
    version: '1.0.0',
    title: 'SQLite table inventory',
    formats: ['sqlite'],
    diagnostics: {
      SQLITE_TABLE_UNREADABLE: 'A table could not be counted (corrupt pages).',
      SQLITE_VIRTUAL_TABLE_MODULE:
        'A virtual table whose module (an SQLite extension: SpatiaLite, sqlite-vec...) is not loaded here; a virtual table keeps no rows of its own, and the shadow tables that hold its data are counted.',
      SQLITE_TOO_MANY_TABLES: 'More tables than are listed.',
    },
  },
  priority: 10,
  parse(ctx) {
    const db = ctx.sqlite;
    if (!db) return undefined;
    const head = ctx.probe.head;
    const view = Buffer.from(head.buffer, head.byteOffset, head.length);
    const rawPageSize = head.length >= 18 ? view.readUInt16BE(16) : 0;
    const tables: Array<{ name: string; rows: number | null; columns: number }> = [];
    const all = [...db.tables()].filter(([name]) => !name.startsWith('sqlite_'));
    for (const [name, columns] of all.slice(0, MAX_TABLES)) {
      let rows: number | null = null;
      try {
        rows = Number((db.get(`SELECT count(*) AS n FROM ${quoteIdent(name)}`) as { n: number | bigint }).n);
      } catch (err) {
        const message = (err as Error).message;
        // Not damage: the extension that implements the table is not part of this SQLite build.
        const module = /^no such module: (.+)$/.exec(message)?.[1];
        ctx.report(
          module
            ? {
                code: 'SQLITE_VIRTUAL_TABLE_MODULE',
                severity: 'info',
                message: `table ${name}: a virtual table of the module ${module}, not loaded here (its data, if any, is in shadow tables)`,
              }
            : { code: 'SQLITE_TABLE_UNREADABLE', severity: 'warning', message: `table ${name}: ${message}` },
        );
      }
      tables.push({ name, rows, columns: columns.length });
    }
    if (all.length > MAX_TABLES)
      ctx.report({
        code: 'SQLITE_TOO_MANY_TABLES',
        severity: 'info',
        message: `${all.length} tables; the first ${MAX_TABLES} are listed.`,
      });
    return {
      details: {
        pageSize: rawPageSize === 1 ? 65536 : rawPageSize,
        pageCount: head.length >= 32 ? view.readUInt32BE(28) : null,
        freelistPages: head.length >= 40 ? view.readUInt32BE(36) : null,
        userVersion: head.length >= 64 ? view.readUInt32BE(60) : null,
        walMode: head[18] === 2 || head[19] === 2,
        tableCount: all.length,
        totalRows: tables.reduce((n, t) => n + (t.rows ?? 0), 0),
        tables,
      },
    };
  },
});
