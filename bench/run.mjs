/**
 * The benchmark suite (`pnpm bench`): generates its inputs deterministically
 * (bench/gen.mjs: the uniform tree; bench/gen-mobile.mjs: the mobile-style
 * tree; both cached in bench/.data/), then runs every scenario for evtriage and
 * for the reference tools on the same input, in the same run, and prints wall
 * and CPU seconds, cores used, files/s, CPU per item, peak memory and the
 * ratios against the targets of docs/performance.md. Each command runs
 * `--runs` times (default 3); the tables show medians (wall and CPU taken
 * separately) and the largest memory figure.
 *
 * CPU is user + sys of the command and all its descendants (GNU time), so a
 * scan that works in child processes is charged for them. Memory: the largest
 * single process (GNU time %M) and the sampled sum of PSS over the process tree
 * (bench/measure.mjs); the RSS targets are checked against the larger of the two.
 *
 * Usage: node bench/run.mjs [--runs 3] [--files 100000] [--trees uniform,mobile]
 *        [--only identify,hash,zip,tgz,memory] [--big 1000000] [--skip-big]
 *        [--stages identify,hash,zip,tgz | --no-stages] [--json out.json]
 * Every scenario that scans (identify, hash, zip, tgz) also gets one profiled scan
 * (bench/stage-profile.mjs) for its CPU per item by stage; `--stages a,b` profiles only
 * those scenarios, `--no-stages` none.
 * ZIP and TAR.GZ are made from the first tree of --trees.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_DIR, generateArchives, generateTree } from './gen.mjs';
import { generateMobileTree } from './gen-mobile.mjs';
import { TIME, edgeLines, timed } from './measure.mjs';
import { formatStages, profileScan } from './stage-profile.mjs';
import { args, opt } from './options.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const BIN = path.join(repo, 'packages/cli/dist/bin.js');
const RUNS = Number(opt('--runs', 3));
const FILES = Number(opt('--files', 100000));
const BIG = Number(opt('--big', 1000000));
const TREES = opt('--trees', 'uniform,mobile').split(',');
const ONLY = opt('--only', 'identify,hash,zip,tgz,memory').split(',');
const stagesList = opt('--stages');
const STAGES = args.includes('--no-stages')
  ? []
  : (stagesList && !stagesList.startsWith('--') ? stagesList : 'identify,hash,zip,tgz').split(',');

/** The targets of issue 15 ("Triage at disk speed"); docs/performance.md lists them. */
const TARGET = {
  identifyVsFile: 4, // files/s against `file --mime-type` with two processes
  cpuUsPerItem: 150,
  hashVsHashdeep: 1,
  zipMembersPerSec: 20000,
  tgzVsTar: 0.8,
  rssMiB: 256, // at 100,000 files
  rssGrowth: 0.1, // from 100,000 to 1,000,000 entries
  bigSeconds: 300, // 1,000,000 files
};

for (const tool of [TIME, 'file', 'hashdeep']) {
  const found = tool.startsWith('/') ? fs.existsSync(tool) : spawnOk('sh', ['-c', `command -v ${tool}`]);
  if (!found) {
    console.error(`bench: ${tool} is needed (Debian packages: time, file, hashdeep).`);
    process.exit(2);
  }
}
if (!fs.existsSync(BIN)) {
  console.error('bench: build first (pnpm bench runs tsc -b packages/cli).');
  process.exit(2);
}

function spawnOk(cmd, argv) {
  try {
    execFileSync(cmd, argv, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const mib = (kib) => kib / 1024;
const n = (x) => x.toLocaleString('en-US');
const memMiB = (m) => Math.max(mib(m.rssKiB), mib(m.treePssKiB));

function logRun(label, r) {
  process.stderr.write(
    `  ${label}: ${r.seconds.toFixed(2)} s wall, ${r.cpuSeconds.toFixed(2)} s CPU (${r.cores.toFixed(2)} cores), ` +
      `${mib(r.rssKiB).toFixed(0)} MiB largest process, ` +
      `${mib(r.treePssKiB).toFixed(0)} MiB tree PSS (${r.maxProcs} procs)\n` +
      `    per process (largest RSS / PSS): ${perProcess(r.byRole)}; at the tree's peak PSS: ${atPeak(r.atPeakPss)}\n`,
  );
}

/** The node processes of a run by what they run (bin.js: the scan, with its probe worker threads; parse-worker.js). */
function perProcess(byRole = {}) {
  return Object.entries(byRole)
    .filter(([role]) => role.endsWith('.js'))
    .map(
      ([role, r]) =>
        `${role}${r.count > 1 ? ` x${r.count}` : ''} ${mib(r.rssKiB).toFixed(0)} / ${mib(r.pssKiB).toFixed(0)} MiB`,
    )
    .join(', ');
}

function atPeak(list = []) {
  return list
    .filter((p) => p.role.endsWith('.js'))
    .map((p) => `${p.role} ${mib(p.pssKiB).toFixed(0)}`)
    .join(' + ');
}

/** Runs `fn` `runs` times: medians of wall and CPU, the largest memory figures, every sample. */
async function measure(label, fn, runs = RUNS) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = await fn();
    samples.push(r);
    logRun(label, r);
  }
  const seconds = median(samples.map((s) => s.seconds));
  const cpuSeconds = median(samples.map((s) => s.cpuSeconds));
  return {
    seconds,
    cpuSeconds,
    cores: cpuSeconds / seconds,
    rssKiB: Math.max(...samples.map((s) => s.rssKiB)),
    treePssKiB: Math.max(...samples.map((s) => s.treePssKiB)),
    runs: samples.map((s) => ({
      wall: +s.seconds.toFixed(3),
      cpu: +s.cpuSeconds.toFixed(3),
      byRole: s.byRole,
      atPeakPss: s.atPeakPss,
    })),
    last: samples[samples.length - 1],
  };
}

async function evtriage(sourcePath, extra = []) {
  const out = path.join(DATA_DIR, 'out.ndjson');
  const r = await timed(process.execPath, [BIN, 'scan', sourcePath, '-f', 'ndjson', '-o', out, '--quiet', ...extra]);
  // Only the closing summary is needed; a 1M-item manifest is larger than a string may be.
  const summary = JSON.parse(edgeLines(out, 'tail').at(-1));
  r.items = summary.counts?.items;
  fs.rmSync(out, { force: true });
  return r;
}

async function registeredKinds() {
  const core = await import(path.join(repo, 'packages/core/dist/index.js'));
  return core.builtinSources.map((s) => s.id);
}

const rows = [];
function row(tree, scenario, tool, m, files, bytes, items = files) {
  rows.push({
    tree,
    scenario,
    tool,
    files,
    items,
    bytes,
    seconds: m.seconds,
    cpuSeconds: m.cpuSeconds,
    cores: m.cores,
    filesPerSec: files / m.seconds,
    mbPerSec: bytes / 1e6 / m.seconds,
    cpuUsPerItem: (m.cpuSeconds * 1e6) / items,
    rssMiB: mib(m.rssKiB),
    treePssMiB: mib(m.treePssKiB),
    runs: m.runs,
  });
}
const checks = [];
function check(target, measured, ok, note = '') {
  checks.push({ target, measured, ok, note });
}
const stageTables = [];

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  const version = (cmd, argv) => {
    try {
      return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0];
    } catch {
      return `${cmd}: unknown`;
    }
  };
  return {
    cpu,
    cores: os.cpus().length,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    fileVersion: version('file', ['--version']),
    hashdeepVersion: `hashdeep ${version('hashdeep', ['-V'])}`,
    loadStart: os.loadavg().map((x) => +x.toFixed(2)),
  };
}

function makeTree(kind) {
  if (kind === 'uniform') return { kind, ...generateTree({ files: FILES, name: `tree-${FILES / 1000}k` }) };
  if (kind === 'mobile') return { kind, ...generateMobileTree({ files: FILES, name: `mobile-${FILES / 1000}k` }) };
  throw new Error(`unknown tree ${kind} (uniform, mobile)`);
}

async function identifyScenario(tree) {
  const label = `${tree.kind} ${tree.files.toLocaleString('en-US')}`;
  process.stderr.write(`identify, ${label} (no hashing):\n`);
  const ev = await measure('evtriage scan', () => evtriage(tree.root));
  // Items = files + members of containers found inside (gzip streams, archives...).
  if (!(ev.last.items >= tree.files)) throw new Error(`evtriage wrote ${ev.last.items} items for ${tree.files} files`);
  const fm = await measure('file --mime-type -P2', () =>
    timed(`find . -type f -print0 | xargs -0 -P2 -n 512 file -b --mime-type | wc -l`, [], {
      cwd: tree.root,
      shell: true,
    }),
  );
  const fl = await measure('floor-read-head', () =>
    timed(process.execPath, [path.join(here, 'floor-read-head.mjs'), tree.root]),
  );
  row(tree.kind, 'identify', 'evtriage scan', ev, tree.files, tree.bytes, ev.last.items);
  row(tree.kind, 'identify', 'file -b --mime-type (2 procs)', fm, tree.files, tree.bytes);
  row(tree.kind, 'identify', 'floor: open+read 4 KiB+close', fl, tree.files, tree.bytes);
  const cpuPerItem = (ev.cpuSeconds * 1e6) / ev.last.items;
  check(
    `${label}: identify >= ${TARGET.identifyVsFile}x file --mime-type -P2 (files/s)`,
    `${(fm.seconds / ev.seconds).toFixed(2)}x`,
    fm.seconds / ev.seconds >= TARGET.identifyVsFile,
  );
  check(
    `${label}: CPU per item <= ${TARGET.cpuUsPerItem} µs`,
    `${cpuPerItem.toFixed(0)} µs (${ev.cores.toFixed(2)} cores busy)`,
    cpuPerItem <= TARGET.cpuUsPerItem,
  );
  check(
    `${label}: (info) identify against the floor script (files/s)`,
    `${(fl.seconds / ev.seconds).toFixed(2)}x`,
    true,
  );
  const mem = memMiB(ev);
  check(
    `${label}: peak memory < ${TARGET.rssMiB} MiB (${tree.files === 100000 ? 'the target' : 'target set at 100k'})`,
    `${mem.toFixed(0)} MiB (largest process ${mib(ev.rssKiB).toFixed(0)}, tree PSS ${mib(ev.treePssKiB).toFixed(0)})`,
    mem < TARGET.rssMiB,
  );
  if (STAGES.includes('identify')) await stages(tree, 'identify', tree.root, []);
  return ev;
}

/** One profiled scan (bench/stage-profile.mjs) for the stage table. */
async function stages(tree, scenario, source, extraArgs) {
  process.stderr.write(`  profiled scan for the stage table (${scenario})...\n`);
  const t = await profileScan(source, { extraArgs });
  process.stderr.write(`  profiled: ${t.seconds.toFixed(2)} s wall, ${t.cpuSeconds.toFixed(2)} s CPU\n`);
  stageTables.push({ tree: tree.kind, scenario, files: tree.files, ...t });
}

async function hashScenario(tree, plain) {
  const label = `${tree.kind} ${tree.files.toLocaleString('en-US')}`;
  process.stderr.write(`hash md5+sha256, ${label}:\n`);
  const ev = await measure('evtriage scan --hash md5,sha256', () => evtriage(tree.root, ['--hash', 'md5,sha256']));
  const hd = await measure('hashdeep -c md5,sha256', () =>
    timed('hashdeep', ['-r', '-c', 'md5,sha256', '.'], { cwd: tree.root }),
  );
  row(tree.kind, 'hash', 'evtriage --hash md5,sha256', ev, tree.files, tree.bytes, ev.last.items);
  row(tree.kind, 'hash', 'hashdeep -c md5,sha256 -r', hd, tree.files, tree.bytes);
  check(
    `${label}: MD5+SHA-256 >= ${TARGET.hashVsHashdeep}x hashdeep (MB/s)`,
    `${(hd.seconds / ev.seconds).toFixed(2)}x`,
    hd.seconds / ev.seconds >= TARGET.hashVsHashdeep,
  );
  if (plain) {
    const extra = ev.seconds - plain.seconds;
    check(
      `${label}: (info) what --hash adds to a scan`,
      `${extra >= 0 ? '+' : ''}${extra.toFixed(2)} s wall, ${(ev.cpuSeconds - plain.cpuSeconds).toFixed(2)} s CPU`,
      true,
    );
  }
  if (STAGES.includes('hash')) await stages(tree, 'hash', tree.root, ['--hash', 'md5,sha256']);
}

async function archiveScenarios(tree) {
  const kinds = await registeredKinds();
  const archives = generateArchives(tree);
  if (ONLY.includes('zip')) {
    if (!kinds.includes('zip'))
      process.stderr.write('zip: SKIPPED - the zip source kind is not registered in this build\n');
    else {
      process.stderr.write(`zip (${tree.kind} tree):\n`);
      const zipBytes = fs.statSync(archives.zip).size;
      const ev = await measure('evtriage scan tree.zip', () => evtriage(archives.zip));
      const ls = await measure('evtriage list tree.zip', () =>
        timed(process.execPath, [path.join(here, 'list-source.mjs'), archives.zip]),
      );
      const ul = await measure('unzip -l', () => timed('sh', ['-c', `unzip -l "${archives.zip}" | wc -l`]));
      row(tree.kind, 'zip', 'evtriage scan (identify members)', ev, tree.files, zipBytes, ev.last.items);
      row(tree.kind, 'zip', 'evtriage list (source entries only)', ls, tree.files, zipBytes);
      row(tree.kind, 'zip', 'unzip -l', ul, tree.files, zipBytes);
      if (STAGES.includes('zip')) await stages(tree, 'zip', archives.zip, []);
      check(
        `zip of ${n(tree.files)} members: >= ${n(TARGET.zipMembersPerSec)} members/s identified`,
        `${(tree.files / ev.seconds).toFixed(0)}/s`,
        tree.files / ev.seconds >= TARGET.zipMembersPerSec,
      );
      check('(info) zip listing against unzip -l (time)', `${(ls.seconds / ul.seconds).toFixed(2)}x the time`, true);
    }
  }
  if (ONLY.includes('tgz')) {
    if (!kinds.includes('tar.gz'))
      process.stderr.write('tgz: SKIPPED - the tar.gz source kind is not registered in this build\n');
    else {
      process.stderr.write(`tar.gz (${tree.kind} tree):\n`);
      const tgzBytes = fs.statSync(archives.tgz).size;
      const ev = await measure('evtriage scan tree.tar.gz', () => evtriage(archives.tgz));
      const tt = await measure('tar -tzf', () => timed('sh', ['-c', `tar -tzf "${archives.tgz}" | wc -l`]));
      row(tree.kind, 'tar.gz', 'evtriage scan (one pass)', ev, tree.files, tgzBytes, ev.last.items);
      row(tree.kind, 'tar.gz', 'tar -tzf', tt, tree.files, tgzBytes);
      if (STAGES.includes('tgz')) await stages(tree, 'tgz', archives.tgz, []);
      check(
        `tar.gz >= ${TARGET.tgzVsTar * 100}% of tar -tzf throughput`,
        `${((tt.seconds / ev.seconds) * 100).toFixed(0)}%`,
        tt.seconds / ev.seconds >= TARGET.tgzVsTar,
      );
    }
  }
}

async function memoryScenario(baseline, tree) {
  process.stderr.write(
    `memory: ${BIG.toLocaleString('en-US')} entries (tiny files, generated once; slow the first time)\n`,
  );
  const big = generateTree({ files: BIG, name: `tree-${BIG / 1000}k-small`, maxSize: 2048 });
  let small = baseline;
  if (!small) {
    small = await measure(`evtriage scan (${tree.files}, memory baseline)`, () => evtriage(tree.root), 1);
    row(tree.kind, 'memory', `evtriage scan, ${tree.files} entries`, small, tree.files, tree.bytes, small.last.items);
  }
  // One run: a million entries take minutes, and peak memory barely varies between runs.
  const m = await measure(`evtriage scan ${BIG} entries`, () => evtriage(big.root), 1);
  row('uniform-small', 'memory', `evtriage scan, ${BIG} entries`, m, big.files, big.bytes, m.last.items);
  const growth = memMiB(m) / memMiB(small) - 1;
  check(
    `peak memory grows < ${TARGET.rssGrowth * 100}% from ${n(tree.files)} to ${n(BIG)} entries`,
    `${memMiB(small).toFixed(0)} -> ${memMiB(m).toFixed(0)} MiB (${(growth * 100).toFixed(0)}%)`,
    growth < TARGET.rssGrowth,
  );
  check(
    `${BIG.toLocaleString('en-US')} files in < ${TARGET.bigSeconds / 60} min`,
    `${m.seconds.toFixed(0)} s`,
    m.seconds < TARGET.bigSeconds,
  );
}

async function main() {
  const info = machine();
  process.stderr.write(
    `bench: ${info.cpu}, ${info.cores} cores, ${info.memGiB} GiB, Node ${info.node}; ` +
      `load ${info.loadStart.join(' ')}\n`,
  );
  const trees = [];
  for (const kind of TREES) {
    const tree = makeTree(kind);
    process.stderr.write(
      `tree ${kind}: ${tree.files} files, ${(tree.bytes / 2 ** 20).toFixed(0)} MiB at ${tree.root}\n`,
    );
    trees.push(tree);
  }
  const baselines = new Map();
  for (const tree of trees) {
    // Warm the page cache: every figure below is a warm-cache figure.
    execFileSync('sh', ['-c', `find "${tree.root}" -type f -print0 | xargs -0 cat > /dev/null`]);
    if (ONLY.includes('identify')) baselines.set(tree.kind, await identifyScenario(tree));
    if (ONLY.includes('hash')) await hashScenario(tree, baselines.get(tree.kind));
  }
  if (ONLY.includes('zip') || ONLY.includes('tgz')) await archiveScenarios(trees[0]);
  if (ONLY.includes('memory') && !args.includes('--skip-big')) {
    const uniform = trees.find((t) => t.kind === 'uniform') ?? makeTree('uniform');
    await memoryScenario(baselines.get('uniform'), uniform);
  }

  info.loadEnd = os.loadavg().map((x) => +x.toFixed(2));
  print(info, trees);
  const json = opt(
    '--json',
    path.join(here, 'results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  );
  fs.mkdirSync(path.dirname(json), { recursive: true });
  fs.writeFileSync(
    json,
    JSON.stringify(
      {
        machine: info,
        runs: RUNS,
        trees: trees.map((t) => ({ kind: t.kind, files: t.files, bytes: t.bytes })),
        rows,
        checks,
        stages: stageTables,
      },
      null,
      2,
    ),
  );
  process.stderr.write(`\nresults written to ${json}\n`);
}

function print(info, trees) {
  const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [];
  lines.push(
    `Machine: ${info.cpu}, ${info.cores} cores, ${info.memGiB} GiB RAM, ${info.os}, Node ${info.node}, ` +
      `${info.fileVersion}, ${info.hashdeepVersion}`,
  );
  lines.push(
    `Load average at start ${info.loadStart.join(' ')}, at end ${info.loadEnd.join(' ')}. ` +
      `Medians of ${RUNS} runs, warm page cache.`,
  );
  for (const t of trees) lines.push(`Tree ${t.kind}: ${fmt(t.files)} files, ${fmt(t.bytes / 2 ** 20)} MiB.`);
  lines.push('');
  const cells = (xs) => `| ${xs.join(' | ')} |`;
  lines.push(
    cells([
      ...['tree', 'scenario', 'tool', 'files', 'items', 'wall (s)', 'CPU (s)', 'cores', 'files/s', 'MB/s'],
      ...['CPU µs/item', 'peak RSS, largest process (MiB)', 'peak tree PSS (MiB)'],
    ]),
  );
  lines.push(cells(['---', '---', '---', ...Array(10).fill('---:')]));
  for (const r of rows) {
    lines.push(
      cells([
        ...[r.tree, r.scenario, r.tool, fmt(r.files), fmt(r.items), fmt(r.seconds, 2), fmt(r.cpuSeconds, 2)],
        ...[fmt(r.cores, 2), fmt(r.filesPerSec), fmt(r.mbPerSec, 1), fmt(r.cpuUsPerItem), fmt(r.rssMiB)],
        fmt(r.treePssMiB),
      ]),
    );
  }
  lines.push('');
  lines.push('| target | measured | met |');
  lines.push('|---|---|---|');
  for (const c of checks)
    lines.push(`| ${c.target} | ${c.measured} | ${c.target.includes('(info)') ? '—' : c.ok ? 'yes' : 'NO'} |`);
  for (const t of stageTables) {
    lines.push('');
    const what =
      { hash: 'scan --hash md5,sha256', zip: 'scan of the ZIP', tgz: 'scan of the TAR.GZ' }[t.scenario] ?? 'scan';
    lines.push(
      ...formatStages(
        t,
        `CPU per item by stage, ${t.tree} tree, ${what} ` +
          `(${fmt(t.files)} files; one profiled run, ${fmt(t.seconds, 2)} s wall)`,
      ),
    );
  }
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error(`bench failed: ${err.stack ?? err}`);
  process.exit(1);
});
