/**
 * Preloaded (NODE_OPTIONS=--import) into one queue worker of test/distributed/queue.test.ts, and so into the
 * shard scans it forks: once a scan has written EVTRIAGE_TEST_KILL_AT_LINES lines to a part file whose path
 * contains EVTRIAGE_TEST_KILL_PARTS, it kills its parent, the worker that holds the shard, with SIGKILL. So the
 * worker dies in the middle of a shard of that extraction at a point the test sets, on any machine, instead
 * of the test racing a slowed scan to catch a shard running. Nothing else changes: the same writes run.
 */
import fs from 'node:fs';

const parts = process.env.EVTRIAGE_TEST_KILL_PARTS;
const atLines = Number(process.env.EVTRIAGE_TEST_KILL_AT_LINES ?? 0);
if (parts && atLines > 0) {
  let fd;
  let lines = 0;
  let sent = false;
  const count = (chunk) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    if (!sent && lines >= atLines) {
      sent = true;
      process.kill(process.ppid, 'SIGKILL');
    }
  };
  const openSync = fs.openSync;
  fs.openSync = function (p, ...rest) {
    const opened = openSync.call(this, p, ...rest);
    if (fd === undefined && typeof p === 'string' && p.includes(parts)) fd = opened;
    return opened;
  };
  // The scan's write stream calls these at write time (node:fs streams look them up on the module).
  const write = fs.write;
  fs.write = function (to, data, ...rest) {
    const result = write.call(this, to, data, ...rest);
    if (fd !== undefined && to === fd) count(typeof data === 'string' ? Buffer.from(data) : data);
    return result;
  };
  const writev = fs.writev;
  fs.writev = function (to, buffers, ...rest) {
    const result = writev.call(this, to, buffers, ...rest);
    if (fd !== undefined && to === fd) for (const b of buffers) count(b);
    return result;
  };
}
