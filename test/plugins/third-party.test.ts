/**
 * The plugin tutorial, followed by a test: the files docs/writing-a-plugin.md
 * marks with a file name are extracted and written to an empty temporary
 * folder outside the repository, the fixture script from the page makes the
 * samples, the `evtriage` commands from the page run (with the CLI from
 * source), and the page's own fixture test runs with vitest in that folder.
 * `npm install @evtriage/core vitest` is simulated by links to this
 * repository's packages; a vitest config there turns on the source condition
 * (what a build would otherwise provide).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { readJsonManifest } from '../helpers/manifest.js';
import type { Manifest } from '@evtriage/core';

const doc = fs.readFileSync(path.join(repoRoot, 'docs/writing-a-plugin.md'), 'utf8');
/** Code blocks with a file name: ```lang title="name" */
const files = new Map([...doc.matchAll(/```\w+ title="([^"]+)"\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!]));
/** `evtriage ...` lines of the shell block in section 4. */
const section4 = doc.slice(doc.indexOf('## 4. Run it'), doc.indexOf('## 5.'));
const commands = [...section4.matchAll(/^evtriage (.+)$/gm)].map((m) => m[1]!.split(/\s+/));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-tutorial-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  for (const [name, text] of files) {
    fs.mkdirSync(path.dirname(path.join(tmp, name)), { recursive: true });
    fs.writeFileSync(path.join(tmp, name), text);
  }
  fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: 'my-evtriage-plugins', version: '1.0.0', type: 'module' }));
  fs.mkdirSync(path.join(tmp, 'node_modules/@evtriage'), { recursive: true });
  fs.symlinkSync(path.join(repoRoot, 'packages/core'), path.join(tmp, 'node_modules/@evtriage/core'));
  fs.symlinkSync(fs.realpathSync(path.join(repoRoot, 'node_modules/vitest')), path.join(tmp, 'node_modules/vitest'));
  const made = spawnSync('sh', ['fixtures/zephyr-backup/make-fixtures.sh'], { cwd: tmp, encoding: 'utf8' });
  expect(made.stderr).toBe('');
  expect(made.status).toBe(0);
});

describe('docs/writing-a-plugin.md, followed in an empty folder outside the repository', () => {
  it('has the files and commands the tutorial promises', () => {
    expect([...files.keys()].sort()).toEqual(['fixtures/zephyr-backup/make-fixtures.sh', 'zephyr-backup.mjs', 'zephyr-backup.test.mjs']);
    expect(commands.map((c) => c[0])).toEqual(['scan', 'plugins']);
    expect(tmp.startsWith(repoRoot)).toBe(false);
  });

  it('loads the plugin with --plugin and the manifest changes as the page says', async () => {
    const scanArgs = commands[0]!;
    const baseline = await runCli([...scanArgs.slice(0, scanArgs.indexOf('--plugin')), '-q'].map((a) => (a === 'manifest.json' ? 'baseline.json' : a)), { cwd: tmp });
    expect(baseline.code).toBe(0);
    const r = await runCli([...scanArgs, '-q'], { cwd: tmp });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const before = readJsonManifest(path.join(tmp, 'baseline.json'));
    const after = readJsonManifest(path.join(tmp, 'manifest.json'));
    expect(before.header.plugins.some((p) => p.id === 'zephyr-backup')).toBe(false);
    expect(after.header.plugins).toContainEqual({ id: 'zephyr-backup', version: '1.0.0', kind: 'detector', formats: ['zephyr-backup', 'zephyr-backup-encrypted'] });
    const item = (m: Manifest, p: string) => m.items.find((i) => i.path === p)!;
    const locked = item(after, 'locked.znbk');
    expect(locked.format).toMatchObject({ id: 'zephyr-backup-encrypted', detector: 'zephyr-backup' });
    expect(locked.classification).toMatchObject({ status: 'encrypted', confidence: 0.95, certainty: 'certain' });
    expect(locked.classification.reasons.map((x) => x.code)).toEqual(['ZEPHYR_HEADER', 'ZEPHYR_ENCRYPTED_FLAG']);
    expect(locked.encryption).toMatchObject({ scheme: 'zephyr-backup-v2', scope: 'full', keyHint: { kind: 'password' } });
    expect(item(after, 'open.znbk').format?.id).toBe('zephyr-backup');
    // Without the plugin the locked backup was something else; the look-alikes are unchanged.
    expect(item(before, 'locked.znbk').format?.id).not.toBe('zephyr-backup-encrypted');
    for (const p of ['mentions-magic.txt', 'cut-short.znbk']) expect(item(after, p).format?.id).toBe(item(before, p).format?.id);
  });

  it('lists the plugin with evtriage plugins', async () => {
    const r = await runCli(commands[1]!, { cwd: tmp });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/zephyr-backup\s+detector\s+1\.0\.0\s+zephyr-backup, zephyr-backup-encrypted\s+\.\/zephyr-backup\.mjs/);
  });

  it("ends with the page's fixture test green", () => {
    fs.writeFileSync(path.join(tmp, 'vitest.config.mjs'), "const conditions = ['@evtriage/source', 'import', 'module', 'node', 'default'];\nexport default { resolve: { conditions }, ssr: { resolve: { conditions, externalConditions: conditions } } };\n");
    const r = spawnSync(process.execPath, [path.join(tmp, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=verbose'], { cwd: tmp, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1', CI: '1' } });
    expect(r.stdout + r.stderr).toContain('Tests  7 passed (7)');
    expect(r.stdout).toContain('✓ zephyr-backup.test.mjs > detector zephyr-backup > valid[1] locked.znbk');
    expect(r.status).toBe(0);
  });
});
