import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineParser, FolderSource, scan } from '@evtriage/core';
import { builtinDetectors } from '@evtriage/parsers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './scan-tree.js';

const require = createRequire(fileURLToPath(new URL('../../packages/core/package.json', import.meta.url)));
const Database = require('better-sqlite3') as new (file: string) => { exec(s: string): void; close(): void };

let root: string;
beforeAll(() => {
  root = tempDir('sibling');
  const db = new Database(path.join(root, 'a.db'));
  db.exec('CREATE TABLE t (x)');
  db.close();
  fs.writeFileSync(path.join(root, 'a.db-wal'), Buffer.alloc(100, 7));
  fs.symlinkSync('a.db-wal', path.join(root, 'b.db-wal'));
  fs.copyFileSync(path.join(root, 'a.db'), path.join(root, 'b.db'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('ParseContext.readSibling', () => {
  it('reads a companion whole, refuses one over budget with its size, never follows a symlink, refuses path-like suffixes', async () => {
    const seen: Record<string, unknown> = {};
    const probe = defineParser({
      meta: { id: 'sibling-probe', version: '1.0.0', title: 'test', formats: ['sqlite'] },
      async parse(ctx) {
        const name = ctx.item.path;
        const whole = await ctx.readSibling('-wal');
        const over = await ctx.readSibling('-wal', 10).then(
          () => 'no error',
          (e: { code?: string; size?: number }) => `${e.code} ${e.size}`,
        );
        const absent = await ctx.readSibling('-journal');
        const escape = await ctx.readSibling('/../x').then(
          () => 'read',
          (e: Error) => e.name,
        );
        seen[name] = { whole: whole?.length, over, absent, escape };
        return undefined;
      },
    });
    for await (const _ of scan(new FolderSource(root), { plugins: [...builtinDetectors, probe] })) void _;
    expect(seen['a.db']).toEqual({
      whole: 100,
      over: 'SIBLING_TOO_LARGE 100',
      absent: undefined,
      escape: 'RangeError',
    });
    // b.db-wal is a symlink: not a regular file, so not read.
    expect(seen['b.db']).toEqual({ whole: undefined, over: 'no error', absent: undefined, escape: 'RangeError' });
  });
});
