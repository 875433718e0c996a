/**
 * Measuring one command: wall time, CPU time and memory of the command and
 * every process it starts.
 *
 * - CPU: GNU time's %U and %S (`/usr/bin/time`, Debian package `time`): user
 *   and system seconds of the command plus every descendant that was waited
 *   for (getrusage of children accumulates up the tree as each process reaps
 *   its children), so child-process workers and worker threads are included.
 * - Peak RSS of the largest single process: GNU time's %M.
 * - Peak memory of the whole process tree: /proc is sampled every
 *   `sampleMs` (default 250 ms) while the command runs; for every process in
 *   the tree the resident set (VmRSS) and the proportional set size (Pss,
 *   from smaps_rollup: shared pages divided among the processes sharing them)
 *   are summed. With several worker processes the sum of Pss is the memory the
 *   scan really holds; the largest-process figure alone would understate it.
 *   Sampling can miss a peak shorter than the interval. Per kind of process
 *   (the script it runs: bin.js, parse-worker.js) the largest Rss and Pss are
 *   kept too, and what each process held when the tree's sum peaked.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TIME = '/usr/bin/time';

/** The fields of a /proc stat file after the parenthesised command name (which may hold spaces): state first. */
export function statFields(stat) {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Parent pid of every process, from /proc/<pid>/stat (field 4, after the parenthesised name). */
function parentMap() {
  const parents = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      parents.set(Number(d), Number(statFields(fs.readFileSync(`/proc/${d}/stat`, 'utf8'))[1]));
    } catch {
      /* the process ended while we looked */
    }
  }
  return parents;
}

/** The pid and all its descendants. */
function treeOf(root) {
  const children = new Map();
  for (const [pid, ppid] of parentMap()) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const out = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** What a process is, for the per-process figures: a node process's script (bin.js, parse-worker.js), else its program. */
function roleOf(pid) {
  const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const program = path.basename(argv[0] ?? '?');
  // GNU time's own process names the scan's script too: only a node process is named by its script.
  const script = program.startsWith('node') ? argv.slice(1).find((a) => /\.(c|m)?js$/.test(a)) : undefined;
  return path.basename(script ?? program);
}

/**
 * Sum of Rss and Pss (KiB) over a process tree, and each process's own figures; a process that ends meanwhile is
 * skipped.
 */
export function treeMemory(root) {
  let rss = 0;
  let pss = 0;
  let procs = 0;
  const processes = [];
  for (const pid of treeOf(root)) {
    try {
      const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const r = Number(/^Rss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
      const p = Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
      rss += r;
      pss += p;
      procs++;
      processes.push({ pid, role: roleOf(pid), rssKiB: r, pssKiB: p });
    } catch {
      /* ended */
    }
  }
  return { rssKiB: rss, pssKiB: pss, procs, processes };
}

/**
 * Runs a command under GNU time and samples its process tree's memory.
 * Resolves to { seconds, userSeconds, sysSeconds, cpuSeconds, cores, rssKiB (largest process),
 * treeRssKiB, treePssKiB, maxProcs, stdout, stderr, status }.
 */
export function timed(cmd, argv = [], { cwd, shell = false, env, sampleMs = 250, okStatus = [0, 1] } = {}) {
  const out = path.join(os.tmpdir(), `evtriage-bench-time-${process.pid}-${Date.now()}.txt`);
  const fmt = '%e %U %S %M';
  const full = shell ? ['-f', fmt, '-o', out, 'sh', '-c', cmd] : ['-f', fmt, '-o', out, cmd, ...argv];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(TIME, full, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (b) => stdout.push(b));
    child.stderr.on('data', (b) => stderr.push(b));
    let peak = { rssKiB: 0, pssKiB: 0, procs: 0 };
    // Per kind of process (bin.js, parse-worker.js...): the largest single process's Rss and Pss.
    const byRole = {};
    // Each process's Pss when the tree's sum peaked: what the peak is made of.
    let atPeakPss = [];
    const sample = () => {
      if (child.pid === undefined) return;
      const m = treeMemory(child.pid);
      for (const p of m.processes) {
        const r = (byRole[p.role] ??= { rssKiB: 0, pssKiB: 0, count: 0 });
        r.rssKiB = Math.max(r.rssKiB, p.rssKiB);
        r.pssKiB = Math.max(r.pssKiB, p.pssKiB);
        r.count = Math.max(r.count, m.processes.filter((q) => q.role === p.role).length);
      }
      if (m.pssKiB > peak.pssKiB) {
        peak = { ...peak, pssKiB: m.pssKiB };
        atPeakPss = m.processes.map((p) => ({ role: p.role, pssKiB: p.pssKiB }));
      }
      if (m.rssKiB > peak.rssKiB) peak = { ...peak, rssKiB: m.rssKiB };
      if (m.procs > peak.procs) peak = { ...peak, procs: m.procs };
    };
    const timer = setInterval(sample, sampleMs);
    child.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.on('close', (status) => {
      clearInterval(timer);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const text = Buffer.concat(stdout).toString('utf8');
      const errText = Buffer.concat(stderr).toString('utf8');
      let fields;
      try {
        fields = fs.readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      } catch (err) {
        reject(new Error(`no GNU time output for ${cmd}: ${err.message}; stderr: ${errText.slice(0, 2000)}`));
        return;
      } finally {
        fs.rmSync(out, { force: true });
      }
      const label = shell ? cmd : [cmd, ...argv].join(' ');
      if (!okStatus.includes(status)) {
        reject(new Error(`${label} exited ${status}: ${errText.slice(0, 2000)}`));
        return;
      }
      const [, user, sys, rss] = fields;
      resolve({
        seconds: wall,
        userSeconds: user,
        sysSeconds: sys,
        cpuSeconds: user + sys,
        cores: (user + sys) / wall,
        rssKiB: rss,
        treeRssKiB: peak.rssKiB,
        treePssKiB: peak.pssKiB,
        maxProcs: peak.procs,
        byRole,
        atPeakPss,
        stdout: text,
        stderr: errText,
        status,
      });
    });
  });
}

/** The complete lines within the first or last 32 MiB of a file (a 1M-item manifest is larger than a string may be). */
export function edgeLines(file, edge) {
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

/** The closing summary line of an NDJSON manifest. */
export function manifestSummary(file) {
  return JSON.parse(edgeLines(file, 'tail').at(-1));
}
