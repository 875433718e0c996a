#!/usr/bin/env node
/**
 * Entry point of the `evtriage` command.
 */
import { CommanderError } from 'commander';
import { CliError, EXIT } from './exit-codes.js';
import { stopScanForInternalError } from './internal-error.js';
import { buildProgram } from './program.js';
import { stdoutWasClosed, watchStdout } from './output.js';

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
let exitCode: number = EXIT.OK;
const program = buildProgram((code) => {
  exitCode = code;
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; usage mistakes exit 2 (commander already printed why).
    exitCode = err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  } else if (stdoutWasClosed()) {
    exitCode = EXIT.OK;
  } else if (err instanceof CliError) {
    process.stderr.write(`evtriage: ${err.message}\n`);
    exitCode = err.exitCode;
  } else {
    process.stderr.write(
      `evtriage: internal error: ${(err as Error)?.stack ?? String(err)}\nPlease report this with the command you ran.\n`,
    );
    exitCode = EXIT.INTERNAL;
  }
}
process.exitCode = exitCode;
