/**
 * Fixture cases for the SQLite companions parser, with @evtriage/core/testing
 * (fixtures: ../../fixtures/sqlite-wal/, generate.sh with python3's sqlite3).
 * The -wal, -shm and -journal files are read as siblings of their database,
 * so they are not cases of their own.
 */
import { testParser } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { sqliteWalParser } from './sqlite-wal.js';

testParser(
  sqliteWalParser,
  {
    fixtures: new URL('../../fixtures/sqlite-wal/', import.meta.url),
    ignore: ['**/*.db-wal', '**/*.db-shm', '**/*.db-journal'],
    valid: [
      {
        file: 'live.db',
        details: {
          wal: {
            present: true,
            valid: true,
            pageSize: 4096,
            frames: 4,
            committedFrames: 4,
            commits: 3,
            uncommittedFrames: 0,
            staleFrames: 0,
            holdsFrames: true,
          },
        },
        name: 'WAL-mode database with three committed transactions not yet checkpointed',
      },
      {
        file: 'journaled.db',
        details: { journal: { present: true, bytes: 4616 } },
        name: 'a hot rollback journal beside the database',
      },
      { file: 'plain.db', details: null, name: 'no companions: nothing recorded' },
    ],
    invalid: [
      {
        file: 'bad-wal.db',
        diagnostics: ['SQLITE_WAL_NOT_WAL'],
        details: { wal: { present: true, bytes: 136, valid: false } },
        name: 'a -wal sibling that is not a WAL',
      },
      {
        file: 'wal-version.db',
        diagnostics: ['SQLITE_WAL_VERSION'],
        details: { wal: { present: true, valid: true, frames: 4, committedFrames: 4 } },
        name: 'a WAL whose format version is 4 (checksums recomputed): SQLite refuses it, the frames are still counted',
      },
    ],
  },
  { framework: { describe, it } },
);
