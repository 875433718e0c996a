/**
 * Preloaded (NODE_OPTIONS=--require) into every Node process and thread of a
 * profiled scan by bench/stage-profile.mjs. The scan's own process and the
 * threads and fork()ed children that inherit its `--cpu-prof` flag are
 * profiled by V8 already; this covers the others — child processes started
 * with `spawn(process.execPath, ...)` or worker threads given their own
 * execArgv — by starting V8's sampling profiler through the inspector and
 * writing a .cpuprofile on exit. In every process it also turns SIGTERM (a
 * pool stopping its workers) into a normal exit, so that a profile is written,
 * ours or --cpu-prof's, unless the program handles SIGTERM itself. Does nothing unless
 * EVTRIAGE_BENCH_CPU_PROF_DIR is set. Node 20 refuses `--cpu-prof` in
 * NODE_OPTIONS, hence this file.
 */
'use strict';
const dir = process.env.EVTRIAGE_BENCH_CPU_PROF_DIR;
const { threadId } = require('node:worker_threads');
let write = () => {};
if (dir && !process.execArgv.some((a) => a.startsWith('--cpu-prof'))) {
  const fs = require('node:fs');
  const path = require('node:path');
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  // The same 1 ms interval as --cpu-prof's default, so every profile weighs the same.
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  let written = false;
  write = () => {
    if (written) return;
    written = true;
    // A session on the same thread answers synchronously, so this works inside 'exit'.
    session.post('Profiler.stop', (err, result) => {
      if (err || !result) return;
      const name = `CPU.preload.${process.pid}.${threadId}.${Date.now()}.cpuprofile`;
      fs.writeFileSync(path.join(dir, name), JSON.stringify(result.profile));
    });
  };
  process.on('exit', write);
}
// A process ended by SIGTERM (a pool stopping its workers) would write no profile, neither
// ours nor --cpu-prof's: exit normally instead, unless the program handles SIGTERM itself.
if (dir && threadId === 0) {
  process.once('SIGTERM', () => {
    write();
    if (process.listenerCount('SIGTERM') === 0) process.exit(143);
  });
}
