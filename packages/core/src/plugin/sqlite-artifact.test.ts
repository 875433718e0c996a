/**
 * defineSqliteArtifact through the test kit: real SQLite databases (written
 * by SQLite through better-sqlite3 into a temporary folder) that have the
 * tables, lack a column, fail a count query, or sit on another path.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { planParserTests, runPlanned, testParser } from '../testing/index.js';
import { defineSqliteArtifact, SQLITE_COUNT_FAILED } from './sqlite-artifact.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-sqlite-artifact-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function db(name: string, sql: string): void {
  const d = new Database(path.join(dir, name));
  d.exec(sql);
  d.close();
}
const SCHEMA =
  'CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT, body TEXT, trashed INTEGER); CREATE TABLE folders (id INTEGER PRIMARY KEY, name TEXT);';
db(
  'notes.db',
  `${SCHEMA} INSERT INTO notes (title, body, trashed) VALUES ('a','x',0),('b','y',1),('c','z',0); INSERT INTO folders (name) VALUES ('inbox');`,
);
db(
  'no-body-column.db',
  'CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT); CREATE TABLE folders (id INTEGER PRIMARY KEY, name TEXT);',
);
db('unrelated.db', 'CREATE TABLE t (x);');
db(
  'locked-notes.db',
  `${SCHEMA} CREATE TABLE archive (id INTEGER PRIMARY KEY); ALTER TABLE notes ADD COLUMN sealed BLOB; INSERT INTO notes (title, body, trashed, sealed) VALUES ('a','x',0,NULL),('b','',0,x'00ff'),('c','z',0,x'01'); INSERT INTO archive DEFAULT VALUES;`,
);
fs.writeFileSync(path.join(dir, 'truncated.db'), fs.readFileSync(path.join(dir, 'notes.db')).subarray(0, 1024));

const notes = defineSqliteArtifact({
  meta: { id: 'acme-notes', version: '1.0.0', title: 'ACME Notes database' },
  artifact: { id: 'acme-notes', name: 'ACME Notes' },
  tables: { notes: ['id', 'title', 'body'], folders: ['id', 'name'] },
  counts: {
    notes: 'SELECT count(*) FROM notes',
    trashed: 'SELECT count(*) FROM notes WHERE trashed = 1',
    folders: 'SELECT count(*) FROM folders',
  },
  details: (d) => ({
    newestTitle:
      (d.get('SELECT title FROM notes ORDER BY id DESC LIMIT 1') as { title: string } | undefined)?.title ?? null,
  }),
});

describe('defineSqliteArtifact', () => {
  it('declares its requirements as data and its diagnostic code', () => {
    expect(notes.kind).toBe('parser');
    expect(notes.meta.formats).toEqual(['sqlite']);
    expect(notes.requires?.sqlite?.tables).toEqual({ notes: ['id', 'title', 'body'], folders: ['id', 'name'] });
    expect(Object.keys(notes.meta.diagnostics ?? {})).toEqual([SQLITE_COUNT_FAILED]);
  });

  it('reports a failing count query as SQLITE_COUNT_FAILED and keeps the other counts', async () => {
    const broken = defineSqliteArtifact({
      meta: { id: 'acme-broken', version: '1.0.0', title: 'broken counts' },
      artifact: { id: 'acme-notes', name: 'ACME Notes' },
      tables: { notes: ['id'] },
      counts: {
        notes: 'SELECT count(*) FROM notes',
        missing: 'SELECT count(*) FROM no_such_table',
        text: "SELECT 'many'",
      },
    });
    const results = await runPlanned(
      planParserTests(broken, {
        fixtures: dir,
        valid: [
          {
            file: 'notes.db',
            artifact: { counts: { notes: 3 } },
            diagnostics: [SQLITE_COUNT_FAILED, SQLITE_COUNT_FAILED],
          },
        ],
        invalid: [{ file: 'unrelated.db', diagnostics: [] }],
        ignore: ['no-body-column.db', 'truncated.db', 'locked-notes.db'],
      }),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it('counts the rows of named tables, leaving out the tables a database lacks, and marks encrypted columns', async () => {
    const locked = defineSqliteArtifact({
      meta: { id: 'acme-locked', version: '1.0.0', title: 'rows counts' },
      artifact: { id: 'acme-notes', name: 'ACME Notes' },
      tables: { notes: ['id'] },
      counts: { all: { rows: ['notes', 'archive'] }, folders: { rows: 'folders' }, gone: { rows: 'no_such_table' } },
      encryptedFields: {
        scheme: 'acme-sealed',
        fields: ['notes.sealed', 'notes.no_such_column'],
        keyHint: { kind: 'password', present: 'unknown', description: 'the ACME vault password' },
      },
    });
    const results = await runPlanned(
      planParserTests(locked, {
        fixtures: dir,
        valid: [
          {
            file: 'locked-notes.db',
            artifact: { counts: { all: 4, folders: 0 } },
            encryption: {
              scheme: 'acme-sealed',
              scope: 'partial',
              keyHint: { kind: 'password', present: 'unknown', description: 'the ACME vault password' },
            },
            details: { encryptedFields: ['notes.sealed', 'notes.no_such_column'], rowsWithEncryptedFields: 2 },
            diagnostics: [],
          },
          {
            file: 'notes.db',
            artifact: { counts: { all: 3, folders: 1 } },
            diagnostics: [],
            name: 'no value in the encrypted column',
          },
        ],
        invalid: [{ file: 'unrelated.db', diagnostics: [] }],
        ignore: ['no-body-column.db', 'truncated.db'],
      }),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it('leaves databases on other paths alone when paths are given', async () => {
    const scoped = defineSqliteArtifact({
      meta: { id: 'acme-scoped', version: '1.0.0', title: 'scoped' },
      artifact: { id: 'acme-notes', name: 'ACME Notes' },
      tables: { notes: ['id'] },
      counts: { notes: 'SELECT count(*) FROM notes' },
      paths: ['**/com.acme.notes/databases/*.db'],
    });
    const results = await runPlanned(
      planParserTests(scoped, {
        fixtures: dir,
        valid: [
          {
            file: 'notes.db',
            path: 'data/data/com.acme.notes/databases/notes.db',
            artifact: { id: 'acme-notes', counts: { notes: 3 } },
          },
          {
            file: 'notes.db',
            path: 'sdcard/Download/notes.db',
            artifact: null,
            name: 'same file elsewhere: no artifact',
          },
        ],
        invalid: [{ file: 'unrelated.db', diagnostics: [] }],
        ignore: ['no-body-column.db', 'truncated.db', 'locked-notes.db'],
      }),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });
});

testParser(
  notes,
  {
    fixtures: dir,
    valid: [
      {
        file: 'notes.db',
        artifact: { id: 'acme-notes', name: 'ACME Notes', counts: { notes: 3, trashed: 1, folders: 1 } },
        details: { newestTitle: 'c' },
      },
      {
        file: 'locked-notes.db',
        artifact: { counts: { notes: 3, trashed: 0, folders: 0 } },
        details: { newestTitle: 'c' },
      },
    ],
    invalid: [
      { file: 'no-body-column.db', diagnostics: [], name: 'a required column is missing: not called' },
      { file: 'unrelated.db', diagnostics: [] },
      { file: 'truncated.db', diagnostics: [], name: 'truncated copy: the schema cannot be read, not called' },
    ],
  },
  { framework: { describe, it } },
);

// A details query that fails (here a table the database lacks, as any query fails on a damaged copy): the counts
// stand and the failure is a warning, never an exception out of the parser.
testParser(
  defineSqliteArtifact({
    meta: { id: 'acme-notes-details-fail', version: '1.0.0', title: 'ACME Notes with a failing details query' },
    artifact: { id: 'acme-notes', name: 'ACME Notes' },
    tables: { notes: ['id', 'title', 'body'] },
    counts: { notes: 'SELECT count(*) FROM notes' },
    details: (d) => ({ tags: d.get('SELECT count(*) AS n FROM no_such_table') }),
  }),
  {
    fixtures: dir,
    valid: [{ file: 'notes.db', artifact: { counts: { notes: 3 } }, diagnostics: [SQLITE_COUNT_FAILED] }],
    invalid: [{ file: 'unrelated.db', diagnostics: [] }],
    ignore: ['no-body-column.db', 'truncated.db', 'locked-notes.db'],
  },
  { framework: { describe, it } },
);
