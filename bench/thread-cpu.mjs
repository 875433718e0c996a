/**
 * CPU seconds of each thread of an `evtriage scan` (Linux): utime + stime of every task of the scan's
 * process, read from /proc/<pid>/task/<tid>/stat every 100 ms until it exits (the last reading of each
 * thread counts). The parse children are not counted: `/usr/bin/time` gives the whole tree's CPU.
 * Why: on a shared machine a sampled profile keeps sampling a thread that waits for a core, so its shares
 * can credit a function with time it did not use (docs/performance.md, "CPU per item of identification:
 * the probe worker"); the kernel's per-thread counters are what an A/B of one thread's work compares.
 * The main thread is the task whose id is the process's; the busiest other one is the probe worker.
 *
 * Usage: node bench/thread-cpu.mjs [--bin <cli bin.js>] <source> [-- scan args]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { statFields } from './measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TICKS = 100; // USER_HZ: the unit of /proc's utime and stime on Linux

/** utime + stime in seconds of one task, from the text of its stat file (the command may hold spaces). */
export function taskCpuSeconds(stat) {
  const fields = statFields(stat);
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function readTasks(pid, last) {
  let tids;
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const tid of tids) {
    try {
      last.set(tid, taskCpuSeconds(fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')));
    } catch {
      // The thread ended between the listing and the read: its last reading stands.
    }
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const dash = argv.indexOf('--');
  const args = dash >= 0 ? argv.slice(0, dash) : argv;
  const extra = dash >= 0 ? argv.slice(dash + 1) : [];
  const binAt = args.indexOf('--bin');
  const bin = binAt >= 0 ? path.resolve(args.splice(binAt, 2)[1]) : path.join(here, '..', 'packages/cli/dist/bin.js');
  const [source] = args;
  if (!source) {
    console.error('usage: node bench/thread-cpu.mjs [--bin <cli bin.js>] <source> [-- scan args]');
    process.exit(2);
  }
  const out = path.join(os.tmpdir(), `thread-cpu-${process.pid}.ndjson`);
  const child = spawn(process.execPath, [bin, 'scan', source, '-o', out, ...extra], { stdio: 'ignore' });
  const last = new Map();
  const timer = setInterval(() => readTasks(child.pid, last), 100);
  const started = process.hrtime.bigint();
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  });
  clearInterval(timer);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  fs.rmSync(out, { force: true });
  const main = last.get(String(child.pid)) ?? 0;
  const others = [...last].filter(([tid]) => tid !== String(child.pid)).map(([, s]) => s);
  others.sort((a, b) => b - a);
  const result = {
    exit: code,
    wallSeconds: Number(wall.toFixed(2)),
    mainThreadSeconds: main,
    busiestOtherThreadSeconds: others[0] ?? 0,
    otherThreadsSeconds: Number(
      others
        .slice(1)
        .reduce((a, b) => a + b, 0)
        .toFixed(2),
    ),
  };
  console.log(JSON.stringify(result));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
