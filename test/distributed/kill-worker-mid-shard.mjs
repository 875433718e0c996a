/**
 * Preloaded (NODE_OPTIONS=--import) into one queue worker of test/distributed/queue.test.ts, and so into the
 * shard scans it forks: once a scan has written EVTRIAGE_TEST_KILL_AT_LINES lines to a part file whose path
 * contains EVTRIAGE_TEST_KILL_PARTS, it kills its parent, the worker that holds the shard, with SIGKILL. So the
 * worker dies in the middle of a shard of that extraction at a point the test sets, on any machine, instead
 * of the test racing a slowed scan to catch a shard running. Nothing else changes: the same writes run.
 */
import { atManifestLine } from '../helpers/at-manifest-line.mjs';

const parts = process.env.EVTRIAGE_TEST_KILL_PARTS;
const atLines = Number(process.env.EVTRIAGE_TEST_KILL_AT_LINES ?? 0);
if (parts && atLines > 0) {
  atManifestLine(
    (p) => p.includes(parts),
    atLines,
    () => process.kill(process.ppid, 'SIGKILL'),
  );
}
