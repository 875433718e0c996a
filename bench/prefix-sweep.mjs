/**
 * Every two-byte prefix in front of uniformly random bytes, through every built-in detector and the
 * classify stage: what the registry says of ciphertext that happens to start like a format. Encrypted data
 * starts with any given two bytes once in 65,536 files, so a magic number short enough to be hit this way
 * must be confirmed by structure (a header checksum, frames that chain, a trial decode) or it turns
 * ciphertext into a readable format. Lists each prefix whose verdict is not encrypted (or key-sized random
 * material), grouped by format, with the winning reason.
 *
 * Usage: node bench/prefix-sweep.mjs [--size 4096] [--seed 1] [--ext bin] [--third <hex byte>]
 *   --third fixes a third byte (e.g. 08 after 1F 8B) to sweep three-byte prefixes that start the same way.
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

const size = Number(opt('--size', 4096));
const ext = opt('--ext', 'bin');
const third = opt('--third');
let state = Number(opt('--seed', 1)) >>> 0 || 1;
/** xorshift32: a fixed-seed stream, so a run can be repeated. */
function fill(b, from) {
  for (let i = from; i < b.length; i++) {
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
const plan = probePlan(size, DEFAULT_LIMITS);

const RANDOM_VERDICTS = new Set(['unknown-encrypted', 'random-keyfile', 'sqlcipher', 'truecrypt-veracrypt']);
const found = new Map();
const t0 = process.cpuUsage();
const file = new Uint8Array(size);
for (let prefix = 0; prefix < 0x10000; prefix++) {
  file[0] = prefix >> 8;
  file[1] = prefix & 0xff;
  let from = 2;
  if (third !== undefined) file[from++] = parseInt(third, 16);
  fill(file, from);
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
  if (classification.status === 'encrypted' && format && RANDOM_VERDICTS.has(format.id)) continue;
  if (format && RANDOM_VERDICTS.has(format.id)) continue;
  const key = `${classification.status} ${format?.id ?? '-'} (${format?.detector ?? '-'})`;
  const list = found.get(key) ?? { reason: classification.reasons[0]?.message ?? '', prefixes: [] };
  list.prefixes.push(prefix.toString(16).padStart(4, '0') + (third ?? ''));
  found.set(key, list);
}
const cpu = process.cpuUsage(t0);
console.log(`${size}-byte random bodies, 65,536 prefixes, ${((cpu.user + cpu.system) / 65536).toFixed(0)} µs CPU each`);
for (const [key, { reason, prefixes }] of [...found].sort((a, b) => b[1].prefixes.length - a[1].prefixes.length)) {
  console.log(`${String(prefixes.length).padStart(6)}  ${key}: ${prefixes.slice(0, 12).join(' ')}`);
  console.log(`        ${reason.slice(0, 200)}`);
}
