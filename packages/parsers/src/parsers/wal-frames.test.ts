import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseWal, WAL_FRAME_HEADER_BYTES, WAL_HEADER_BYTES } from './wal-frames.js';

let dir: string;
let wal: Buffer;
let framesReported: number;

beforeAll(() => {
  // A real WAL: two committed transactions and one page-heavy one, never checkpointed.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-wal-'));
  const db = new Database(path.join(dir, 'w.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  db.prepare('INSERT INTO t (v) VALUES (?)').run('a');
  db.exec(
    `INSERT INTO t (v) SELECT printf('%.2000c', 'x') FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) SELECT i FROM n)`,
  );
  wal = fs.readFileSync(path.join(dir, 'w.db-wal'));
  framesReported = (db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>)[0]!.log;
  db.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('WAL frame analysis', () => {
  it('counts the frames SQLite reports, all committed', () => {
    const f = analyseWal(wal)!;
    expect(f).toMatchObject({
      headerValid: true,
      pageSize: 4096,
      frames: framesReported,
      validFrames: framesReported,
      committedFrames: framesReported,
      commits: 3,
      uncommittedFrames: 0,
      staleFrames: 0,
      trailingBytes: 0,
    });
  });

  it('stops the valid chain at a flipped byte in a frame, and counts what follows as unverifiable', () => {
    const bad = Buffer.from(wal);
    const frameSize = WAL_FRAME_HEADER_BYTES + 4096;
    bad[WAL_HEADER_BYTES + 2 * frameSize + WAL_FRAME_HEADER_BYTES + 100]! ^= 0xff;
    const f = analyseWal(bad)!;
    expect(f.validFrames).toBe(2);
    expect(f.frames).toBe(framesReported);
  });

  it('handles a truncated WAL (partial last frame) and rejects what is not a WAL', () => {
    const cut = analyseWal(wal.subarray(0, wal.length - 1000))!;
    expect(cut.frames).toBe(framesReported - 1);
    expect(cut.trailingBytes).toBe(WAL_FRAME_HEADER_BYTES + 4096 - 1000);
    expect(analyseWal(Buffer.alloc(10))).toBeUndefined();
    expect(analyseWal(Buffer.from('SQLite format 3\0'.padEnd(64, '\0')))).toBeUndefined();
    const badHeader = Buffer.from(wal);
    badHeader[20]! ^= 1; // salt changed: header checksum and every frame fail
    const f = analyseWal(badHeader)!;
    expect(f.headerValid).toBe(false);
    expect(f.validFrames).toBe(0);
  });
});
