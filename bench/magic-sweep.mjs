/**
 * Every signature a built-in detector declares (anchored at a fixed offset), with uniformly random bytes
 * around and after it, through every detector and the classify stage. A format whose body is structured must
 * not be believed from its magic alone: random bytes there are a damaged file or ciphertext with a chance
 * prefix. Lists each signature whose verdict is readable (analysable), with the reason, so each can be
 * checked: a format whose body is compressed or encrypted by design may rightly be named.
 *
 * Usage: node bench/magic-sweep.mjs [--seed 1] [--sizes 4096,40000]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const args = process.argv.slice(2);
const opt = (k, d) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : d;
};

if (!process.execArgv.some((a) => a.includes('tsx'))) {
  const r = spawnSync(
    process.execPath,
    ['--conditions=@evtriage/source', '--import', 'tsx', fileURLToPath(import.meta.url), ...args],
    { stdio: 'inherit', cwd: repo },
  );
  process.exit(r.status ?? 1);
}

let state = Number(opt('--seed', 1)) >>> 0 || 1;
function fill(b) {
  for (let i = 0; i < b.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    b[i] = state & 0xff;
  }
}

const src = (p) => import(path.join(repo, 'packages', p));
const { builtinDetectors } = await src('parsers/src/plugins.ts');
const { createIdentifier } = await src('core/src/pipeline/identify.ts');
const { classify } = await src('core/src/pipeline/classify.ts');
const { probePlan } = await src('core/src/pipeline/probe.ts');
const { DEFAULT_LIMITS } = await src('core/src/limits.ts');
const identifier = createIdentifier(builtinDetectors, DEFAULT_LIMITS);
const sizes = opt('--sizes', '4096,40000').split(',').map(Number);

const found = [];
let tried = 0;
for (const d of builtinDetectors) {
  for (const s of d.signatures ?? []) {
    if (s.fromEnd || s.within) continue;
    const magic = s.hex ? Buffer.from(s.hex, 'hex') : Buffer.from(s.ascii ?? '', 'latin1');
    for (const size of sizes) {
      if (s.offset + magic.length > size) continue;
      const file = new Uint8Array(size);
      fill(file);
      file.set(magic, s.offset);
      const plan = probePlan(size, DEFAULT_LIMITS);
      const probe = {
        path: 'f.bin',
        logicalPath: 'f.bin',
        name: 'f.bin',
        extension: 'bin',
        size,
        head: file.subarray(0, plan.head),
        tail: plan.tail ? file.subarray(size - plan.tail) : new Uint8Array(0),
        samples: plan.samples.map((o) => ({ offset: o, bytes: file.subarray(o, o + DEFAULT_LIMITS.probeSampleBytes) })),
        complete: plan.head === size,
      };
      tried++;
      const { candidates } = await identifier.identify(probe);
      const { classification, format } = classify(candidates, probe);
      if (classification.status !== 'analysable') continue;
      found.push(
        `${d.meta.id} @${s.offset} ${s.hex ?? JSON.stringify(s.ascii)} (${size} B) -> ${format?.id} (${format?.detector}): ${classification.reasons[0]?.message.slice(0, 160)}`,
      );
    }
  }
}
console.log(`${tried} signature and size pairs; ${found.length} called readable:`);
for (const line of found) console.log(`  ${line}`);
