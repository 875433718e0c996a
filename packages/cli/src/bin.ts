#!/usr/bin/env node
/**
 * Entry point of the `evtriage` command.
 */
import { CommanderError } from 'commander';
import { CliError, EXIT } from './exit-codes.js';
import { buildProgram } from './program.js';
import { stdoutWasClosed, watchStdout } from './output.js';

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
    process.stderr.write(`evtriage: internal error: ${(err as Error)?.stack ?? String(err)}\nPlease report this with the command you ran.\n`);
    exitCode = EXIT.INTERNAL;
  }
}
process.exitCode = exitCode;
