/**
 * Preloaded into a CLI child (NODE_OPTIONS=--import) by the interrupt tests:
 * once the manifest file EVTRIAGE_TEST_SIGNAL_FILE has been handed
 * EVTRIAGE_TEST_SIGNAL_AT_LINES lines, the process sends itself the signal
 * EVTRIAGE_TEST_SIGNAL (SIGINT, SIGTERM or SIGKILL), once. A real signal,
 * delivered by the kernel as one from another process is, but at a point of
 * the scan set by the test, not by a race between the test's polling and the
 * scan's speed: the scan is in the middle on any machine, however fast or
 * loaded. Nothing else changes: the same writes run, in the same order.
 */
import fs from 'node:fs';
import path from 'node:path';

const file = process.env.EVTRIAGE_TEST_SIGNAL_FILE;
const atLines = Number(process.env.EVTRIAGE_TEST_SIGNAL_AT_LINES ?? 0);
const signal = process.env.EVTRIAGE_TEST_SIGNAL;
if (file && atLines > 0 && signal) {
  const target = path.resolve(file);
  let fd;
  let lines = 0;
  let sent = false;
  const count = (chunk) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    if (!sent && lines >= atLines) {
      sent = true;
      process.kill(process.pid, signal);
    }
  };
  const openSync = fs.openSync;
  fs.openSync = function (p, ...rest) {
    const opened = openSync.call(this, p, ...rest);
    if (fd === undefined && typeof p === 'string' && path.resolve(p) === target) fd = opened;
    return opened;
  };
  // The manifest's write stream calls these at write time (node:fs streams look them up on the module).
  const write = fs.write;
  fs.write = function (to, data, ...rest) {
    const result = write.call(this, to, data, ...rest);
    if (to === fd && fd !== undefined) count(typeof data === 'string' ? Buffer.from(data) : data);
    return result;
  };
  const writev = fs.writev;
  fs.writev = function (to, buffers, ...rest) {
    const result = writev.call(this, to, buffers, ...rest);
    if (to === fd && fd !== undefined) for (const b of buffers) count(b);
    return result;
  };
}
