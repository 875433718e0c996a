/**
 * What the benches that run the TypeScript sources share (the sweeps, detector-stage-ab): a re-run under tsx
 * so the sources load without a build, command-line options, the built-in registry with the identify and
 * classify stages, a fixed-seed byte stream, and a probe over bytes held in memory as the probe plan would
 * read them from a file.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** `--name value` from the command line, or the default. */
export function option(name, fallback) {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
}

/** Re-executes the calling script under tsx (with the source condition) unless it already runs there. */
export function underTsx(scriptUrl) {
  if (process.execArgv.some((a) => a.includes('tsx'))) return;
  const r = spawnSync(
    process.execPath,
    ['--conditions=@evtriage/source', '--import', 'tsx', fileURLToPath(scriptUrl), ...process.argv.slice(2)],
    { stdio: 'inherit', cwd: repo },
  );
  process.exit(r.status ?? 1);
}

/** xorshift32 from `seed`: fills a buffer from `from` on with the same bytes every run. */
export function seededFill(seed) {
  let state = seed >>> 0 || 1;
  return (b, from = 0) => {
    for (let i = from; i < b.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      b[i] = state & 0xff;
    }
  };
}

/** The built-in detectors, an identifier over them, and a function from bytes and a name to the verdict. */
export async function loadRegistry() {
  const src = (p) => import(path.join(repo, 'packages', p));
  const { builtinDetectors } = await src('parsers/src/plugins.ts');
  const { createIdentifier } = await src('core/src/pipeline/identify.ts');
  const { classify } = await src('core/src/pipeline/classify.ts');
  const { probePlan } = await src('core/src/pipeline/probe.ts');
  const { DEFAULT_LIMITS } = await src('core/src/limits.ts');
  const identifier = createIdentifier(builtinDetectors, DEFAULT_LIMITS);
  /** The classify stage's verdict on `file` named `name`: head, samples and tail as the probe plan reads them. */
  const verdict = async (file, name) => {
    const size = file.length;
    const plan = probePlan(size, DEFAULT_LIMITS);
    const dot = name.lastIndexOf('.');
    const probe = {
      path: name,
      logicalPath: name,
      name,
      extension: dot > 0 ? name.slice(dot + 1).toLowerCase() : '',
      size,
      head: file.subarray(0, plan.head),
      tail: plan.tail ? file.subarray(size - plan.tail) : new Uint8Array(0),
      samples: plan.samples.map((o) => ({ offset: o, bytes: file.subarray(o, o + DEFAULT_LIMITS.probeSampleBytes) })),
      complete: plan.head === size,
    };
    const { candidates } = await identifier.identify(probe);
    return classify(candidates, probe);
  };
  return { detectors: builtinDetectors, verdict };
}

/** Verdicts random bytes may rightly get: ciphertext, or random key material and volumes named so. */
export const RANDOM_VERDICTS = new Set(['unknown-encrypted', 'random-keyfile', 'sqlcipher', 'truecrypt-veracrypt']);
