/**
 * Parsers from modules run in supervised child processes (packages/core/src/pipeline/parse-pool.ts).
 * End to end with the built CLI (packages/cli/dist: the pool needs the compiled child entry; `pnpm test`
 * builds first): a --plugin parser that loops forever, one that swells its heap and one that aborts its
 * process each cost only their own item, the scan completes, and items come out the same as when every
 * parser runs in the CLI's own process (--no-isolate-plugins).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

const bin = path.join(repoRoot, 'packages/cli/dist/bin.js');
const hostile = path.join(repoRoot, 'test/isolation/hostile-parsers.mjs');

interface Run {
  code: number | null;
  stderr: string;
  pid: number;
}

function runBuiltCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, pid: child.pid! }));
  });
}

interface Item {
  path: string;
  errors: Array<{ stage: string; code: string; message: string; plugin?: string; severity: string }>;
  [key: string]: unknown;
}
interface Manifest {
  items: Item[];
  summary: { complete: boolean };
}

const readManifest = (file: string): Manifest => JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;

/** Whether `pid` is a running process (a zombie has ended: it burns nothing). */
function alive(pid: number): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // The state is the first field after the parenthesised command name.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
}

/**
 * Resolves once `pid` has ended. Waits on the event, not for a time: a process that never ends fails the test at
 * its timeout, however fast or slow the machine.
 */
async function untilGone(pid: number): Promise<void> {
  while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-parse-pool-'));
const evidence = path.join(tmp, 'evidence');
const pidDir = path.join(tmp, 'pids');
// Real files the built-in parsers act on, beside the ones the hostile parsers pick.
const ordinary = [
  'packages/parsers/fixtures/android-sms/sample.db',
  'packages/parsers/fixtures/app-preferences/com.whatsapp_preferences.xml',
  'examples/sample-extraction/android/data/media/0/Documents/contract-locked.pdf',
  'examples/sample-extraction/android/data/media/0/Download/holiday.zip',
];

beforeAll(() => {
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run the build (pnpm run build) before these tests`);
  fs.mkdirSync(evidence);
  fs.mkdirSync(pidDir);
  for (const f of ordinary) fs.copyFileSync(path.join(repoRoot, f), path.join(evidence, path.basename(f)));
  for (const f of ['loop-forever.txt', 'swell.txt', 'abort.txt'])
    fs.writeFileSync(path.join(evidence, f), `the test parser misbehaves on ${f}\n`);
  // A plugin budget far above what the built-in parsers need on these small files, on a loaded machine too
  // (it must never fire for them), and a loop that never ends (it always fires there); a small heap cap so
  // swelling ends soon.
  fs.writeFileSync(
    path.join(tmp, 'evtriage.config.json'),
    JSON.stringify({ scan: { limits: { pluginTimeoutMs: 5_000, workerHeapMb: 64 } } }),
  );
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Item paths the witness parser saw (it runs on every item that has a format), by the pid it ran in. */
const witnessed = (dir: string) =>
  new Map(
    fs
      .readdirSync(dir)
      .map((f) => [
        Number(f.replace('ran-', '')),
        fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean),
      ]),
  );

describe('parsers on the supervised child pool (built CLI)', () => {
  let hostileRun: Run;
  let manifest: Manifest;
  const cliTmp = path.join(tmp, 'cli-tmp');
  beforeAll(async () => {
    const out = path.join(tmp, 'hostile.json');
    fs.mkdirSync(cliTmp);
    hostileRun = await runBuiltCli(
      ['scan', evidence, '-o', out, '-q', '--plugin', hostile, '--config', path.join(tmp, 'evtriage.config.json')],
      { EVTRIAGE_TEST_PID_DIR: pidDir, TMPDIR: cliTmp },
    );
    manifest = readManifest(out);
  });
  const item = (name: string) => manifest.items.find((i) => i.path === name)!;

  it('completes the scan: every entry in a complete manifest, exit code 1 for the item errors', () => {
    expect(hostileRun.stderr).toBe('');
    expect(hostileRun.code).toBe(1);
    expect(manifest.summary.complete).toBe(true);
    expect(
      manifest.items
        .map((i) => i.path)
        .filter((p) => !p.includes('!/'))
        .sort(),
    ).toEqual(fs.readdirSync(evidence).sort());
  });

  it("gives each child a private temporary folder and removes it, the killed child's included", () => {
    const loopTmp = fs.readFileSync(path.join(pidDir, fs.readdirSync(pidDir)[0]!), 'utf8').split(' ')[1]!;
    expect(path.dirname(loopTmp)).toBe(cliTmp);
    expect(path.basename(loopTmp)).toMatch(/^evtriage-parse-/);
    expect(fs.readdirSync(cliTmp).filter((f) => f.startsWith('evtriage-parse-'))).toEqual([]);
  });

  it('stops a parser stuck in a synchronous loop: ITEM_TIMEOUT naming it; its process ends', async () => {
    const errors = item('loop-forever.txt').errors;
    expect(errors).toEqual([
      expect.objectContaining({ stage: 'parse', code: 'ITEM_TIMEOUT', plugin: 'test-loop-forever', severity: 'error' }),
    ]);
    expect(errors[0]!.message).toContain('parser test-loop-forever did not finish');
    // The parser before it on this item (test-annotate) found something: that is kept.
    expect(item('loop-forever.txt')['details']).toMatchObject({ 'test-annotate': { note: 'found before the loop' } });
    // The looping child wrote its pid; the scan is over: that process ends.
    const pids = fs.readdirSync(pidDir).map((f) => Number(fs.readFileSync(path.join(pidDir, f), 'utf8').split(' ')[0]));
    expect(pids.length).toBe(1);
    await untilGone(pids[0]!);
  });

  it('records a parser that swells past the heap cap as MEMORY_LIMIT naming it', () => {
    const errors = item('swell.txt').errors;
    expect(errors).toEqual([
      expect.objectContaining({ stage: 'parse', code: 'MEMORY_LIMIT', plugin: 'test-swell', severity: 'error' }),
    ]);
    expect(errors[0]!.message).toContain('workerHeapMb 64');
  });

  it('records a parser that aborts its process as WORKER_CRASHED naming it (after one retry)', () => {
    const errors = item('abort.txt').errors;
    expect(errors).toEqual([
      expect.objectContaining({ stage: 'parse', code: 'WORKER_CRASHED', plugin: 'test-abort', severity: 'error' }),
    ]);
    expect(errors[0]!.message).toMatch(/parser test-abort ended its worker process twice \(signal SIGABRT/);
  });

  it('leaves the other items exactly as a scan without the hostile plugin, all in-process, makes them', async () => {
    const out = path.join(tmp, 'plain.json');
    const plain = await runBuiltCli(['scan', evidence, '-o', out, '-q', '--no-isolate-plugins']);
    expect(plain.code).toBe(0);
    const expected = readManifest(out).items.filter((i) => !i.path.endsWith('.txt') || i.path.includes('!/'));
    const got = manifest.items.filter((i) => !i.path.endsWith('.txt') || i.path.includes('!/'));
    expect(got.length).toBeGreaterThan(ordinary.length);
    expect(got).toEqual(expected);
  });
});

describe('parsers on archive members, on the same pool', () => {
  it('stop a looping parser on a member at its deadline; the other members are parsed as in-process', async () => {
    const pids = fs.mkdtempSync(path.join(tmp, 'pids-'));
    const folder = fs.mkdtempSync(path.join(tmp, 'members-'));
    const staging = fs.mkdtempSync(path.join(tmp, 'staging-'));
    fs.writeFileSync(path.join(staging, 'loop-forever.txt'), 'the test parser loops on this member\n');
    for (const f of ordinary.slice(0, 2)) fs.copyFileSync(path.join(repoRoot, f), path.join(staging, path.basename(f)));
    execFileSync('zip', ['-q', '-X', path.join(folder, 'members.zip'), ...fs.readdirSync(staging)], { cwd: staging });
    const config = path.join(tmp, 'evtriage.config.json');
    const out = path.join(tmp, 'members.json');
    const run = await runBuiltCli(['scan', folder, '-o', out, '-q', '--plugin', hostile, '--config', config], {
      EVTRIAGE_TEST_PID_DIR: pids,
    });
    expect(run.code).toBe(1);
    const items = readManifest(out).items;
    const loop = items.find((i) => i.path === 'members.zip!/loop-forever.txt')!;
    expect(loop.errors).toEqual([
      expect.objectContaining({ stage: 'parse', code: 'ITEM_TIMEOUT', plugin: 'test-loop-forever', severity: 'error' }),
    ]);
    // It ran in a child process (which wrote its pid), not in the scan's: that process ends.
    const loopPid = Number(fs.readFileSync(path.join(pids, fs.readdirSync(pids)[0]!), 'utf8').split(' ')[0]);
    expect(loopPid).not.toBe(run.pid);
    await untilGone(loopPid);
    // The members the built-in parsers read (an SQLite database, an XML preferences file) come out as in-process.
    const plainOut = path.join(tmp, 'members-plain.json');
    expect((await runBuiltCli(['scan', folder, '-o', plainOut, '-q', '--no-isolate-plugins'])).code).toBe(0);
    const others = (list: typeof items) => list.filter((i) => !i.path.endsWith('loop-forever.txt'));
    expect(others(items).length).toBe(3);
    expect(others(items)).toEqual(others(readManifest(plainOut).items));
    expect(others(items).find((i) => i.path.endsWith('sample.db'))!['artifact']).toBeDefined();
  });
});

describe('interrupting a scan while a parser loops', () => {
  it('stops at once: exit code 130, a partial manifest, and the looping process is gone', async () => {
    const pids = fs.mkdtempSync(path.join(tmp, 'pids-'));
    const folder = fs.mkdtempSync(path.join(tmp, 'loop-only-'));
    fs.writeFileSync(path.join(folder, 'loop-forever.txt'), 'the test parser loops on this file\n');
    // A budget far longer than the test's timeout: only the interruption can end this scan in time.
    const config = path.join(tmp, 'long-budget.json');
    fs.writeFileSync(config, JSON.stringify({ scan: { limits: { pluginTimeoutMs: 600_000 } } }));
    const out = path.join(tmp, 'interrupted.ndjson');
    const child = spawn(
      process.execPath,
      [bin, 'scan', folder, '-o', out, '-f', 'ndjson', '-q', '--plugin', hostile, '--config', config],
      {
        cwd: repoRoot,
        env: { ...process.env, EVTRIAGE_TEST_PID_DIR: pids },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Interrupt once the parser is looping (its child process wrote its pid).
    while (fs.readdirSync(pids).length === 0) await new Promise((r) => setTimeout(r, 50));
    const loopPid = Number(fs.readFileSync(path.join(pids, fs.readdirSync(pids)[0]!), 'utf8').split(' ')[0]);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const records = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; complete?: boolean });
    expect(records.at(-1)).toMatchObject({ type: 'summary', complete: false });
    expect(alive(loopPid)).toBe(false);
  });
});

describe('the scan process killed while a parser loops', () => {
  it("leaves no looping child behind and no temporary folder (the child's watchdog thread removes it, then ends it)", async () => {
    const pids = fs.mkdtempSync(path.join(tmp, 'pids-'));
    const scanTmp = fs.mkdtempSync(path.join(tmp, 'killed-tmp-'));
    const folder = fs.mkdtempSync(path.join(tmp, 'loop-only-'));
    fs.writeFileSync(path.join(folder, 'loop-forever.txt'), 'the test parser loops on this file\n');
    const config = path.join(tmp, 'long-budget.json');
    fs.writeFileSync(config, JSON.stringify({ scan: { limits: { pluginTimeoutMs: 600_000 } } }));
    const child = spawn(
      process.execPath,
      [bin, 'scan', folder, '-o', path.join(tmp, 'killed.json'), '-q', '--plugin', hostile, '--config', config],
      {
        cwd: repoRoot,
        env: { ...process.env, EVTRIAGE_TEST_PID_DIR: pids, TMPDIR: scanTmp },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('close', (_code, signal) => resolve(signal)),
    );
    while (fs.readdirSync(pids).length === 0) await new Promise((r) => setTimeout(r, 50));
    const loopPid = Number(fs.readFileSync(path.join(pids, fs.readdirSync(pids)[0]!), 'utf8').split(' ')[0]);
    // No cleanup can run in the CLI: only the child's own watchdog can stop the loop.
    // One private folder per child the pool started (one per core beyond the scan's own, up to four).
    const folders = fs.readdirSync(scanTmp);
    expect(folders.length).toBeGreaterThan(0);
    expect(folders.every((f) => f.startsWith('evtriage-parse-'))).toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await untilGone(loopPid);
    // The idle children end on their own once their channel closes, each removing its folder as it goes.
    await vi.waitFor(() => expect(fs.readdirSync(scanTmp)).toEqual([]), { timeout: 30_000, interval: 50 });
  });
});

describe('which parsers go to the pool', () => {
  it('the very objects a module exports: all the built-ins, not a copy of one', async () => {
    const core = await import('@evtriage/core/internal');
    const parsers = await import('@evtriage/parsers');
    const all = core.createRegistry(parsers.builtinPlugins).parsers;
    expect(await core.moduleParserIds(all, [parsers.builtinPluginsModule])).toEqual(all.map((p) => p.meta.id));
    const copy = { ...all.find((p) => p.meta.id === 'app-preferences')! };
    const mixed = core.createRegistry(
      parsers.builtinPlugins.map((p) => (p.meta.id === 'app-preferences' ? copy : p)),
    ).parsers;
    const ids = await core.moduleParserIds(mixed, [parsers.builtinPluginsModule]);
    expect(ids).not.toContain('app-preferences');
    expect(ids).toContain('android-sms');
  });
});

describe('the pool and the in-process path give the same items', () => {
  for (const folder of ['examples/sample-extraction', 'packages/parsers/fixtures']) {
    it(folder, async () => {
      const pooled = path.join(tmp, 'pooled.json');
      const inProcess = path.join(tmp, 'in-process.json');
      const dirs = [fs.mkdtempSync(path.join(tmp, 'witness-')), fs.mkdtempSync(path.join(tmp, 'witness-'))] as const;
      // Budgets no parser reaches on a busy machine (the fixtures' KDBX empty-password check derives up to
      // 300,000 AES-KDF rounds): the two runs must differ only in where the parsers ran, never in a timeout.
      const config = path.join(tmp, 'ample-budget.json');
      fs.writeFileSync(
        config,
        JSON.stringify({ scan: { limits: { pluginTimeoutMs: 300_000, itemTimeoutMs: 600_000 } } }),
      );
      const args = (out: string) => ['scan', folder, '-o', out, '-q', '--plugin', hostile, '--config', config];
      const [a, b] = await Promise.all([
        runBuiltCli(args(pooled), { EVTRIAGE_TEST_WITNESS_DIR: dirs[0] }),
        runBuiltCli([...args(inProcess), '--no-isolate-plugins'], { EVTRIAGE_TEST_WITNESS_DIR: dirs[1] }),
      ]);
      expect(a.stderr).toBe('');
      expect(a.code).toBe(b.code);
      // Pooled: every item, folder file or archive member, was parsed in a child process (the witness shares
      // each item with the built-in parsers, so those ran there too); none in the CLI's own process.
      const pooledBy = witnessed(dirs[0]);
      const inChildren = [...pooledBy].filter(([pid]) => pid !== a.pid).flatMap(([, paths]) => paths);
      expect(inChildren.length).toBeGreaterThan(10);
      expect(inChildren.filter((p) => p.includes('!/')).length).toBeGreaterThan(0);
      expect(pooledBy.get(a.pid) ?? []).toEqual([]);
      // --no-isolate-plugins: everything in the CLI's own process.
      expect([...witnessed(dirs[1]).keys()]).toEqual([b.pid]);
      const got = readManifest(pooled).items;
      const want = readManifest(inProcess).items;
      expect(got.length).toBe(want.length);
      // Byte-for-byte, key order included (the manifest is written in item key order).
      expect(got.map((i) => JSON.stringify(i))).toEqual(want.map((i) => JSON.stringify(i)));
    });
  }
});

describe('parse children kept between scans in one process', () => {
  /** A folder holding copies of `files` (from `ordinary`), for a scan of its own. */
  const folderOf = (...files: string[]) => {
    const dir = fs.mkdtempSync(path.join(tmp, 'kept-'));
    for (const f of files) fs.copyFileSync(path.join(repoRoot, f), path.join(dir, path.basename(f)));
    return dir;
  };
  const scan = async (folder: string, env: NodeJS.ProcessEnv) => {
    const r = await runCli(
      ['scan', folder, '-o', path.join(folder, '..', `${path.basename(folder)}.json`), '-q', '--plugin', hostile],
      { env },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  };

  it('the next scan with the same plugins, environment and temporary folder takes the idle child', async () => {
    // Both scans in the CLI host: one process running command after command, as a library scans source after source.
    const witness = fs.mkdtempSync(path.join(tmp, 'witness-'));
    await scan(folderOf(ordinary[0]!), { EVTRIAGE_TEST_WITNESS_DIR: witness });
    await scan(folderOf(ordinary[1]!), { EVTRIAGE_TEST_WITNESS_DIR: witness });
    const byPid = [...witnessed(witness).values()];
    expect(byPid.flat().sort()).toEqual(['com.whatsapp_preferences.xml', 'sample.db']);
    // A child that parsed the first scan's database parsed the second scan's preferences too.
    expect(byPid.some((paths) => paths.includes('sample.db') && paths.includes('com.whatsapp_preferences.xml'))).toBe(
      true,
    );
  });

  it('a scan with another temporary folder (or environment) starts children of its own', async () => {
    const witness = fs.mkdtempSync(path.join(tmp, 'witness-'));
    await scan(folderOf(ordinary[0]!), { EVTRIAGE_TEST_WITNESS_DIR: witness });
    await scan(folderOf(ordinary[1]!), {
      EVTRIAGE_TEST_WITNESS_DIR: witness,
      TMPDIR: fs.mkdtempSync(path.join(tmp, 'other-tmp-')),
    });
    const byPid = [...witnessed(witness).values()];
    expect(byPid.flat().sort()).toEqual(['com.whatsapp_preferences.xml', 'sample.db']);
    expect(byPid.some((paths) => paths.length > 1)).toBe(false);
  });
});
