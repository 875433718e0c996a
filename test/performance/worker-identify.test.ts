/**
 * Detectors on the probe workers (core/pipeline/identify-worker.ts): the
 * same items as running every detector on the main thread, whatever mix of
 * worker-side and main-thread detectors a scan has, and the worker path is
 * really taken.
 *
 * Runs the compiled packages (`dist/`, built by the test command before
 * vitest) in a plain Node process (helpers/scan-dist.mjs): worker threads
 * inherit their parent's module conditions, and under vitest they would try
 * to load the TypeScript sources with a plain `import()`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const sample = path.join(repo, 'examples/sample-extraction');
const runner = path.join(import.meta.dirname, 'helpers/scan-dist.mjs');
let tmp: string;
let evidence: string;
let pluginUrl: string;

interface Item {
  path: string;
  kind: string;
  format?: { id: string; detector: string };
  classification: { reasons: Array<{ message: string }> };
  errors: Array<Record<string, unknown>>;
}
interface Run {
  items: Item[];
  identified?: number;
  unavailable?: string;
  workerIds?: string[];
}

type ScanOptions = { workerModules: string[]; plugin?: boolean; shout?: boolean; counting?: boolean };
/** Runs the scans one after the other in one Node process (one start-up for all of them). */
function scanDist(list: ScanOptions[]): Run[] {
  const arg = JSON.stringify(
    list.map((options) => ({ evidence, ...options, ...(options.plugin ? { plugin: pluginUrl } : {}) })),
  );
  return JSON.parse(execFileSync(process.execPath, [runner, arg], { encoding: 'utf8', maxBuffer: 64 << 20 })) as Run[];
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-worker-identify-'));
  evidence = path.join(tmp, 'evidence');
  fs.cpSync(sample, evidence, { recursive: true });
  // Files the built-ins classify only by statistics or fallbacks, and one the plugin below fails on.
  let x = 99;
  fs.writeFileSync(
    path.join(evidence, 'blob.bin'),
    Buffer.alloc(20000).map(() => (x = (x * 1103515245 + 12345) >>> 0) >>> 24),
  );
  fs.writeFileSync(path.join(evidence, 'empty.dat'), '');
  fs.writeFileSync(path.join(evidence, 'boom.marker'), 'BOOM this file makes the plugin detector throw\n');
  fs.writeFileSync(path.join(evidence, 'note.case'), 'CASE-NOTE 1\nwritten by the investigator\n');
  // A plugin module: a detector that claims case notes over the built-in text detector, and throws on "BOOM".
  const plugin = path.join(tmp, 'case-notes.mjs');
  pluginUrl = pathToFileURL(plugin).href;
  fs.writeFileSync(
    plugin,
    `import { defineDetector } from ${JSON.stringify(pathToFileURL(path.join(repo, 'packages/core/dist/index.js')).href)};
export const caseNotes = defineDetector({
  meta: { id: 'case-notes', version: '1.0.0', title: 'Case notes', formats: [{ id: 'case-note', name: 'Case note', status: 'analysable', how: 'signature' }] },
  priority: 5,
  detect(probe) {
    const head = Buffer.from(probe.head).toString('latin1');
    if (head.startsWith('BOOM')) throw new Error('boom on ' + probe.name);
    if (!head.startsWith('CASE-NOTE')) return undefined;
    return { format: { id: 'case-note', name: 'Case note' }, status: 'analysable', confidence: 0.99, reasons: [{ code: 'CASE_NOTE_MAGIC', message: 'Starts with CASE-NOTE.' }] };
  },
});
`,
  );
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const byPath = (run: Run, p: string) => run.items.find((i) => i.path === p)!;

describe('detectors on the probe workers', () => {
  let runs: Run[];
  beforeAll(() => {
    runs = scanDist([
      { workerModules: [], plugin: true },
      { workerModules: ['builtin', pluginUrl], plugin: true },
      { workerModules: ['builtin', pluginUrl], plugin: true, counting: true },
      { workerModules: [], plugin: true, shout: true },
      { workerModules: ['builtin', pluginUrl], plugin: true, shout: true, counting: true },
    ]);
  });

  it('give the same items as the main thread, and the worker path is taken', () => {
    const [mainOnly, onWorkers, counted] = runs as [Run, Run, Run];
    expect(onWorkers.items).toEqual(mainOnly.items);
    expect(counted.items).toEqual(mainOnly.items);
    expect(counted.unavailable).toBeUndefined();
    // Every file went through a worker's detectors: the folder's, and the archive members (read on the main
    // thread through their container, identified on a worker under its watchdog).
    const files = fs.readdirSync(evidence, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length;
    const members = counted.items.filter((i) => i.path.includes('!/') && i.kind === 'file').length;
    expect(members).toBeGreaterThan(0);
    expect(counted.identified).toBe(files + members);
    expect(counted.workerIds).toContain('case-notes');
    // The plugin's decisions and failures come back from the worker as they do on the main thread.
    expect(byPath(mainOnly, 'note.case').format).toMatchObject({ id: 'case-note', detector: 'case-notes' });
    expect(byPath(counted, 'boom.marker').errors).toContainEqual(
      expect.objectContaining({
        stage: 'identify',
        code: 'PLUGIN_THREW',
        plugin: 'case-notes',
        message: 'detector case-notes failed: boom on boom.marker',
      }),
    );
  });

  it('merge worker answers with main-thread detectors in registry order', () => {
    const [mainOnly, mixed] = runs.slice(3) as [Run, Run];
    expect(mixed.items).toEqual(mainOnly.items);
    expect(mixed.workerIds).not.toContain('shout');
    // Same confidence and priority: registry order decides (case-notes sorts before shout), the other is a reason.
    const note = byPath(mixed, 'note.case');
    expect(note.format!.detector).toBe('case-notes');
    expect(note.classification.reasons.map((r) => r.message).join(' ')).toContain('shout');
  });

  it('a detector object that is not the module export stays on the main thread', async () => {
    const core = await import('@evtriage/core/internal');
    const parsers = await import('@evtriage/parsers');
    const copy = { ...parsers.builtinDetectors.find((d) => d.meta.id === 'text')! };
    const plugins = parsers.builtinPlugins.map((p) => (p.meta.id === 'text' ? copy : p));
    const ids = await core.workerDetectorIds(core.createRegistry(plugins).detectors, [parsers.builtinPluginsModule]);
    expect(ids).not.toContain('text');
    expect(ids).toContain('sqlite');
  });
});
