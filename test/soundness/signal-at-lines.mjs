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
import path from 'node:path';
import { atManifestLine } from '../helpers/at-manifest-line.mjs';

const file = process.env.EVTRIAGE_TEST_SIGNAL_FILE;
const atLines = Number(process.env.EVTRIAGE_TEST_SIGNAL_AT_LINES ?? 0);
const signal = process.env.EVTRIAGE_TEST_SIGNAL;
if (file && atLines > 0 && signal) {
  const target = path.resolve(file);
  atManifestLine(
    (p) => path.resolve(p) === target,
    atLines,
    () => process.kill(process.pid, signal),
  );
}
