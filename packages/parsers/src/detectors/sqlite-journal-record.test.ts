/**
 * A rollback journal whose magic is zeroed (not synced, or PERSIST mode) is told by its first record's checksum,
 * whatever its name: real journals sqlite3 left behind (fixtures/sqlite/generate.sh, fixtures/sqlite-wal).
 */
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { sqliteDetector, zeroedJournalRecord } from './sqlite.js';
import { fixtureBytes, fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const journal = fixtureBytes('sqlite', 'journal.db-journal');
const detect = (bytes: Uint8Array, name: string) =>
  sqliteDetector.detect(wholeFileProbe(bytes, name), { limits: {} as never }) as Detection | undefined;

describe('sqlite rollback journal with a zeroed header, under any name', () => {
  it('checks the first record: page 2 of 2, the checksum the nonce plus every 200th byte', () => {
    expect(zeroedJournalRecord(journal, 512, 4096)).toEqual({ page: 2, databasePages: 2, checksum: 0xe1b0de8b });
    const d = detect(journal, 'f00001');
    expect(d?.format.id).toBe('sqlite-journal');
    expect(d?.reasons[0]?.code).toBe('SQLITE_JOURNAL_RECORD_CHECKSUM');
  });

  it('needs the name when the checksum fails (one sampled byte changed) or the record is cut', () => {
    const flipped = journal.slice();
    const sampled = 512 + 4 + 4096 - 200;
    flipped[sampled] = flipped[sampled]! ^ 1;
    expect(zeroedJournalRecord(flipped, 512, 4096)).toBeUndefined();
    expect(detect(flipped, 'f00001')).toBeUndefined();
    expect(detect(flipped, 'x.db-journal')?.reasons[0]?.code).toBe('SQLITE_JOURNAL_ZEROED_HEADER');
    expect(detect(journal.subarray(0, 512 + 4096), 'f00001')).toBeUndefined();
  });

  it('takes no record whose page is beyond the database, nor a zero nonce', () => {
    const beyond = journal.slice();
    beyond[512 + 3] = 3;
    expect(zeroedJournalRecord(beyond, 512, 4096)).toBeUndefined();
    const noNonce = journal.slice();
    noNonce.fill(0, 12, 16);
    expect(zeroedJournalRecord(noNonce, 512, 4096)).toBeUndefined();
  });

  fuzzFlipCutGrow(
    sqliteDetector,
    [
      ['f00001', journal],
      ['f00002', fixtureBytes('sqlite-wal', 'journaled.db-journal')],
    ],
    100,
    { wholeHalf: true },
  );
});
