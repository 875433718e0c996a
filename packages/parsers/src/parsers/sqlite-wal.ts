/**
 * SQLite companions: reads the database's `-wal` sibling (when the source can
 * reach it) and reports its frames — valid, committed, after the last
 * commit, left over from earlier generations — and whether a `-journal`
 * sibling (a rollback journal, "hot" after a crash) is present. The main
 * file's freelist page count is in `sqlite-summary`.
 * Reference: https://www.sqlite.org/fileformat2.html §4 and
 * https://www.sqlite.org/wal.html (checkpoints).
 */
import { defineParser } from '@evtriage/core';
import { analyseWal } from './wal-frames.js';

export const sqliteWalParser = defineParser({
  meta: {
    id: 'sqlite-wal',
    version: '1.0.0',
    title: 'SQLite WAL and journal companions',
    formats: ['sqlite'],
    diagnostics: {
      SQLITE_WAL_NOT_WAL: 'A -wal sibling exists but has no valid WAL header.',
      SQLITE_WAL_PAGE_SIZE_MISMATCH: 'The -wal page size differs from the database page size.',
    },
  },
  priority: 20,
  async parse(ctx) {
    const wal = await ctx.readSibling('-wal');
    const journal = await ctx.readSibling('-journal', 512);
    if (!wal && !journal) return undefined;
    const details: Record<string, unknown> = {};
    if (journal) details['journal'] = { present: true, bytes: journal.length };
    if (wal) {
      const figures = analyseWal(wal);
      if (!figures) {
        details['wal'] = { present: true, bytes: wal.length, valid: false };
        if (wal.length > 0) ctx.report({ code: 'SQLITE_WAL_NOT_WAL', severity: 'warning', message: `the -wal sibling (${wal.length} bytes) has no valid WAL header` });
      } else {
        details['wal'] = { present: true, valid: figures.headerValid, ...figures, holdsFrames: figures.committedFrames > 0 };
        const head = ctx.probe.head;
        const raw = head.length >= 18 ? (head[16]! << 8) | head[17]! : 0;
        const dbPageSize = raw === 1 ? 65536 : raw;
        if (dbPageSize && dbPageSize !== figures.pageSize) {
          ctx.report({ code: 'SQLITE_WAL_PAGE_SIZE_MISMATCH', severity: 'warning', message: `-wal page size ${figures.pageSize}, database page size ${dbPageSize}: the WAL may belong to another database` });
        }
      }
    }
    return { details };
  },
});
