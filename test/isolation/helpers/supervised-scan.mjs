/**
 * Scans a folder with the compiled packages in a plain Node process, built-in
 * detectors (and, with "hostile", hostile-detectors.mjs) on the probe
 * workers, and prints the items and the prober's counts as one JSON line.
 * Worker threads inherit their parent's module conditions: under vitest they
 * could not load the compiled worker's imports the way a user's scan does.
 *
 * Usage: node supervised-scan.mjs '{"evidence": "...", "hostile": true, "limits": {...}}'
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = path.resolve(import.meta.dirname, '../../..');
const load = (p) => import(pathToFileURL(path.join(repo, p)).href);
const core = { ...(await load('packages/core/dist/index.js')), ...(await load('packages/core/dist/internal.js')) };
const parsers = await load('packages/parsers/dist/index.js');
const opts = JSON.parse(process.argv[2]);
const hostileUrl = pathToFileURL(path.join(import.meta.dirname, 'hostile-detectors.mjs')).href;

const plugins = [...parsers.builtinPlugins];
const modules = [parsers.builtinPluginsModule];
if (opts.hostile) {
  const hostile = await import(hostileUrl);
  plugins.push(hostile.loopForever, hostile.swell, hostile.hang);
  modules.push(hostileUrl);
}
const limits = { ...core.DEFAULT_LIMITS, ...opts.limits };
const ids = await core.workerDetectorIds(core.createRegistry(plugins).detectors, modules);
const prober = core.createWorkerProber(limits, { identify: { modules, ids, limits } });
const source = await core.openSource(opts.evidence);
const items = [];
for await (const item of core.scan(source, {
  plugins,
  containers: parsers.builtinContainers,
  limits,
  workerDetectorModules: modules,
  prober,
}))
  items.push(item);
await source.close();

// The thread a hostile detector looped on (it wrote its /proc path): still there, in this process, once
// the scan is over? Terminating a worker takes moments; 10 s without it ending means it never will.
let loopingThread;
const marker = process.env.EVTRIAGE_TEST_THREAD_FILE;
if (marker && fs.existsSync(marker)) {
  const task = `/proc/${fs.readFileSync(marker, 'utf8')}`;
  for (let waited = 0; fs.existsSync(task) && waited < 10_000; waited += 50)
    await new Promise((r) => setTimeout(r, 50));
  loopingThread = { task, ended: !fs.existsSync(task) };
}
process.stdout.write(
  JSON.stringify({ items, replaced: prober.workersReplaced, identified: prober.identifiedOnWorkers, loopingThread }) +
    '\n',
);
