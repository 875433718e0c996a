/**
 * The benchmark suite (`pnpm bench`): generates its inputs deterministically
 * (bench/gen.mjs, cached in bench/.data/), then runs every scenario for
 * evtriage and for the reference tools on the same input, in the same run,
 * and prints files/s, MB/s, peak RSS and the ratios against the targets of
 * docs/performance.md. Each command runs `--runs` times (default 3); the
 * table shows medians. Peak RSS comes from GNU time (`/usr/bin/time -f`,
 * Debian package `time`): the largest resident set of the process or any
 * child it waited for.
 *
 * Usage: node bench/run.mjs [--runs 3] [--files 100000] [--big 1000000]
 *        [--only id,id] [--skip-big] [--json out.json]
 * Scenario ids: identify, hash, zip, tgz, memory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_DIR, generateArchives, generateTree } from './gen.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const BIN = path.join(repo, 'packages/cli/dist/bin.js');
const args = process.argv.slice(2);
const opt = (k, d) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : d;
};
const RUNS = Number(opt('--runs', 3));
const FILES = Number(opt('--files', 100000));
const BIG = Number(opt('--big', 1000000));
const ONLY = opt('--only', 'identify,hash,zip,tgz,memory').split(',');
const TIME = '/usr/bin/time';

if (!fs.existsSync(TIME)) {
  console.error('bench: GNU time is needed for peak RSS (/usr/bin/time). Install it: apt-get install -y time');
  process.exit(2);
}
if (!fs.existsSync(BIN)) {
  console.error('bench: build first (pnpm bench runs tsc -b packages/cli).');
  process.exit(2);
}

/** Runs a command under GNU time; returns wall seconds, peak RSS (KiB) and stdout. */
function timed(cmd, argv, { cwd, shell = false } = {}) {
  const out = path.join(os.tmpdir(), `evtriage-bench-time-${process.pid}.txt`);
  const full = shell ? ['-f', '%e %M', '-o', out, 'sh', '-c', cmd] : ['-f', '%e %M', '-o', out, cmd, ...argv];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(TIME, full, { cwd, maxBuffer: 1 << 30, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const [, rss] = fs.readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  fs.rmSync(out, { force: true });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${shell ? cmd : [cmd, ...argv].join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return { seconds: wall, rssKiB: rss, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function fmtRate(bytesPerSec) {
  return `${(bytesPerSec / 1e6).toFixed(0)} MB/s`;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs `fn` RUNS times; median seconds, max of peak RSS, and every sample. */
function measure(label, fn) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const r = fn();
    samples.push(r);
    process.stderr.write(`  ${label}: ${r.seconds.toFixed(2)} s, ${(r.rssKiB / 1024).toFixed(0)} MiB\n`);
  }
  return { seconds: median(samples.map((s) => s.seconds)), rssKiB: Math.max(...samples.map((s) => s.rssKiB)), runs: samples.map((s) => +s.seconds.toFixed(3)), last: samples[samples.length - 1] };
}

function measureOnce(label, fn) {
  const r = fn();
  process.stderr.write(`  ${label}: ${r.seconds.toFixed(2)} s, ${(r.rssKiB / 1024).toFixed(0)} MiB\n`);
  return { seconds: r.seconds, rssKiB: r.rssKiB, runs: [+r.seconds.toFixed(3)], last: r };
}

function evtriage(sourcePath, extra = []) {
  const out = path.join(DATA_DIR, 'out.ndjson');
  const r = timed(process.execPath, [BIN, 'scan', sourcePath, '-f', 'ndjson', '-o', out, '--quiet', ...extra]);
  // Only the first item and the closing summary are needed; a 1M-item manifest is larger than a string may be.
  const first = edgeLines(out, 'head');
  const summary = JSON.parse(edgeLines(out, 'tail').at(-1));
  r.items = summary.counts?.items;
  r.summary = summary;
  r.firstItem = first.length > 1 ? JSON.parse(first[1]) : undefined;
  fs.rmSync(out, { force: true });
  return r;
}

/** The complete lines within the first or last 32 MiB of a file. */
function edgeLines(file, edge) {
  const size = fs.statSync(file).size;
  const n = Math.min(size, 32 * 1024 * 1024);
  const buf = Buffer.alloc(n);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buf, 0, n, edge === 'head' ? 0 : size - n);
  } finally {
    fs.closeSync(fd);
  }
  const lines = buf.toString('utf8').trimEnd().split('\n');
  // Drop the line cut by the window's edge (unless the window is the whole file).
  if (n < size && edge === 'head') lines.pop();
  else if (n < size) lines.shift();
  return lines;
}

async function registeredKinds() {
  const core = { ...(await import(path.join(repo, 'packages/core/dist/index.js'))), ...(await import(path.join(repo, 'packages/core/dist/internal.js'))) };
  try {
    await import(path.join(repo, 'packages/parsers/dist/index.js'));
  } catch {
    /* parsers may register sources; absent is fine */
  }
  return core.sourceKinds();
}

const rows = [];
function row(scenario, tool, m, files, bytes, extra = {}) {
  rows.push({ scenario, tool, files, bytes, seconds: m.seconds, runs: m.runs, filesPerSec: files / m.seconds, mbPerSec: bytes / 1e6 / m.seconds, rssMiB: m.rssKiB / 1024, ...extra });
}
const checks = [];
function check(target, measured, ok, note = '') {
  checks.push({ target, measured, ok, note });
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  return { cpu, cores: os.cpus().length, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, os: `${os.type()} ${os.release()}`, fileVersion: spawnSync('file', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0], loadStart: os.loadavg().map((x) => +x.toFixed(2)) };
}

async function main() {
  const info = machine();
  process.stderr.write(`bench: ${info.cpu}, ${info.cores} cores, ${info.memGiB} GiB, Node ${info.node}; load ${info.loadStart.join(' ')}\n`);
  const tree = generateTree({ files: FILES, name: `tree-${FILES / 1000}k` });
  const mb = tree.bytes;
  process.stderr.write(`tree: ${tree.files} files, ${(mb / 2 ** 20).toFixed(0)} MiB at ${tree.root}\n`);
  // Warm the page cache: every figure below is a warm-cache figure.
  execFileSync('sh', ['-c', `find "${tree.root}" -type f -print0 | xargs -0 cat > /dev/null`]);

  if (ONLY.includes('identify')) {
    process.stderr.write('identify (no hashing):\n');
    const ev = measure('evtriage scan', () => evtriage(tree.root));
    // Items = files + members of archives found inside (each .gz stream is opened as a container).
    if (!(ev.last.items >= tree.files)) throw new Error(`evtriage wrote ${ev.last.items} items for ${tree.files} files`);
    const fm = measure('file --mime-type -P2', () => timed(`find . -type f -print0 | xargs -0 -P2 -n 512 file -b --mime-type | wc -l`, [], { cwd: tree.root, shell: true }));
    const fl = measure('floor-read-head', () => timed(process.execPath, [path.join(here, 'floor-read-head.mjs'), tree.root]));
    row('identify', 'evtriage scan', ev, tree.files, mb);
    row('identify', 'file -b --mime-type (2 procs)', fm, tree.files, mb);
    row('identify', 'floor: open+read 4 KiB+close', fl, tree.files, mb);
    check('identify >= 4x file --mime-type -P2 (files/s)', `${(fm.seconds / ev.seconds).toFixed(2)}x`, fm.seconds / ev.seconds >= 4);
    check('identify >= 0.5x floor script (files/s)', `${(fl.seconds / ev.seconds).toFixed(2)}x`, fl.seconds / ev.seconds >= 0.5);
    check('peak RSS < 300 MiB, 100k tree', `${(ev.rssKiB / 1024).toFixed(0)} MiB`, ev.rssKiB / 1024 < 300);
    rows.at(-3).baselineRss = ev.rssKiB;
  }

  if (ONLY.includes('hash')) {
    process.stderr.write('hash md5+sha256:\n');
    const ev = measure('evtriage scan --hash md5,sha256', () => evtriage(tree.root, ['--hash', 'md5,sha256']));
    const hd = measure('hashdeep -c md5,sha256', () => timed('hashdeep', ['-r', '-c', 'md5,sha256', '.'], { cwd: tree.root }));
    row('hash', 'evtriage --hash md5,sha256', ev, tree.files, mb);
    row('hash', 'hashdeep -c md5,sha256 -r', hd, tree.files, mb);
    check('hash md5+sha256 >= hashdeep (MB/s)', `${(hd.seconds / ev.seconds).toFixed(2)}x`, hd.seconds / ev.seconds >= 1);
    const plain = rows.find((r) => r.scenario === 'identify' && r.tool === 'evtriage scan');
    if (plain) {
      // What hashing adds to a scan: the workers hash while the main thread identifies.
      const extra = Math.max(0.001, ev.seconds - plain.seconds);
      check('(info) time --hash adds to a scan', `+${extra.toFixed(2)} s (${fmtRate(mb / extra)} over the scan)`, true);
    }
  }

  const kinds = ONLY.some((s) => s === 'zip' || s === 'tgz') ? await registeredKinds() : [];
  const archives = ONLY.includes('zip') || ONLY.includes('tgz') ? generateArchives(tree) : undefined;
  if (ONLY.includes('zip')) {
    if (!kinds.includes('zip')) process.stderr.write('zip: SKIPPED - the zip source kind is not registered in this build\n');
    else {
      process.stderr.write('zip:\n');
      const zipBytes = fs.statSync(archives.zip).size;
      const ev = measure('evtriage scan tree.zip', () => evtriage(archives.zip));
      const ls = measure('evtriage list tree.zip', () => timed(process.execPath, [path.join(here, 'list-source.mjs'), archives.zip]));
      const ul = measure('unzip -l', () => timed('sh', ['-c', `unzip -l "${archives.zip}" | wc -l`]));
      const zi = measure('zipinfo', () => timed('sh', ['-c', `zipinfo "${archives.zip}" | wc -l`]));
      row('zip', 'evtriage scan (identify members)', ev, tree.files, zipBytes);
      row('zip', 'evtriage list (source entries only)', ls, tree.files, zipBytes);
      row('zip', 'unzip -l', ul, tree.files, zipBytes);
      row('zip', 'zipinfo', zi, tree.files, zipBytes);
      check('zip listing within 3x unzip -l (time)', `${(ls.seconds / ul.seconds).toFixed(2)}x the time`, ls.seconds <= 3 * ul.seconds);
      check('zip identification >= 20,000 members/s', `${(tree.files / ev.seconds).toFixed(0)}/s`, tree.files / ev.seconds >= 20000);
    }
  }
  if (ONLY.includes('tgz')) {
    if (!kinds.includes('tar.gz')) process.stderr.write('tgz: SKIPPED - the tar.gz source kind is not registered in this build\n');
    else {
      process.stderr.write('tar.gz:\n');
      const tgzBytes = fs.statSync(archives.tgz).size;
      const ev = measure('evtriage scan tree.tar.gz', () => evtriage(archives.tgz));
      const tt = measure('tar -tzf', () => timed('sh', ['-c', `tar -tzf "${archives.tgz}" | wc -l`]));
      row('tar.gz', 'evtriage scan (one pass)', ev, tree.files, tgzBytes);
      row('tar.gz', 'tar -tzf', tt, tree.files, tgzBytes);
      check('tar.gz >= 80% of tar -tzf throughput', `${((tt.seconds / ev.seconds) * 100).toFixed(0)}%`, tt.seconds / ev.seconds >= 0.8);
    }
  }

  if (ONLY.includes('memory') && !args.includes('--skip-big')) {
    process.stderr.write(`memory: ${BIG} entries (tiny files, generated once; slow the first time)\n`);
    const big = generateTree({ files: BIG, name: `tree-${BIG / 1000}k-small`, maxSize: 2048 });
    let small = rows.find((r) => r.scenario === 'identify' && r.tool === 'evtriage scan');
    if (!small) {
      // Run alone (--only memory): measure the 100k tree once for the comparison.
      const base = measureOnce('evtriage scan (100k, memory baseline)', () => evtriage(tree.root));
      row('memory', `evtriage scan, ${tree.files} entries`, base, tree.files, mb);
      small = rows.at(-1);
    }
    // One run: a million entries take minutes, and peak RSS barely varies between runs.
    const m = measureOnce(`evtriage scan ${BIG} entries`, () => evtriage(big.root));
    row('memory', `evtriage scan, ${BIG} entries`, m, big.files, big.bytes);
    const growth = m.rssKiB / 1024 / small.rssMiB - 1;
    check('peak RSS grows < 25% from 100k to 1M entries', `${small.rssMiB.toFixed(0)} -> ${(m.rssKiB / 1024).toFixed(0)} MiB (${(growth * 100).toFixed(0)}%)`, growth < 0.25);
  }

  info.loadEnd = os.loadavg().map((x) => +x.toFixed(2));
  print(info, tree);
  const json = opt('--json', path.join(here, 'results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`));
  fs.mkdirSync(path.dirname(json), { recursive: true });
  fs.writeFileSync(json, JSON.stringify({ machine: info, tree: { files: tree.files, bytes: tree.bytes }, rows, checks }, null, 2));
  process.stderr.write(`\nresults written to ${json}\n`);
}

function print(info, tree) {
  const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [];
  lines.push(`Machine: ${info.cpu}, ${info.cores} cores, ${info.memGiB} GiB RAM, ${info.os}, Node ${info.node}, ${info.fileVersion}`);
  lines.push(`Load average at start ${info.loadStart.join(' ')}, at end ${info.loadEnd.join(' ')}. Medians of ${RUNS} runs, warm page cache.`);
  lines.push(`Tree: ${fmt(tree.files)} files, ${fmt(tree.bytes / 2 ** 20)} MiB.`);
  lines.push('');
  lines.push('| scenario | tool | files | time (s) | files/s | MB/s | peak RSS (MiB) |');
  lines.push('|---|---|---:|---:|---:|---:|---:|');
  for (const r of rows) lines.push(`| ${r.scenario} | ${r.tool} | ${fmt(r.files)} | ${fmt(r.seconds, 2)} | ${fmt(r.filesPerSec)} | ${fmt(r.mbPerSec, 1)} | ${fmt(r.rssMiB)} |`);
  lines.push('');
  lines.push('| target | measured | met |');
  lines.push('|---|---|---|');
  for (const c of checks) lines.push(`| ${c.target} | ${c.measured} | ${c.ok ? 'yes' : 'NO'} |`);
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error(`bench failed: ${err.stack ?? err}`);
  process.exit(1);
});
