/**
 * SQLite companions: reads the database's `-wal` sibling (when the source can
 * reach it) and reports its frames — valid, committed, after the last
 * commit, left over from earlier generations — and whether a `-journal`
 * sibling (a rollback journal, "hot" after a crash) is present. The main
 * file's freelist page count is in `sqlite-summary`.
 * Reference: https://www.sqlite.org/fileformat2.html §4 and
 * https://www.sqlite.org/wal.html (checkpoints).
 */
import { defineParser } from '@evtriage/core/contract';
import { analyseWal } from './wal-frames.js';

/** Largest -wal read whole (about 16,000 frames of 4 KiB pages); larger ones are reported with their size only. */
export const MAX_WAL_BYTES = 64 * 1024 * 1024;

/** The WAL file format version of every WAL SQLite writes (file format 4.1). */
const WAL_FORMAT_VERSION = 3007000;

export const sqliteWalParser = defineParser({
  meta: {
    id: 'sqlite-wal',
    version: '1.0.0',
    title: 'SQLite WAL and journal companions',
    formats: ['sqlite'],
    diagnostics: {
      SQLITE_WAL_NOT_WAL: 'A -wal sibling exists but has no valid WAL header.',
      SQLITE_WAL_PAGE_SIZE_MISMATCH: 'The -wal page size differs from the database page size.',
      SQLITE_WAL_TOO_LARGE: 'The -wal sibling is larger than the size read whole; its frames were not counted.',
      SQLITE_WAL_VERSION:
        'The WAL header gives a format version other than 3007000, the only one SQLite writes: SQLite itself refuses to open such a WAL (and so the database beside it).',
    },
  },
  priority: 20,
  async parse(ctx) {
    const details: Record<string, unknown> = {};
    let wal: Buffer | undefined;
    try {
      wal = await ctx.readSibling('-wal', MAX_WAL_BYTES);
    } catch (err) {
      const size =
        (err as { code?: string; size?: number }).code === 'SIBLING_TOO_LARGE'
          ? (err as { size: number }).size
          : undefined;
      if (size === undefined) throw err;
      details['wal'] = { present: true, bytes: size, counted: false };
      ctx.report({
        code: 'SQLITE_WAL_TOO_LARGE',
        severity: 'info',
        message: `the -wal sibling is ${size} bytes (more than ${MAX_WAL_BYTES}); frames not counted`,
      });
    }
    let journal: Buffer | undefined;
    try {
      journal = await ctx.readSibling('-journal', 512);
    } catch (err) {
      if ((err as { code?: string }).code !== 'SIBLING_TOO_LARGE') throw err;
      journal = Buffer.alloc(0);
      details['journal'] = { present: true, bytes: (err as { size: number }).size };
    }
    if (!wal && !journal && !details['wal']) return undefined;
    if (journal && !details['journal']) details['journal'] = { present: true, bytes: journal.length };
    if (wal) {
      const figures = analyseWal(wal);
      if (!figures) {
        details['wal'] = { present: true, bytes: wal.length, valid: false };
        if (wal.length > 0)
          ctx.report({
            code: 'SQLITE_WAL_NOT_WAL',
            severity: 'warning',
            message: `the -wal sibling (${wal.length} bytes) has no valid WAL header`,
          });
      } else {
        details['wal'] = {
          present: true,
          valid: figures.headerValid,
          ...figures,
          holdsFrames: figures.committedFrames > 0,
        };
        // File format 4.1: bytes 4-7 of the WAL header, 3007000 in every WAL SQLite has written.
        const version = wal.readUInt32BE(4);
        if (version !== WAL_FORMAT_VERSION)
          ctx.report({
            code: 'SQLITE_WAL_VERSION',
            severity: 'warning',
            message: `-wal format version ${version}, not ${WAL_FORMAT_VERSION}: SQLite would refuse to open it (the frames are counted here as the layout reads)`,
          });
        const head = ctx.probe.head;
        const raw = head.length >= 18 ? (head[16]! << 8) | head[17]! : 0;
        const dbPageSize = raw === 1 ? 65536 : raw;
        if (dbPageSize && dbPageSize !== figures.pageSize) {
          ctx.report({
            code: 'SQLITE_WAL_PAGE_SIZE_MISMATCH',
            severity: 'warning',
            message: `-wal page size ${figures.pageSize}, database page size ${dbPageSize}: the WAL may belong to another database`,
          });
        }
      }
    }
    return { details };
  },
});
