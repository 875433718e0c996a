/**
 * A bug that escapes every guard (an exception thrown from a callback, a
 * rejected promise nobody handles) must not look like a completed scan:
 * Node's own exit code for it is 1, evtriage's code for "completed with item
 * errors". The built CLI must exit 70 and end the manifest with a summary
 * marked incomplete that names the error, in JSON (still valid) and NDJSON.
 * The bug is a third-party parser plugin (loaded with --plugin and kept in the
 * scan's own process with --no-isolate-plugins: in a parse child the same
 * throw would cost only its item) that throws from a timer or leaves a
 * rejected promise.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Manifest } from '@evtriage/core';
import { runBuiltCli } from '../helpers/built-cli.js';

let dir: string;
const plugin = (how: string) => `
let fired = false;
export const buggy = {
  kind: 'parser',
  meta: { id: 'buggy-${how}', version: '1.0.0', title: 'A parser with a bug', formats: ['text'] },
  parse: async () => {
    if (!fired) {
      fired = true;
      ${how === 'throw' ? "setImmediate(() => { throw new Error('a bug outside any guard'); });" : "void Promise.reject(new Error('a rejection nobody handles'));"}
    }
    return undefined;
  },
};
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-internal-'));
  fs.mkdirSync(path.join(dir, 'evidence'));
  for (let i = 0; i < 40; i++)
    fs.writeFileSync(path.join(dir, 'evidence', `note${String(i).padStart(2, '0')}.txt`), `note ${i}\n`);
  for (const how of ['throw', 'reject']) fs.writeFileSync(path.join(dir, `${how}.mjs`), plugin(how));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('an internal error', () => {
  for (const how of ['throw', 'reject']) {
    it(`(${how}) exits 70 with a JSON manifest that is valid and marked incomplete`, async () => {
      const o = path.join(dir, `${how}.json`);
      const r = await runBuiltCli([
        'scan',
        path.join(dir, 'evidence'),
        '-o',
        o,
        '-q',
        '--plugin',
        path.join(dir, `${how}.mjs`),
        '--no-isolate-plugins',
      ]);
      expect(r.code, r.stderr).toBe(70);
      expect(r.stderr).toMatch(/internal error/);
      const m = Manifest.parse(JSON.parse(fs.readFileSync(o, 'utf8')));
      expect(m.summary.complete).toBe(false);
      expect(m.summary.interruption).toMatch(/internal error .*(a bug outside any guard|a rejection nobody handles)/);
      expect(m.summary.counts.items).toBe(m.items.length);
    });
  }

  it('exits 70 with an NDJSON manifest whose last line is a summary marked incomplete', async () => {
    const o = path.join(dir, 'throw.ndjson');
    const r = await runBuiltCli([
      'scan',
      path.join(dir, 'evidence'),
      '-o',
      o,
      '-f',
      'ndjson',
      '-q',
      '--plugin',
      path.join(dir, 'throw.mjs'),
      '--no-isolate-plugins',
    ]);
    expect(r.code, r.stderr).toBe(70);
    const lines = fs
      .readFileSync(o, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; complete?: boolean });
    expect(lines[0]!.type).toBe('header');
    expect(lines.at(-1)).toMatchObject({ type: 'summary', complete: false });
  });
});
