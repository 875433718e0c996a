/**
 * Preloaded (NODE_OPTIONS=--require) into every Node process and thread of a
 * profiled scan by bench/stage-profile.mjs. The scan's own process and the
 * threads and fork()ed children that inherit its `--cpu-prof` flag are
 * profiled by V8 already; this covers the others — child processes started
 * with `spawn(process.execPath, ...)` or worker threads given their own
 * execArgv — by starting V8's sampling profiler through the inspector and
 * writing a .cpuprofile on exit (or on SIGTERM, which would otherwise end the
 * process without an 'exit' event). Does nothing unless
 * EVTRIAGE_BENCH_CPU_PROF_DIR is set. Node 20 refuses `--cpu-prof` in
 * NODE_OPTIONS, hence this file.
 */
'use strict';
const dir = process.env.EVTRIAGE_BENCH_CPU_PROF_DIR;
if (dir && !process.execArgv.some((a) => a.startsWith('--cpu-prof'))) {
  const fs = require('node:fs');
  const path = require('node:path');
  const inspector = require('node:inspector');
  const { threadId } = require('node:worker_threads');
  const session = new inspector.Session();
  session.connect();
  // The same 1 ms interval as --cpu-prof's default, so every profile weighs the same.
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  let written = false;
  const write = () => {
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
  if (threadId === 0) {
    process.once('SIGTERM', () => {
      write();
      process.exit(143);
    });
  }
}
