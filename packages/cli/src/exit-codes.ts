/**
 * Exit codes of the evtriage command (documented in the README).
 */
export const EXIT = {
  /** Completed; no item carries an error. */
  OK: 0,
  /** Completed; some items carry errors (unreadable files, corrupt data). The manifest is complete. */
  ITEM_ERRORS: 1,
  /** Could not run: bad usage, missing or unreadable source, a plugin that failed to load. */
  USAGE: 2,
  /** Interrupted (Ctrl-C, SIGTERM): the manifest is partial and says so. */
  INTERRUPTED: 130,
  /** A bug in evtriage itself. */
  INTERNAL: 70,
} as const;

/** An error for people: what went wrong and what to do, with the exit code to use. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.USAGE) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
