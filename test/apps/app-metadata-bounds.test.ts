/**
 * The app pass's own bounds (docs/forensic-soundness.md §6, "The app pass under supervision"): metadata readers
 * from modules run on a supervised thread (a loop ends in PLUGIN_TIMEOUT, a heap blow-up in MEMORY_LIMIT, on the
 * file's item, and the scan goes on), and a list keeps at most MAX_APPS_PER_LIST apps with APP_LIST_TRUNCATED.
 * Inputs are generated here; nothing depends on speed (the deadlines are short only so the test is).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderSource, type Plugin, type ScanLimits } from '@evtriage/core';
import { MAX_APPS_PER_LIST } from '../../packages/core/src/pipeline/app-metadata.js';
import { builtinPlugins } from '@evtriage/parsers';
import { at, scanSource, tempDir, type Scanned } from './scan-tree.js';

const root = tempDir('bounds');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const write = (rel: string, text: string | Buffer): string => {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};

// Third-party app rules as a module: readers that loop, allocate without end, or name 30,000 apps.
const moduleUrl = pathToFileURL(
  write(
    'plugins/hostile-apps.mjs',
    `const list = (id, pattern, read) => ({ id, platform: 'android', pattern, maxBytes: 1 << 20, read });
export const hostileApps = { kind: 'app-rules', meta: { id: 'hostile-apps', version: '1.0.0', title: 'Hostile readers' }, rules: [],
  packageLists: [
    list('loops', '(^|/)loops\\\\.list$', () => { for (;;) {} }),
    list('swells', '(^|/)swells\\\\.list$', () => { const keep = []; for (;;) keep.push(new Array(1e5).fill(keep.length)); }),
    list('long', '(^|/)long\\\\.list$', (bytes) => bytes.toString('latin1').split('\\n').filter(Boolean).map((id) => ({ id }))),
  ] };
`,
  ),
).href;

// Fixed-seed names (xorshift), so the lists are the same on every run.
function names(count: number, seed: number): string[] {
  let x = seed;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.push(`com.hostile.a${i}x${(x >>> 0).toString(36)}`);
  }
  return out;
}

/** The scan engine's default concurrency, as the CLI runs these readers. */
const SCAN_CONCURRENCY = 64;

function scanWith(
  evidence: string,
  plugins: readonly Plugin[],
  modules: readonly string[],
  limits: Partial<ScanLimits> = {},
): Promise<Scanned> {
  return scanSource(new FolderSource(evidence), SCAN_CONCURRENCY, { plugins, appMetadataModules: modules, limits });
}

describe('the app pass: readers under supervision, lists bounded', () => {
  it('ends a reader that loops, warns on its file, and scans the rest', async () => {
    const evidence = path.join(root, 'ev-loops');
    // A list read first starts the thread (a new thread's first call also has time to import the modules).
    write('ev-loops/a/long.list', 'com.example.first\n');
    write('ev-loops/loops.list', 'a\n');
    write('ev-loops/readme.txt', 'nothing to see\n');
    write('ev-loops/data/system/packages.list', 'com.whatsapp 10123 0 /data/user/0/com.whatsapp\n');
    const mod = (await import(moduleUrl)) as { hostileApps: Plugin };
    // A short deadline only so the test is quick: the reader never returns, whatever the machine.
    const s = await scanWith(evidence, [...builtinPlugins, mod.hostileApps], [moduleUrl], { pluginTimeoutMs: 300 });
    expect(at(s, 'loops.list').errors).toEqual([
      expect.objectContaining({
        stage: 'attribute',
        code: 'PLUGIN_TIMEOUT',
        plugin: 'hostile-apps',
        severity: 'warning',
      }),
    ]);
    // The built-in list (read in place here: under vitest the built-ins are TypeScript a thread cannot import).
    expect(at(s, 'readme.txt').errors).toEqual([]);
    expect(at(s, 'a/long.list').errors).toEqual([]);
    expect(s.summary.complete).toBe(true);
    expect(s.summary.apps.find((a) => a.id === 'com.whatsapp')?.installed).toBe(true);
    expect(s.summary.apps.find((a) => a.id === 'com.example.first')?.installed).toBe(true);
  });

  it('ends a reader that passes the heap cap, and the next list gets a new thread', async () => {
    const evidence = path.join(root, 'ev-swells');
    write('ev-swells/swells.list', 'a\n');
    write('ev-swells/zz/long.list', 'com.example.after\n');
    const mod = (await import(moduleUrl)) as { hostileApps: Plugin };
    // The default deadline (10 s + 5 s); arrays of 0.8 MB pass a 96 MiB cap within a second or so.
    const s = await scanWith(evidence, [mod.hostileApps], [moduleUrl], { workerHeapMb: 96 });
    expect(at(s, 'swells.list').errors).toEqual([
      expect.objectContaining({
        stage: 'attribute',
        code: 'MEMORY_LIMIT',
        plugin: 'hostile-apps',
        severity: 'warning',
      }),
    ]);
    expect(at(s, 'zz/long.list').errors).toEqual([]);
    expect(s.summary.apps.find((a) => a.id === 'com.example.after')?.installed).toBe(true);
    expect(s.summary.complete).toBe(true);
  });

  it('keeps the first MAX_APPS_PER_LIST apps of a longer list and says so, on the thread and in place', async () => {
    const evidence = path.join(root, 'ev-long');
    write('ev-long/long.list', names(30_000, 0x2545f491).join('\n'));
    const mod = (await import(moduleUrl)) as { hostileApps: Plugin };
    for (const modules of [[moduleUrl], []]) {
      const s = await scanWith(evidence, [mod.hostileApps], modules);
      const [warning] = at(s, 'long.list').errors;
      expect(warning).toMatchObject({ code: 'APP_LIST_TRUNCATED', plugin: 'hostile-apps', severity: 'warning' });
      expect(warning!.message).toContain(`30000 apps read from the list`);
      expect(s.summary.apps.filter((a) => a.installed)).toHaveLength(MAX_APPS_PER_LIST);
    }
  });

  it('reports a built-in package list longer than the bound instead of cutting it silently', async () => {
    const evidence = path.join(root, 'ev-builtin');
    const lines = names(MAX_APPS_PER_LIST + 5_000, 0x9e3779b9).map((n, i) => `${n} ${10_000 + i} 0 /data/user/0/${n}`);
    write('ev-builtin/data/system/packages.list', lines.join('\n'));
    // In place: under vitest the built-ins are TypeScript modules a thread cannot import (the CLI's run on the thread).
    const s = await scanWith(evidence, builtinPlugins, []);
    expect(at(s, 'data/system/packages.list').errors).toEqual([
      expect.objectContaining({ code: 'APP_LIST_TRUNCATED', plugin: 'mobile-apps', severity: 'warning' }),
    ]);
    expect(s.summary.apps.filter((a) => a.installed)).toHaveLength(MAX_APPS_PER_LIST);
  });
});
