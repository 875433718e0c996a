/**
 * A watchdog thread inside each parse child (parse-worker.ts): when the scan's
 * process dies without closing the pool (SIGKILL, a V8 fatal error), an idle
 * child exits because its IPC channel closes, but a child stuck in a parser's
 * synchronous loop never sees that. This thread has its own event loop: once
 * the child has been handed to another parent, it removes the child's private
 * temporary folder and kills the child.
 */
import { workerData } from 'node:worker_threads';
import { removePrivateTmp } from './parse-private-tmp.js';

/** How often the parent is checked, in milliseconds. */
const CHECK_EVERY_MS = 500;

const { parent, privateTmp } = workerData as { parent: number; privateTmp?: string };
setInterval(() => {
  if (process.ppid === parent) return;
  // The scan's process is gone: it cannot remove the child's temporary folder, so this thread does, then ends it.
  removePrivateTmp(privateTmp);
  process.kill(process.pid, 'SIGKILL');
}, CHECK_EVERY_MS);
