/**
 * Private copies of a database: a WAL-mode database (made by the sqlite3 CLI)
 * larger than the in-memory threshold is copied to a 0600 file in a 0700
 * temporary folder, from a reader or (synchronously) from a local path, opened read-only with
 * its WAL bit cleared in the copy, and removed on close; the evidence file and
 * its folder are left exactly as they were.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteFileCopySync, openSqlitePrivateCopy, SQLITE_MEMORY_COPY_BYTES } from './sqlite-handle.js';

let dir: string;
let db: string;
// The copies go to os.tmpdir(): a private one for this file, so what other test files running at the same time
// put in the shared one is not counted as this file's copies.
const sharedTmp = process.env['TMPDIR'];
let privateTmp: string;
beforeAll(() => {
  privateTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-sqlite-handle-tmp-'));
  process.env['TMPDIR'] = privateTmp;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-sqlite-handle-'));
  db = path.join(dir, 'notes.db');
  execFileSync('sqlite3', [
    db,
    "PRAGMA journal_mode=wal; CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO note(body) SELECT printf('%.2000c', 'n') FROM n;",
  ]);
});
afterAll(() => {
  if (sharedTmp === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = sharedTmp;
  fs.rmSync(privateTmp, { recursive: true, force: true });
});

const copies = () =>
  new Set(
    fs
      .readdirSync(os.tmpdir())
      .filter((n) => n.startsWith('evtriage-sqlite-') && !n.startsWith('evtriage-sqlite-handle-')),
  );

describe('openSqlitePrivateCopy', () => {
  it('copies a large database to a private file, from a reader or a path, and removes it on close', async () => {
    const bytes = fs.readFileSync(db);
    expect(bytes.length).toBeGreaterThan(SQLITE_MEMORY_COPY_BYTES);
    expect([bytes[18], bytes[19]]).toEqual([2, 2]);
    const source = { size: bytes.length, read: async (p: number, l: number) => bytes.subarray(p, p + l) };
    for (const round of [1, 2]) {
      const before = copies();
      const h = round === 1 ? await openSqlitePrivateCopy(source) : openSqliteFileCopySync(db);
      const fresh = [...copies()].filter((n) => !before.has(n));
      expect(fresh).toHaveLength(1);
      const copyDir = path.join(os.tmpdir(), fresh[0]!);
      expect(fs.statSync(copyDir).mode & 0o777).toBe(0o700);
      for (const f of fs.readdirSync(copyDir)) expect(fs.statSync(path.join(copyDir, f)).mode & 0o777).toBe(0o600);
      expect(h.walModeCleared).toBe(true);
      expect(h.get('SELECT count(*) AS n FROM note')).toEqual({ n: 300 });
      expect(() => h.all('DELETE FROM note')).toThrow(/refused a statement that could write/);
      h.close();
      expect(fs.existsSync(copyDir)).toBe(false);
    }
    expect(fs.readFileSync(db).equals(bytes)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['notes.db']);
  });

  it('fails cleanly on bytes that are not a database, leaving no copy behind', async () => {
    const before = copies();
    const junk = Buffer.alloc(SQLITE_MEMORY_COPY_BYTES * 2, 7);
    await expect(
      openSqlitePrivateCopy({ size: junk.length, read: async (p, l) => junk.subarray(p, p + l) }),
    ).rejects.toThrow();
    expect(copies()).toEqual(before);
  });
});
