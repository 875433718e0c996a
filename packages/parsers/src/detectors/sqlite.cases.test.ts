/** Fixture cases for the sqlite detector, with @evtriage/core/testing (fixtures: ../../fixtures/sqlite/, generate.sh). */
import { testDetector } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { sqliteDetector } from './sqlite.js';

testDetector(
  sqliteDetector,
  {
    fixtures: new URL('../../fixtures/sqlite/', import.meta.url),
    valid: [
      { file: 'plain.db', format: 'sqlite', status: 'analysable', confidence: 0.99, reasons: ['SQLITE_HEADER'] },
      {
        file: 'renamed-database.bin',
        format: 'sqlite',
        status: 'analysable',
        name: 'a database named .bin: content decides',
      },
      {
        file: 'wal.db',
        format: 'sqlite',
        status: 'analysable',
        reasons: ['SQLITE_HEADER'],
        name: 'a WAL-mode database',
      },
      { file: 'wal.db-wal', format: 'sqlite-wal', status: 'analysable', reasons: ['SQLITE_WAL_HEADER'] },
      {
        file: 'random-blobs.db-wal',
        name: 'a plain log whose pages are mostly random blobs',
        format: 'sqlite-wal',
        status: 'analysable',
      },
      {
        file: 'sqlcipher.db-journal',
        name: 'the hot journal of a SQLCipher database: records of encrypted pages',
        format: 'sqlite-journal-encrypted',
        status: 'encrypted',
        reasons: ['SQLITE_JOURNAL_ENCRYPTED_PAGES'],
        encryption: { scheme: 'sqlcipher' },
      },
      {
        file: 'sqlcipher.db-wal',
        name: 'the WAL of a SQLCipher database: frames of encrypted pages',
        format: 'sqlite-wal-encrypted',
        status: 'encrypted',
        reasons: ['SQLITE_WAL_ENCRYPTED_PAGES'],
        encryption: { scheme: 'sqlcipher' },
      },
      { file: 'wal.db-shm', format: 'sqlite-shm', status: 'analysable', reasons: ['SQLITE_SHM_HEADER'] },
      { file: 'journal.db-journal', format: 'sqlite-journal', status: 'analysable', name: 'a hot rollback journal' },
    ],
    invalid: [
      { file: 'header-in-text.txt', name: 'text that starts like the header' },
      { file: 'magic-then-overwritten.db', name: 'the magic, then random bytes (no page size, no payload fractions)' },
      { file: 'magic-then-overwritten.db-wal', name: 'the WAL magic and version, then random bytes (no checksum)' },
      { file: 'magic-then-overwritten.db-journal', name: 'the journal magic, then random bytes (no sector size)' },
    ],
  },
  { framework: { describe, it } },
);
