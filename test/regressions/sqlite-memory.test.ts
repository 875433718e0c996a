/**
 * Memory does not grow with SQLite database size. Five names (hard links)
 * of one 200 MB Android SMS database in WAL mode, made here by the sqlite3
 * CLI (the shape of the shared regression make-bigdb-memory.py, with fewer,
 * larger rows so it is quick to write): scanned at the default concurrency,
 * all five are in flight at once, one more than the parse pool's most
 * children (4), so one also waits for a child. The engine used to read each
 * database into memory and deserialize it (~3x its size per item: one alone
 * is 600 MB; 16 x 200 MB took 3.9 GB); it now opens a private copy on disk.
 * Peak RSS must stay under 400 MiB, with every artifact count right and the
 * copies cleaned up. (Five, not sixteen as before: each link costs a 200 MB
 * private copy written and read, and more links than children prove nothing
 * more.)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCompleteManifest, runBuiltCliMeasured } from '../helpers/built-cli.js';

const ROWS = 2000;
const BODY_CHARS = 100_000;
const LINKS = 5;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-bigdb-'));
  const src = path.join(dir, 'src');
  fs.mkdirSync(src);
  const db = path.join(src, 'mmssms00.db');
  execFileSync(
    'sqlite3',
    [
      db,
      `PRAGMA journal_mode=wal; PRAGMA synchronous=off;
     CREATE TABLE threads(_id INTEGER PRIMARY KEY, recipient_ids TEXT);
     CREATE TABLE sms(_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, date INTEGER, body TEXT, type INTEGER);
     INSERT INTO threads(recipient_ids) VALUES('1');
     WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS - 1})
     INSERT INTO sms(thread_id, address, date, body, type) SELECT 1, '+1' || i, i, printf('%.${BODY_CHARS}c', 'x'), 1 FROM n;`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (let i = 1; i < LINKS; i++) fs.linkSync(db, path.join(src, `mmssms${String(i).padStart(2, '0')}.db`));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('SQLite databases are opened from private copies on disk', () => {
  it('five 200 MB databases at the default concurrency: peak RSS under 400 MiB, every count right', async () => {
    const src = path.join(dir, 'src');
    const size = fs.statSync(path.join(src, 'mmssms00.db')).size;
    expect(size).toBeGreaterThan(190 * 1024 * 1024);
    // WAL mode in the header (bytes 18-19 = 2): the copy is switched, the evidence is not.
    const header = () => fs.readFileSync(path.join(src, 'mmssms00.db')).subarray(18, 20);
    expect([...header()]).toEqual([2, 2]);
    // The scan's own temporary folder (TMPDIR): its copies and the parse children's folders go there, and
    // nothing other test files running meanwhile write is counted.
    const scanTmp = path.join(dir, 'tmp');
    fs.mkdirSync(scanTmp);
    const o = path.join(dir, 'out.json');
    const r = await runBuiltCliMeasured(['scan', src, '-o', o, '-q'], { timeoutMs: 120_000, env: { TMPDIR: scanTmp } });
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    const m = readCompleteManifest(o);
    expect(m.items).toHaveLength(LINKS);
    for (const item of m.items) {
      expect(item.artifact, item.path).toMatchObject({ id: 'android:sms', counts: { messages: ROWS, threads: 1 } });
      expect(item.errors).toEqual([]);
    }
    expect(r.maxRssKiB).toBeLessThan(400 * 1024);
    expect(r.treePeakKiB).toBeLessThan(400 * 1024);
    // Nothing beside the evidence, the header untouched, no copy left behind.
    expect(fs.readdirSync(src).filter((n) => /-(wal|shm|journal)$/.test(n))).toEqual([]);
    expect([...header()]).toEqual([2, 2]);
    expect(fs.readdirSync(scanTmp)).toEqual([]);
  });
});
