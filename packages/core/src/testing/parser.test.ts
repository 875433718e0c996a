/**
 * The parser test kit passes a good suite and rejects each kind of bad test
 * or bad parser, naming the case. Fixtures are real SQLite databases written
 * by better-sqlite3 (SQLite itself) into a temporary folder, plus a
 * truncated copy as the corrupt file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { defineParser } from '../plugin/define.js';
import type { ParserPlugin, ParseContext, ParseResult } from '../plugin/types.js';
import { planParserTests, runPlanned, testParser, type ParserSuite } from './index.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-kit-par-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function makeDb(file: string, notes: number): void {
  const db = new Database(file);
  db.exec(
    'CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT, body TEXT); CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT)',
  );
  const ins = db.prepare('INSERT INTO notes (title, body) VALUES (?, ?)');
  for (let i = 0; i < notes; i++) ins.run(`note ${i}`, `body ${i}`);
  db.close();
}

function fixtureDir(extra: Record<string, Uint8Array> = {}): string {
  const dir = fs.mkdtempSync(path.join(root, 'f-'));
  makeDb(path.join(dir, 'notes.db'), 3);
  makeDb(path.join(dir, 'empty-notes.db'), 0);
  const other = new Database(path.join(dir, 'other.db'));
  other.exec('CREATE TABLE unrelated (x)');
  other.close();
  fs.writeFileSync(path.join(dir, 'truncated.db'), fs.readFileSync(path.join(dir, 'notes.db')).subarray(0, 600));
  for (const [name, bytes] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), bytes);
  return dir;
}

function notesParser(
  parse?: (ctx: ParseContext) => ParseResult | undefined | Promise<ParseResult | undefined>,
): ParserPlugin {
  return defineParser({
    meta: {
      id: 'toy-notes',
      version: '1.0.0',
      title: 'Toy notes',
      formats: ['sqlite'],
      diagnostics: { TOY_NOTES_EMPTY: 'The notes table has no rows.' },
    },
    requires: { sqlite: { tables: { notes: ['id', 'title', 'body'] } } },
    parse:
      parse ??
      ((ctx) => {
        const n = Number((ctx.sqlite!.get('SELECT count(*) AS n FROM notes') as { n: number }).n);
        if (n === 0) ctx.report({ code: 'TOY_NOTES_EMPTY', severity: 'info', message: 'no notes' });
        return {
          details: { notes: n, tables: [...ctx.sqlite!.tables().keys()].sort() },
          artifact: { id: 'toy-notes', name: 'Toy notes', counts: { notes: n } },
        };
      }),
  });
}

const goodSuite = (dir: string): ParserSuite => ({
  fixtures: dir,
  valid: [
    {
      file: 'notes.db',
      details: { notes: 3, tables: ['notes', 'tags'] },
      artifact: { id: 'toy-notes', counts: { notes: 3 } },
    },
    { file: 'empty-notes.db', artifact: { counts: { notes: 0 } }, diagnostics: ['TOY_NOTES_EMPTY'] },
  ],
  invalid: [
    { file: 'truncated.db', diagnostics: [], name: 'truncated: requirements do not match, the parser is not called' },
    { file: 'other.db', diagnostics: [] },
  ],
});

async function verdicts(parser: ParserPlugin, suite: ParserSuite, timeoutMs?: number) {
  const results = await runPlanned(planParserTests(parser, suite, timeoutMs ? { timeoutMs } : {}));
  return {
    results,
    failed: results.filter((r) => !r.ok),
    byTitle: (prefix: string) => results.find((r) => r.title.startsWith(prefix)),
  };
}

describe('parser test kit', () => {
  it('passes a good suite', async () => {
    const { failed, results } = await verdicts(notesParser(), goodSuite(fixtureDir()));
    expect(failed).toEqual([]);
    expect(results).toHaveLength(7);
  });

  it('rejects a wrong expected detail, artifact count or diagnostic, naming the case', async () => {
    const suite = goodSuite(fixtureDir());
    suite.valid = [
      { ...suite.valid[0]!, details: { notes: 4 } },
      { ...suite.valid[1]!, diagnostics: [] },
    ];
    const { failed } = await verdicts(notesParser(), suite);
    expect(failed.map((f) => f.title)).toEqual(['valid[0] notes.db', 'valid[1] empty-notes.db']);
    expect(failed[0]!.message).toBe('valid[0]: details.notes: expected 4, got 3');
    expect(failed[1]!.message).toBe('valid[1]: expected diagnostics [], got [TOY_NOTES_EMPTY]');
  });

  it('rejects details or an artifact where the case says there must be none (null)', async () => {
    const suite = goodSuite(fixtureDir());
    suite.valid = [{ ...suite.valid[0]!, details: null, artifact: null }, suite.valid[1]!];
    const { failed } = await verdicts(notesParser(), suite);
    expect(failed.map((f) => f.title)).toEqual(['valid[0] notes.db']);
    expect(failed[0]!.message).toMatch(/expected no details, got \{"notes":3/);
    expect(failed[0]!.message).toMatch(/expected no artifact, got /);
  });

  it('rejects a valid case the engine never hands to the parser, saying why', async () => {
    const suite = goodSuite(fixtureDir());
    suite.valid = [...suite.valid, { file: 'other.db' }];
    suite.invalid = [suite.invalid[0]!];
    const { failed } = await verdicts(notesParser(), suite);
    expect(failed.map((f) => f.message)).toEqual([
      'valid[2]: the parser was not called: requires.sqlite does not match: no table notes',
    ]);
  });

  it('says when the item is smaller than requires.minSize (the engine does not hand it over)', async () => {
    const dir = fixtureDir();
    const size = fs.statSync(path.join(dir, 'notes.db')).size;
    const small = notesParser();
    const picky = { ...small, requires: { ...small.requires, minSize: size + 1 } };
    const { failed } = await verdicts(picky, goodSuite(dir));
    expect(failed.map((f) => f.message)).toContain(
      `valid[0]: the parser was not called: the item is ${size} bytes, less than requires.minSize ${size + 1}`,
    );
  });

  it('rejects undeclared diagnostic codes, reported or expected', async () => {
    const loose = notesParser((ctx) => {
      ctx.report({ code: 'TOY_SURPRISE', severity: 'warning', message: 'not declared' });
      return { details: { notes: 1 } };
    });
    const suite = goodSuite(fixtureDir());
    const { byTitle } = await verdicts(loose, suite);
    expect(byTitle('valid[0]')!.message).toContain('undeclared diagnostic: parser toy-notes reported TOY_SURPRISE');
    const expects = goodSuite(fixtureDir());
    expects.invalid = [{ ...expects.invalid[0]!, diagnostics: ['TOY_NOT_DECLARED'] }, expects.invalid[1]!];
    const b = await verdicts(notesParser(), expects);
    expect(b.byTitle('invalid[0]')!.message).toContain(
      'expects diagnostic TOY_NOT_DECLARED, which meta.diagnostics does not declare',
    );
  });

  it('rejects unknown keys and duplicates in parser cases, and a missing diagnostics list on an invalid case', async () => {
    const suite = goodSuite(fixtureDir());
    suite.valid = [...suite.valid, { ...suite.valid[0]!, name: 'again' }];
    suite.invalid = [{ file: 'truncated.db', diagnostic: [] } as never, suite.invalid[1]!];
    const { failed } = await verdicts(notesParser(), suite);
    expect(failed.map((f) => f.title)).toEqual(['valid[2] again', 'invalid[0] truncated.db']);
    expect(failed[0]!.message).toContain('duplicates valid[0]');
    expect(failed[1]!.message).toContain('unknown key "diagnostic"');
    expect(failed[1]!.message).toContain('"diagnostics" is required');
  });

  it('rejects results that fail the ParseResult schema', async () => {
    const bad = notesParser(() => ({
      details: { notes: 1 },
      artifact: { id: 'toy-notes', name: 'Toy notes', counts: { notes: -1 } },
    }));
    const { byTitle } = await verdicts(bad, goodSuite(fixtureDir()));
    expect(byTitle('valid[0]')!.message).toMatch(
      /PLUGIN_BAD_RESULT: parser toy-notes returned a result that fails the contract: artifact\.counts\.notes/,
    );
  });

  it('rejects a parser that mutates ctx.item', async () => {
    const writer = notesParser((ctx) => {
      (ctx.item as { path: string }).path = 'rewritten';
      return undefined;
    });
    const { byTitle } = await verdicts(writer, goodSuite(fixtureDir()));
    expect(byTitle('valid[0]')!.message).toContain(
      'the parser mutates its input (ctx.item, ctx.probe and ctx.plist are frozen)',
    );
  });

  it('rejects a parser that answers differently on a second run', async () => {
    let runs = 0;
    const moody = notesParser(() => ({ details: { run: ++runs } }));
    const { byTitle } = await verdicts(moody, goodSuite(fixtureDir()));
    expect(byTitle('valid[0]')!.message).toContain('a second run on the same file gave a different answer');
  });

  it('turns a throw and a hang into failures of the case', async () => {
    const throws = notesParser(() => {
      throw new Error('kaput');
    });
    expect((await verdicts(throws, goodSuite(fixtureDir()))).byTitle('valid[0]')!.message).toContain(
      'PLUGIN_THREW: parser toy-notes failed: kaput',
    );
    const hangs = notesParser(() => new Promise(() => undefined));
    expect((await verdicts(hangs, goodSuite(fixtureDir()), 100)).byTitle('valid[0]')!.message).toContain(
      'PLUGIN_TIMEOUT: parser toy-notes took longer than 100 ms',
    );
  });

  it('rejects unused fixture files', async () => {
    const { failed } = await verdicts(notesParser(), goodSuite(fixtureDir({ 'spare.db': Buffer.from('x') })));
    expect(failed.map((f) => f.message)).toEqual([expect.stringContaining('fixture files no case uses: spare.db')]);
  });
});

testParser(notesParser(), goodSuite(fixtureDir()), { framework: { describe, it } });
