/**
 * The detector stage of two checkouts, side by side in one process: each checkout's registry and identifier
 * over the same files, read as each one's probe plan reads them (head, samples, tail), rounds alternated, CPU
 * time per file. The rest of a scan (walking, hashing, writing, worker messages) is left out, so a change in
 * what detectors cost is not lost in the noise of a whole scan on a shared machine. The first rounds warm the
 * JIT: compare the last ones. Runs from TypeScript sources (re-executes itself with tsx), so neither checkout
 * needs a build; both need their dependencies installed.
 *
 * Usage: node bench/detector-stage-ab.mjs --old <checkout> [--new <checkout>] [--rounds 4] <folder>
 */
import { closeSync, lstatSync, openSync, readSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { option as opt, repo, underTsx } from './from-sources.mjs';

underTsx(import.meta.url);
const args = process.argv.slice(2);

const folder = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')).pop();
const oldRoot = opt('--old');
if (!folder || !oldRoot) {
  console.error('usage: node bench/detector-stage-ab.mjs --old <checkout> [--new <checkout>] [--rounds 4] <folder>');
  process.exit(2);
}
const roots = { old: path.resolve(oldRoot), new: path.resolve(opt('--new', repo)) };
const rounds = Number(opt('--rounds', 4));

async function load(root) {
  const src = (p) => import(path.join(root, 'packages', p));
  return {
    detectors: (await src('parsers/src/plugins.ts')).builtinDetectors,
    createIdentifier: (await src('core/src/pipeline/identify.ts')).createIdentifier,
    probePlan: (await src('core/src/pipeline/probe.ts')).probePlan,
    limits: (await src('core/src/limits.ts')).DEFAULT_LIMITS,
  };
}

const files = [];
(function walk(p) {
  const st = lstatSync(p);
  if (st.isDirectory()) for (const e of readdirSync(p)) walk(path.join(p, e));
  else if (st.isFile()) files.push({ p, size: st.size });
})(path.resolve(folder));

function probes(build) {
  return files.map(({ p, size }) => {
    const plan = build.probePlan(size, build.limits);
    const fd = openSync(p, 'r');
    const read = (at, n) => {
      const b = Buffer.alloc(n);
      readSync(fd, b, 0, n, at);
      return b;
    };
    const name = path.basename(p);
    const rel = path.relative(folder, p);
    const probe = {
      path: rel,
      logicalPath: rel,
      name,
      extension: name.includes('.') ? name.split('.').pop().toLowerCase() : '',
      size,
      head: read(0, plan.head),
      tail: plan.tail ? read(size - plan.tail, plan.tail) : new Uint8Array(0),
      samples: plan.samples.map((o) => ({ offset: o, bytes: read(o, build.limits.probeSampleBytes) })),
      complete: plan.head === size,
    };
    closeSync(fd);
    return probe;
  });
}

const builds = { old: await load(roots.old), new: await load(roots.new) };
const sets = { old: probes(builds.old), new: probes(builds.new) };
for (const k of ['old', 'new']) console.log(`${k}: ${roots[k]}, ${builds[k].detectors.length} detectors`);
for (let round = 1; round <= rounds; round++) {
  for (const k of ['old', 'new']) {
    const b = builds[k];
    const identifier = b.createIdentifier(b.detectors, b.limits);
    const t0 = process.cpuUsage();
    for (const probe of sets[k]) await identifier.identify(probe);
    const t = process.cpuUsage(t0);
    console.log(
      `round ${round} ${k}: ${((t.user + t.system) / files.length).toFixed(1)} µs CPU a file (${files.length} files)`,
    );
  }
}
