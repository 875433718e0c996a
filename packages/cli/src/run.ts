/**
 * One command run: parses the arguments, runs the command and maps what it
 * ended with to the exit code the README documents. bin.ts wraps it with
 * what belongs to the process (fatal-error handlers, a closed standard output,
 * the queue worker's channel); embedding code and the test host call it alone.
 */
import { CommanderError } from 'commander';
import { CliError, EXIT } from './exit-codes.js';
import { stdoutWasClosed } from './output.js';
import { buildProgram } from './program.js';

/** Runs `argv` (as `process.argv`: node and script first) and resolves to its exit code. */
export async function runProgram(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.OK;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; usage mistakes exit 2 (commander already printed why).
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (stdoutWasClosed()) return EXIT.OK;
    if (err instanceof CliError) {
      process.stderr.write(`evtriage: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(
      `evtriage: internal error: ${(err as Error)?.stack ?? String(err)}\nPlease report this with the command you ran.\n`,
    );
    return EXIT.INTERNAL;
  }
  return exitCode;
}
