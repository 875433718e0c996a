/**
 * Where identification time goes: scans a folder with every built-in plugin
 * wrapped in a timer and prints, per detector and parser, calls, time per
 * call and time per item. Run at concurrency 1 (the default here) so async
 * plugins are timed alone, not with the waits of other items.
 *
 * Usage: node bench/plugin-costs.mjs <folder> [concurrency]   (after `tsc -b packages/cli`)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const core = await import(path.join(repo, 'packages/core/dist/index.js'));
const { builtinPlugins } = await import(path.join(repo, 'packages/parsers/dist/index.js'));
const root = process.argv[2];
const concurrency = Number(process.argv[3] ?? 1);
const cost = new Map();

function timed(plugin, key) {
  const original = plugin[key];
  const id = `${plugin.meta.id}:${key}`;
  const note = (t0) => {
    const c = cost.get(id) ?? { calls: 0, ms: 0 };
    c.calls++;
    c.ms += performance.now() - t0;
    cost.set(id, c);
  };
  return {
    ...plugin,
    [key](...args) {
      const t0 = performance.now();
      const r = original.apply(this, args);
      if (r && typeof r.then === 'function') return r.finally(() => note(t0));
      note(t0);
      return r;
    },
  };
}

const plugins = builtinPlugins.map((p) =>
  typeof p.detect === 'function' ? timed(p, 'detect') : typeof p.parse === 'function' ? timed(p, 'parse') : p,
);
const t0 = performance.now();
const run = core.scan(await core.openSource(root), { plugins, concurrency });
let items = 0;
for await (const item of run) if (item) items++;
console.log(`${items} items in ${((performance.now() - t0) / 1000).toFixed(1)} s (concurrency ${concurrency})`);
console.log('| plugin | calls | µs/call | µs/item |\n|---|---:|---:|---:|');
for (const [id, c] of [...cost].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(
    `| ${id} | ${c.calls} | ${((c.ms * 1000) / c.calls).toFixed(0)} | ${((c.ms * 1000) / items).toFixed(0)} |`,
  );
}
