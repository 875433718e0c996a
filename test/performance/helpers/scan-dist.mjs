/**
 * Scans a folder with the compiled packages in a plain Node process and
 * prints every item plus what the worker prober reports, as one JSON line.
 * worker-identify.test.ts runs it: worker threads inherit their parent's
 * module conditions, and vitest's cannot load TypeScript in a worker.
 *
 * Usage: node scan-dist.mjs '[{"evidence": "...", "workerModules": [...], "plugin": "...", "shout": true, "counting": true}, …]'
 * Each object is one scan, run one after the other in this process (one process start for all of them); the
 * line printed is the array of their results.
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
const runs = JSON.parse(process.argv[2]);

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

async function scanOnce(opts) {
  const modules = opts.workerModules.map((m) => (m === 'builtin' ? parsers.builtinPluginsModule : m));
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
  await prober?.close();
  return {
    items,
    identified: prober?.identifiedOnWorkers,
    unavailable: prober?.identifyUnavailable,
    workerIds: prober?.workerDetectorIds,
  };
}

const results = [];
for (const opts of runs) results.push(await scanOnce(opts));
process.stdout.write(JSON.stringify(results) + '\n');
