/**
 * A watchdog thread inside each parse child (parse-worker.ts): when the scan's
 * process dies without closing the pool (SIGKILL, a V8 fatal error), an idle
 * child exits because its IPC channel closes, but a child stuck in a parser's
 * synchronous loop never sees that. This thread has its own event loop: once
 * the child has been handed to another parent, it kills the child.
 */
import { workerData } from 'node:worker_threads';

/** How often the parent is checked, in milliseconds. */
const CHECK_EVERY_MS = 500;

const parent = (workerData as { parent: number }).parent;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
}, CHECK_EVERY_MS);
