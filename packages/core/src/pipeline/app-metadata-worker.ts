/**
 * The app metadata readers' thread (app-metadata-thread.ts starts it). A
 * device's package list can be tens of MiB of hostile text; its reader is
 * plugin code that runs synchronously, and on the scan's main thread a reader
 * that loops or allocates without end would hold the whole scan (a 7.6 MB
 * `packages.xml` did, for 200 s, before its regex was fixed). Here the main
 * thread can end it: a deadline and a heap cap.
 *
 * The thread imports the same modules as the scan (by URL) and runs the rules
 * of the app-rules plugins they export, found by plugin and rule id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AppRulesPlugin } from '../plugin/types.js';
import type { AppMetadataReply, AppMetadataRequest } from './app-metadata-protocol.js';
import { exportedPlugins } from './identify-worker.js';

const modules = (workerData as { modules: readonly string[] }).modules;

let loadErrors = '';
const plugins: Promise<Map<string, AppRulesPlugin>> = (async () => {
  const found = new Map<string, AppRulesPlugin>();
  const failed: string[] = [];
  for (const url of modules) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(url)) as Record<string, unknown>;
    } catch (err) {
      // Its rules answer with this error; the other modules' rules still run.
      failed.push(`${url}: ${(err as Error).message}`);
      continue;
    }
    for (const p of exportedPlugins(mod)) if (p.kind === 'app-rules' && !found.has(p.meta.id)) found.set(p.meta.id, p);
  }
  loadErrors = failed.join('; ');
  return found;
})();

async function answer(m: AppMetadataRequest): Promise<AppMetadataReply> {
  const plugin = (await plugins).get(m.plugin);
  if (!plugin)
    return { type: 'error', message: `plugin ${m.plugin} not loaded on the thread${loadErrors && ` (${loadErrors})`}` };
  const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
  if (m.kind === 'container') {
    const rule = plugin?.containerMetadata?.find((r) => r.id === m.rule);
    if (!rule) return { type: 'error', message: `rule ${m.rule} of ${m.plugin} not found on the thread` };
    return { type: 'container', appId: rule.resolve(bytes, m.path) };
  }
  const rule = plugin?.packageLists?.find((r) => r.id === m.rule);
  if (!rule) return { type: 'error', message: `rule ${m.rule} of ${m.plugin} not found on the thread` };
  const apps = rule.read(bytes, m.path);
  // Only what the engine keeps crosses back (MAX_APPS_PER_LIST), with the count.
  return {
    type: 'list',
    apps: apps.slice(0, m.maxApps).map((a) => (a.name === undefined ? { id: a.id } : { id: a.id, name: a.name })),
    total: apps.length,
  };
}

parentPort!.on('message', (m: AppMetadataRequest) => {
  answer(m).then(
    (r) => parentPort!.postMessage(r),
    (err: unknown) => parentPort!.postMessage({ type: 'error', message: (err as Error).message ?? String(err) }),
  );
});
