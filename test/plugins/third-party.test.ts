/**
 * The plugin tutorial, followed by a test with real packages: the packages
 * are packed (`scripts/pack-all.mjs`, what `pnpm run pack:all` runs), and the
 * install commands of section 1 of docs/writing-a-plugin.md run as written,
 * with npm, in an empty folder outside the repository — the global install
 * into a temporary npm prefix, whose `bin` comes first on PATH. No workspace
 * links: the plugin folder gets @evtriage/core and @evtriage/parsers from the
 * tarballs, and `evtriage` is the installed command. Then the files the page
 * marks with a file name are written there, the fixture scripts run, the
 * `evtriage` commands of sections 4 and 8 run, and the page's own kit tests
 * run with the vitest the page installs.
 *
 * The install runs once for the whole file; better-sqlite3 gets this
 * repository's compiled binding as a local prebuild (offerLocalBinding).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { readJsonManifest } from '../helpers/manifest.js';
import type { Manifest } from '@evtriage/core';

const doc = fs.readFileSync(path.join(repoRoot, 'docs/writing-a-plugin.md'), 'utf8');
const section = (title: string) => {
  const start = doc.indexOf(`## ${title}`);
  return doc.slice(start, doc.indexOf('\n## ', start + 3));
};
/** Code blocks with a file name: ```lang title="name" */
const files = new Map([...doc.matchAll(/```\w+ title="([^"]+)"\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!]));
/** Untitled shell blocks of a section, in order. */
const shellBlocks = (title: string) => [...section(title).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
const commandLines = (block: string) => block.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
const [packBlock, installBlock] = shellBlocks('1. Install');
const runCommands = commandLines(shellBlocks('4. Run it')[0]!);
const extractionCommands = commandLines(shellBlocks('8. A whole extraction')[0]!);

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-tutorial-')));
const prefix = path.join(tmp, 'npm-global');
const work = path.join(tmp, 'work');
const folder = path.join(work, 'my-evtriage-plugins');
const elsewhere = path.join(tmp, 'elsewhere');
const packages = path.join(tmp, 'packages');
const env: NodeJS.ProcessEnv = {
  // A prefix the machine sets (NPM_CONFIG_PREFIX, in any case: npm reads them all) must not win over the tutorial's.
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_prefix')),
  EVTRIAGE_PACKAGES: packages,
  // `npm install --global` goes to the temporary prefix; its bin comes first on PATH.
  npm_config_prefix: prefix,
  PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env['PATH'] ?? ''}`,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  // Packages already in npm's cache are taken from it without asking the registry again (a fresh machine, with
  // an empty cache, downloads them as before): the install took 38 s here with the questions, 16 s without.
  npm_config_prefer_offline: 'true',
  NO_COLOR: '1',
  CI: '1',
};
/**
 * better-sqlite3's install asks prebuild-install for a prebuilt binding, which it downloads from GitHub;
 * without that (this machine's registry only) it compiles SQLite from source, twice: minutes. The
 * binding this repository's install already built is offered as a local prebuild (prebuild-install's
 * `npm_config_<package>_local_prebuilds`), named as prebuild-install looks for it. A different version
 * than the repository's just finds none and builds, as before.
 */
function offerLocalBinding(dir: string): void {
  const pkgDir = path.dirname(
    createRequire(path.join(repoRoot, 'packages/core/package.json')).resolve('better-sqlite3/package.json'),
  );
  const binding = path.join(pkgDir, 'build/Release/better_sqlite3.node');
  if (!fs.existsSync(binding)) return;
  const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const libc =
    process.report?.getReport &&
    (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime
      ? ''
      : 'musl';
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}${libc}-${process.arch}.tar.gz`;
  fs.mkdirSync(dir, { recursive: true });
  ok(
    spawnSync('tar', ['-czf', path.join(dir, name), '-C', pkgDir, 'build/Release/better_sqlite3.node'], {
      encoding: 'utf8',
    }),
    'packing the local binding',
  );
  env['npm_config_better_sqlite3_local_prebuilds'] = dir;
}

const timings: Record<string, number> = {};
afterAll(() => {
  console.log(
    `tutorial timings (s): ${Object.entries(timings)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ')}`,
  );
  fs.rmSync(tmp, { recursive: true, force: true });
});

function sh(script: string, cwd: string, label?: string): SpawnSyncReturns<string> {
  const started = Date.now();
  const r = spawnSync('sh', ['-eu', '-c', script], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 1_500_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (label) timings[label] = (Date.now() - started) / 1000;
  return r;
}
const ok = (r: SpawnSyncReturns<string>, what: string) => {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r;
};

beforeAll(() => {
  offerLocalBinding(path.join(tmp, 'prebuilds'));
  fs.mkdirSync(work, { recursive: true });
  fs.mkdirSync(elsewhere, { recursive: true });
  // Section 1, first block: build and pack (the page runs `pnpm run pack:all`: tsc -b, then this script).
  expect(packBlock).toContain('run pack:all');
  const started = Date.now();
  ok(
    spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', 'packages/cli'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }),
    'build',
  );
  const packed = ok(
    spawnSync(process.execPath, ['scripts/pack-all.mjs'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, npm_execpath: '', npm_config_prefer_offline: 'true' },
    }),
    'pack-all',
  );
  fs.mkdirSync(packages);
  for (const tgz of packed.stdout.trim().split('\n')) fs.copyFileSync(tgz, path.join(packages, path.basename(tgz)));
  timings['pack'] = (Date.now() - started) / 1000;
  // Section 1, second block, as written (timed by sh's label).
  ok(sh(installBlock!, work, 'install'), 'the install commands of section 1');
  for (const [name, text] of files) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  for (const script of [...files.keys()].filter((f) => f.startsWith('fixtures/') && f.endsWith('.sh'))) {
    const made = sh(`sh ${script}`, folder);
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
  }
}, 1_800_000);

describe('docs/writing-a-plugin.md, followed with packed tarballs in an empty folder outside the repository', () => {
  it('has the files and commands the tutorial promises', () => {
    expect([...files.keys()].sort()).toEqual([
      'fixtures/zephyr-backup/make-fixtures.sh',
      'fixtures/zephyr-notes-db/make-fixtures.sh',
      'make-extraction.sh',
      'zephyr-apps.mjs',
      'zephyr-apps.test.mjs',
      'zephyr-backup.mjs',
      'zephyr-backup.test.mjs',
      'zephyr-notes-db.mjs',
      'zephyr-notes-db.test.mjs',
    ]);
    expect(runCommands.map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual(['evtriage scan', 'evtriage plugins']);
    expect(tmp.startsWith(repoRoot)).toBe(false);
  });

  it('installed real packages, no links: the plugin folder has @evtriage/core and @evtriage/parsers, the prefix the evtriage command', () => {
    for (const name of ['core', 'parsers']) {
      const dir = path.join(folder, 'node_modules/@evtriage', name);
      expect(fs.lstatSync(dir).isSymbolicLink()).toBe(false);
      expect(fs.existsSync(path.join(dir, 'dist/index.js'))).toBe(true);
    }
    const which = sh('command -v evtriage', elsewhere);
    expect(which.stdout.trim()).toBe(path.join(prefix, 'bin/evtriage'));
    expect(fs.realpathSync(which.stdout.trim()).startsWith(repoRoot)).toBe(false);
  });

  it('evtriage --version and a scan from another folder run the globally installed command', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'packages/cli/package.json'), 'utf8')) as {
      version: string;
    };
    expect(ok(sh('evtriage --version', elsewhere), 'evtriage --version').stdout.trim()).toBe(version);
    const sample = path.join(repoRoot, 'examples/sample-extraction');
    const r = sh(`evtriage scan '${sample}' -o sample.json -q`, elsewhere);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const manifest = readJsonManifest(path.join(elsewhere, 'sample.json'));
    expect(manifest.summary.complete).toBe(true);
    expect(manifest.items.length).toBeGreaterThan(20);
    expect(
      manifest.items.some((i: { classification: { status: string } }) => i.classification.status === 'encrypted'),
    ).toBe(true);
  }, 300_000);

  it('section 4: loads the detector with --plugin and the manifest changes as the page says', () => {
    const scan = runCommands[0]!;
    const baseline = sh(
      `${scan.slice(0, scan.indexOf(' --plugin')).replace('manifest.json', 'baseline.json')} -q`,
      folder,
    );
    expect(baseline.status).toBe(0);
    const r = sh(`${scan} -q`, folder);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const before = readJsonManifest(path.join(folder, 'baseline.json'));
    const after = readJsonManifest(path.join(folder, 'manifest.json'));
    expect(before.header.plugins.some((p: { id: string }) => p.id === 'zephyr-backup')).toBe(false);
    expect(after.header.plugins).toContainEqual({
      id: 'zephyr-backup',
      version: '1.0.0',
      kind: 'detector',
      formats: ['zephyr-backup', 'zephyr-backup-encrypted'],
    });
    const item = (m: Manifest, p: string) => m.items.find((i) => i.path === p)!;
    const locked = item(after, 'locked.znbk');
    expect(locked.format).toMatchObject({ id: 'zephyr-backup-encrypted', detector: 'zephyr-backup' });
    expect(locked.classification).toMatchObject({ status: 'encrypted', confidence: 0.95, certainty: 'certain' });
    expect(locked.classification.reasons.map((x: { code: string }) => x.code)).toEqual([
      'ZEPHYR_HEADER',
      'ZEPHYR_ENCRYPTED_FLAG',
    ]);
    expect(locked.encryption).toMatchObject({
      scheme: 'zephyr-backup-v2',
      scope: 'full',
      keyHint: { kind: 'key-file', present: 'no' },
    });
    expect(item(after, 'open.znbk').format?.id).toBe('zephyr-backup');
    // Without the plugin the locked backup was something else; the look-alikes are unchanged.
    expect(item(before, 'locked.znbk').format?.id).not.toBe('zephyr-backup-encrypted');
    for (const p of ['mentions-magic.txt', 'cut-short.znbk', 'reserved-set.znbk'])
      expect(item(after, p).format?.id).toBe(item(before, p).format?.id);
  });

  it('section 4: lists the plugin with evtriage plugins', () => {
    const r = ok(sh(runCommands[1]!, folder), 'evtriage plugins');
    expect(r.stdout).toMatch(
      /zephyr-backup\s+detector\s+1\.0\.0\s+zephyr-backup, zephyr-backup-encrypted\s+\.\/zephyr-backup\.mjs/,
    );
  });

  it("the page's kit tests (detector, SQLite artifact, app rules with the built-ins) pass with the installed vitest", () => {
    const r = sh('npx vitest run --reporter=verbose', folder, 'vitest');
    const out = r.stdout + r.stderr;
    expect(out).toContain('Test Files  3 passed (3)');
    expect(out).toContain('Tests  22 passed (22)');
    expect(out).toContain('✓ zephyr-backup.test.mjs > detector zephyr-backup > valid[1] locked.znbk');
    expect(out).toContain('✓ zephyr-notes-db.test.mjs > parser zephyr-notes-db > valid[0] notes.db');
    expect(out).toContain(
      '✓ zephyr-apps.test.mjs > app rules zephyr-apps > valid[3] another app: a built-in rule decides',
    );
    expect(r.status).toBe(0);
  }, 600_000);

  it('section 8: the installed evtriage scans the extraction with the three plugins: formats, reasons, key hint, counts, apps', () => {
    for (const line of extractionCommands) {
      const r = sh(line.startsWith('evtriage ') ? `${line} -q` : line, folder);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    const manifest = readJsonManifest(path.join(folder, 'extraction.json'));
    const item = (p: string) => manifest.items.find((i) => i.path === p)!;
    expect(manifest.header.plugins.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining(['zephyr-backup', 'zephyr-notes-db', 'zephyr-apps']),
    );
    const locked = item('sdcard/ZephyrNotes/Backups/locked.znbk');
    expect(locked.format?.id).toBe('zephyr-backup-encrypted');
    expect(locked.classification.status).toBe('encrypted');
    expect(locked.classification.reasons.map((r: { code: string }) => r.code)).toEqual([
      'ZEPHYR_HEADER',
      'ZEPHYR_ENCRYPTED_FLAG',
    ]);
    expect(locked.encryption?.keyHint).toMatchObject({
      kind: 'key-file',
      present: 'yes',
      foundAt: ['data/data/com.zephyr.notes/files/backup.key'],
    });
    expect(locked.app).toMatchObject({ id: 'com.zephyr.notes', rule: 'zephyr-notes-sdcard', name: 'Zephyr Notes' });
    expect(item('sdcard/ZephyrNotes/Backups/open.znbk').classification.status).toBe('analysable');
    const db = item('data/data/com.zephyr.notes/databases/notes.db');
    expect(db.format?.id).toBe('sqlite');
    expect(db.artifact).toMatchObject({ id: 'zephyr-notes', counts: { notes: 3, folders: 1 }, by: 'zephyr-notes-db' });
    expect(db.app).toMatchObject({
      id: 'com.zephyr.notes',
      rule: 'zephyr-notes-data',
      name: 'Zephyr Notes',
      category: 'productivity',
    });
    expect(item('data/data/com.zephyr.notes/files/backup.key').app?.id).toBe('com.zephyr.notes');
    expect(manifest.summary.complete).toBe(true);
  }, 300_000);
});
