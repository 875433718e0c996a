#!/usr/bin/env node
/**
 * Entry point of the `evtriage` command.
 */
import { EXIT } from './exit-codes.js';
import { stopScanForInternalError } from './internal-error.js';
import { watchStdout } from './output.js';
import { runProgram } from './run.js';

/**
 * An exception nothing caught, or a rejected promise nothing handled, is a bug
 * in evtriage (or in a plugin running in its process). Node would exit 1, the
 * code for "completed with item errors"; instead the running scan is stopped,
 * its manifest ended with a summary marked incomplete, and the exit code is 70.
 */
let fatal = false;
function onFatal(err: unknown): void {
  process.stderr.write(
    `evtriage: internal error: ${(err as Error)?.stack ?? String(err)}\nPlease report this with the command you ran.\n`,
  );
  if (fatal) return;
  fatal = true;
  process.exitCode = EXIT.INTERNAL;
  const closing = stopScanForInternalError(err);
  // Exit 70 once the manifest is closed, or after 15 s if the scan cannot unwind.
  const timer = setTimeout(() => process.exit(EXIT.INTERNAL), closing ? 15_000 : 0);
  void closing?.finally(() => {
    clearTimeout(timer);
    process.exit(EXIT.INTERNAL);
  });
}
process.on('uncaughtException', onFatal);
process.on('unhandledRejection', onFatal);

// Started by a queue worker (a child with an IPC channel): stop as on Ctrl-C when that worker goes away.
if (process.channel) {
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

// A reader that closes standard output early (`evtriage scan ... -o - | head`) ends the command quietly.
watchStdout();
process.exitCode = await runProgram(process.argv);
// Parse children kept for a next scan: none comes in this process. Each removes its temporary folder as it ends.
const { endSpareParseChildren } = await import('@evtriage/core/internal-prestart');
await endSpareParseChildren();
