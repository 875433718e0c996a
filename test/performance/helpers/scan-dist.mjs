/**
 * Scans a folder with the compiled packages in a plain Node process and
 * prints every item plus what the worker prober reports, as one JSON line.
 * worker-identify.test.ts runs it: worker threads inherit their parent's
 * module conditions, and vitest's cannot load TypeScript in a worker.
 *
 * Usage: node scan-dist.mjs '{"evidence": "...", "workerModules": [...], "plugin": "...", "shout": true, "counting": true}'
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../../..');
// The public entry point and the repository-internal one (workerDetectorIds, createRegistry, createWorkerProber).
const core = {
  ...(await import(pathToFileURL(path.join(repo, 'packages/core/dist/index.js')).href)),
  ...(await import(pathToFileURL(path.join(repo, 'packages/core/dist/internal.js')).href)),
};
const parsers = await import(pathToFileURL(path.join(repo, 'packages/parsers/dist/index.js')).href);
const opts = JSON.parse(process.argv[2]);
const modules = opts.workerModules.map((m) => (m === 'builtin' ? parsers.builtinPluginsModule : m));

// An in-process object (no module): it can only run on the main thread.
const shout = core.defineDetector({
  meta: {
    id: 'shout',
    version: '1.0.0',
    title: 'Shouting text',
    formats: [{ id: 'shout', name: 'Shouting', status: 'analysable', how: 'structure' }],
  },
  priority: 5,
  detect(probe) {
    const head = Buffer.from(probe.head).toString('latin1');
    return head.startsWith('CASE-NOTE')
      ? {
          format: { id: 'shout', name: 'Shouting' },
          status: 'analysable',
          confidence: 0.99,
          reasons: [{ code: 'UPPER', message: 'Starts in capitals.' }],
        }
      : undefined;
  },
});

const plugins = [...parsers.builtinPlugins];
if (opts.plugin) plugins.push((await import(opts.plugin)).caseNotes);
if (opts.shout) plugins.push(shout);
let prober;
if (opts.counting) {
  const ids = await core.workerDetectorIds(core.createRegistry(plugins).detectors, modules);
  prober = core.createWorkerProber(core.DEFAULT_LIMITS, { identify: { modules, ids, limits: core.DEFAULT_LIMITS } });
}
const source = await core.openSource(opts.evidence);
const items = [];
for await (const item of core.scan(source, {
  plugins,
  containers: parsers.builtinContainers,
  workerDetectorModules: modules,
  ...(prober ? { prober } : {}),
}))
  items.push(item);
await source.close();
process.stdout.write(
  JSON.stringify({
    items,
    identified: prober?.identifiedOnWorkers,
    unavailable: prober?.identifyUnavailable,
    workerIds: prober?.workerDetectorIds,
  }) + '\n',
);
