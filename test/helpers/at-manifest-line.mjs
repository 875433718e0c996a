/**
 * For preloads (NODE_OPTIONS=--import) that act at a set point of a scan: once
 * the first file opened with `fs.openSync` whose path `matches` has been
 * handed `atLines` lines through `fs.write`/`fs.writev` (which the manifest's
 * write stream calls at write time; node:fs streams look them up on the
 * module), `act` runs, once. Nothing else changes: the same writes run, in the
 * same order.
 */
import fs from 'node:fs';

export function atManifestLine(matches, atLines, act) {
  let fd;
  let lines = 0;
  let done = false;
  const count = (chunk) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    if (!done && lines >= atLines) {
      done = true;
      act();
    }
  };
  const openSync = fs.openSync;
  fs.openSync = function (p, ...rest) {
    const opened = openSync.call(this, p, ...rest);
    if (fd === undefined && typeof p === 'string' && matches(p)) fd = opened;
    return opened;
  };
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
