/**
 * I/O-path comparison behind the default prober choice: scans a folder with
 * the built-in plugins through each prober (main-thread sync reads, the
 * worker pool with 1/2 workers), and also probe-only passes (no detectors)
 * so the cost of reading is seen apart from the cost of detecting.
 *
 * Usage: node bench/io-paths.mjs <folder> [--concurrency 16,64] [--runs 1]
 * (after `tsc -b packages/cli`). Prints one line per variant.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const core = {
  ...(await import(path.join(repo, 'packages/core/dist/index.js'))),
  ...(await import(path.join(repo, 'packages/core/dist/internal.js'))),
};
const { builtinPlugins } = await import(path.join(repo, 'packages/parsers/dist/index.js'));
const args = process.argv.slice(2);
const root = args[0];
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const concurrencies = opt('--concurrency', '16,64').split(',').map(Number);
const runs = Number(opt('--runs', 1));
const only = opt('--only', 'probe,scan').split(',');

const probers = {
  'main-thread sync': () => core.createProber(core.DEFAULT_LIMITS),
  'workers x1': () => core.createWorkerProber(core.DEFAULT_LIMITS, { workers: 1 }),
  'workers x2': () => core.createWorkerProber(core.DEFAULT_LIMITS, { workers: 2 }),
};

async function probeOnly(makeProber, concurrency) {
  // Enumerate with the folder source, probe every file, nothing else.
  const source = new core.FolderSource(root);
  const prober = makeProber();
  const inflight = new Set();
  let n = 0;
  for await (const e of source.entries()) {
    if (e.kind !== 'file') continue;
    const p = prober.probe(e).then(() => {
      n++;
      inflight.delete(p);
    });
    inflight.add(p);
    if (inflight.size >= concurrency) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  await prober.close();
  return n;
}

async function fullScan(makeProber, concurrency) {
  const run = core.scan(await core.openSource(root), { plugins: builtinPlugins, prober: makeProber(), concurrency });
  let n = 0;
  for await (const item of run) if (item) n++;
  await run.summary;
  return n;
}

for (const mode of only) {
  for (const [name, make] of Object.entries(probers)) {
    for (const c of concurrencies) {
      for (let r = 0; r < runs; r++) {
        const t0 = process.hrtime.bigint();
        const n = mode === 'probe' ? await probeOnly(make, c) : await fullScan(make, c);
        const s = Number(process.hrtime.bigint() - t0) / 1e9;
        console.log(
          `${mode.padEnd(5)} ${name.padEnd(18)} concurrency ${String(c).padStart(3)}: ${n} files in ${s.toFixed(2)} s = ${Math.round(n / s)} files/s`,
        );
      }
    }
  }
}
void fs;
