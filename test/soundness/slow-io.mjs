/**
 * Preloaded into a CLI child (NODE_OPTIONS=--import) by the interrupt tests:
 * delays each `lstat` of the folder walk and each positional read on the
 * main thread by EVTRIAGE_TEST_SLOW_IO_MS milliseconds, so a scan of a small
 * test tree lasts long enough to be interrupted in the middle on any machine,
 * however fast. Results are untouched: the same calls run, later.
 */
import fs from 'node:fs';

const ms = Number(process.env.EVTRIAGE_TEST_SLOW_IO_MS ?? 0);
if (ms > 0) {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const lstatSync = fs.lstatSync;
  fs.lstatSync = function (...args) {
    Atomics.wait(cell, 0, 0, ms);
    return lstatSync.apply(this, args);
  };
  const read = fs.read;
  fs.read = function (...args) {
    setTimeout(() => read.apply(this, args), ms);
  };
}
