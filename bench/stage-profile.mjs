/**
 * CPU per item, per stage of a scan, without instrumenting the engine: runs
 * `evtriage scan` with V8's sampling profiler in every process and thread
 * (`node --cpu-prof` for the scan process and whatever inherits its flags;
 * bench/cpu-prof-preload.cjs through NODE_OPTIONS for child processes and
 * threads that do not), then attributes each sample to a stage by the source
 * module of the profile node it hit (bench/stage-map.json: module path pattern
 * -> stage), summed over all profiles.
 *
 * Two figures per stage:
 * - profile ms: the sampled time of all threads in that stage. On a busy
 *   machine a thread that is runnable but not running keeps being sampled in
 *   what it was doing, and a blocking call is sampled while it waits, so these
 *   add up to more than the CPU the scan used;
 * - CPU µs per item: the scan's measured CPU (user + sys of the process and its
 *   children, GNU time) shared out in proportion to each stage's profile time
 *   outside `idle`, divided by the items in the manifest. The shares are what
 *   the profile measures; the total is what the kernel measured.
 * The profiler itself costs a few percent; the profiled run is separate from
 * the timed runs of bench/run.mjs.
 *
 * Usage: node bench/stage-profile.mjs <source> [--hash md5,sha256] [--keep <dir>] [--json <out>] [-- scan args]
 *        node bench/stage-profile.mjs --analyse <profile dir> --items N --cpu SECONDS
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifestSummary, timed } from './measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const BIN = path.join(repo, 'packages/cli/dist/bin.js');
const PRELOAD = path.join(here, 'cpu-prof-preload.cjs');

/** The stage rules of bench/stage-map.json, compiled. */
export function loadStageMap(file = path.join(here, 'stage-map.json')) {
  const { rules } = JSON.parse(fs.readFileSync(file, 'utf8'));
  return rules.map((r) => ({
    url: r.url === undefined ? undefined : new RegExp(r.url),
    fn: r.function === undefined ? undefined : new RegExp(r.function),
    ancestors: r.scope === 'ancestors',
    caller: r.caller === undefined ? undefined : new RegExp(r.caller),
    stage: r.stage,
  }));
}

const frameMatches = (rule, frame) =>
  (!rule.url || rule.url.test(frame.url)) && (!rule.fn || rule.fn.test(frame.functionName));

/** Stage of every node of one profile (memoised walk up the call tree). */
export function stagesOfProfile(profile, rules) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map();
  const chain = (id) => {
    const out = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) out.push(byId.get(cur).callFrame);
    return out;
  };
  const stageOf = (id) => {
    if (memo.has(id)) return memo.get(id);
    const frames = chain(id);
    let stage = 'unattributed';
    for (const rule of rules) {
      if (rule.ancestors) {
        if (frames.some((f) => frameMatches(rule, f))) {
          stage = rule.stage;
          break;
        }
      } else if (
        frameMatches(rule, frames[0]) &&
        (!rule.caller || frames.slice(1).some((f) => rule.caller.test(f.url)))
      ) {
        // null: not a stage of its own; the caller's stage.
        stage = rule.stage === null ? (parent.has(id) ? stageOf(parent.get(id)) : 'unattributed') : rule.stage;
        break;
      }
    }
    memo.set(id, stage);
    return stage;
  };
  return stageOf;
}

/** Sampled milliseconds per stage over every .cpuprofile in `dir`. */
export function attributeProfiles(dir, rules = loadStageMap()) {
  const ms = new Map();
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  let threadMs = 0;
  for (const f of files) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const stageOf = stagesOfProfile(profile, rules);
    threadMs += (profile.endTime - profile.startTime) / 1000;
    // Sample i stands for the time until the next sample (as Chrome DevTools counts self time).
    const { samples, timeDeltas } = profile;
    for (let i = 0; i < samples.length; i++) {
      const d = (timeDeltas[i + 1] ?? 0) / 1000;
      const s = stageOf(samples[i]);
      ms.set(s, (ms.get(s) ?? 0) + d);
    }
  }
  return { profiles: files.length, threadMs, ms };
}

/** Per-stage figures: profile ms, share of busy time, CPU µs per item (measured CPU shared by profile share). */
export function stageTable({ ms, profiles, threadMs }, { items, cpuSeconds }) {
  const busy = [...ms].filter(([s]) => s !== 'idle').reduce((a, [, v]) => a + v, 0);
  const rows = [...ms]
    .map(([stage, v]) => {
      const share = stage === 'idle' ? 0 : v / busy;
      return {
        stage,
        profileMs: v,
        share,
        cpuMs: share * cpuSeconds * 1000,
        cpuUsPerItem: (share * cpuSeconds * 1e6) / items,
      };
    })
    .sort((a, b) => (a.stage === 'idle') - (b.stage === 'idle') || b.profileMs - a.profileMs);
  const startup = rows.find((r) => r.stage === 'startup (module loading)')?.cpuMs ?? 0;
  return {
    profiles,
    threadMs,
    busyMs: busy,
    items,
    cpuSeconds,
    cpuUsPerItem: (cpuSeconds * 1e6) / items,
    cpuUsPerItemAfterStartup: ((cpuSeconds * 1000 - startup) * 1000) / items,
    rows,
  };
}

/** Markdown lines for a stage table. */
export function formatStages(t, title = 'CPU per item by stage') {
  const f = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [
    `${title}: ${f(t.items)} items, ${f(t.cpuSeconds, 2)} s CPU (user+sys, all processes) = ` +
      `${f(t.cpuUsPerItem)} µs/item (${f(t.cpuUsPerItemAfterStartup)} µs/item without startup); ` +
      `${t.profiles} profiles, ${f(t.threadMs / 1000, 1)} s of thread time sampled, ` +
      `${f(t.busyMs / 1000, 1)} s not idle.`,
    '',
    '| stage | profile ms (all threads) | share of non-idle | CPU µs/item |',
    '|---|---:|---:|---:|',
  ];
  for (const r of t.rows) {
    const idle = r.stage === 'idle';
    const share = idle ? '—' : `${f(r.share * 100, 1)} %`;
    lines.push(`| ${r.stage} | ${f(r.profileMs)} | ${share} | ${idle ? '—' : f(r.cpuUsPerItem, 1)} |`);
  }
  return lines;
}

/** Runs one profiled scan of `source`; returns the stage table plus the run's wall/CPU/memory. */
export async function profileScan(source, { extraArgs = [], keepDir } = {}) {
  const dir = keepDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-prof-'));
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.cpuprofile')) fs.rmSync(path.join(dir, f));
  const out = path.join(dir, 'manifest.ndjson');
  const env = {
    ...process.env,
    EVTRIAGE_BENCH_CPU_PROF_DIR: dir,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${PRELOAD}`.trim(),
  };
  try {
    const r = await timed(
      process.execPath,
      ['--cpu-prof', `--cpu-prof-dir=${dir}`, BIN, 'scan', source, '-f', 'ndjson', '-o', out, '--quiet', ...extraArgs],
      { env },
    );
    const items = manifestSummary(out).counts?.items;
    if (!items) throw new Error(`no item count in the manifest of ${source}`);
    const table = stageTable(attributeProfiles(dir), { items, cpuSeconds: r.cpuSeconds });
    return { ...table, seconds: r.seconds, cores: r.cores, rssKiB: r.rssKiB, treePssKiB: r.treePssKiB };
  } finally {
    fs.rmSync(out, { force: true });
    if (!keepDir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const dash = argv.indexOf('--');
  const args = dash >= 0 ? argv.slice(0, dash) : argv;
  const extra = dash >= 0 ? argv.slice(dash + 1) : [];
  const opt = (k, d) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : d;
  };
  let table;
  if (opt('--analyse')) {
    table = stageTable(attributeProfiles(opt('--analyse')), {
      items: Number(opt('--items')),
      cpuSeconds: Number(opt('--cpu')),
    });
  } else {
    const source = args[0];
    if (!source || source.startsWith('--')) {
      console.error(
        'usage: node bench/stage-profile.mjs <source> [--hash md5,sha256] [--keep <dir>] [--json <out>] [-- scan args]',
      );
      process.exit(2);
    }
    if (!fs.existsSync(BIN)) {
      console.error('stage-profile: build first (tsc -b packages/cli).');
      process.exit(2);
    }
    const hash = opt('--hash');
    table = await profileScan(source, {
      extraArgs: [...(hash ? ['--hash', hash] : []), ...extra],
      keepDir: opt('--keep'),
    });
    console.error(
      `profiled scan: ${table.seconds.toFixed(2)} s wall, ${table.cores.toFixed(2)} cores, ` +
        `peak RSS ${(table.rssKiB / 1024).toFixed(0)} MiB (largest process), ` +
        `${(table.treePssKiB / 1024).toFixed(0)} MiB (tree PSS)`,
    );
  }
  console.log(formatStages(table).join('\n'));
  if (opt('--json')) fs.writeFileSync(opt('--json'), JSON.stringify(table, null, 2));
}
