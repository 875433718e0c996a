/**
 * Uniformly random bytes under every file extension a built-in detector declares, through every detector and
 * the classify stage: what a name alone makes of ciphertext. A verdict other than encrypted (or random key
 * material) is a name rule outranking the bytes: listed with its reason. Sizes 64 B to 64 KiB.
 *
 * Usage: node bench/extension-sweep.mjs [--seed 1]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const args = process.argv.slice(2);

if (!process.execArgv.some((a) => a.includes('tsx'))) {
  const r = spawnSync(
    process.execPath,
    ['--conditions=@evtriage/source', '--import', 'tsx', fileURLToPath(import.meta.url), ...args],
    { stdio: 'inherit', cwd: repo },
  );
  process.exit(r.status ?? 1);
}

const seedAt = args.indexOf('--seed');
let state = (seedAt >= 0 ? Number(args[seedAt + 1]) : 1) >>> 0 || 1;
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

const extensions = new Set();
for (const d of builtinDetectors) for (const f of d.meta.formats) for (const e of f.extensions ?? []) extensions.add(e);
const RANDOM_VERDICTS = new Set(['unknown-encrypted', 'random-keyfile', 'truecrypt-veracrypt']);
const found = new Map();
for (const ext of [...extensions].sort()) {
  for (const size of [64, 1000, 4096, 40000, 65536]) {
    const file = new Uint8Array(size);
    fill(file);
    const plan = probePlan(size, DEFAULT_LIMITS);
    const name = `f.${ext}`;
    const probe = {
      path: name,
      logicalPath: name,
      name,
      extension: ext,
      size,
      head: file.subarray(0, plan.head),
      tail: plan.tail ? file.subarray(size - plan.tail) : new Uint8Array(0),
      samples: plan.samples.map((o) => ({ offset: o, bytes: file.subarray(o, o + DEFAULT_LIMITS.probeSampleBytes) })),
      complete: plan.head === size,
    };
    const { candidates } = await identifier.identify(probe);
    const { classification, format } = classify(candidates, probe);
    if (format && RANDOM_VERDICTS.has(format.id)) continue;
    if (classification.status === 'encrypted') continue;
    const key = `${classification.status} ${format?.id ?? '-'} (${format?.detector ?? '-'})`;
    const entry = found.get(key) ?? { reason: classification.reasons[0]?.message ?? '', cases: [] };
    entry.cases.push(`.${ext}@${size}`);
    found.set(key, entry);
  }
}
console.log(`${extensions.size} extensions, 5 sizes each`);
for (const [key, { reason, cases }] of [...found].sort((a, b) => b[1].cases.length - a[1].cases.length)) {
  console.log(`${String(cases.length).padStart(5)}  ${key}: ${cases.slice(0, 10).join(' ')}`);
  console.log(`       ${reason.slice(0, 200)}`);
}
