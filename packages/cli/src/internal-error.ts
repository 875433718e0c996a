/**
 * The hook bin.ts calls on an internal error (an uncaught exception or
 * unhandled rejection): the running scan registers how to stop itself here, so
 * bin.ts need not load the scan machinery for commands that never scan.
 */
let stopper: ((err: unknown) => Promise<void>) | undefined;

/** Set by the scan command while a scan runs (undefined once it ends). */
export function setInternalErrorStopper(stop: ((err: unknown) => Promise<void>) | undefined): void {
  stopper = stop;
}

/**
 * Stops the running scan after an internal error the scan itself did not see:
 * the scan is aborted, its manifest ends with a summary marked incomplete that
 * names the error, and the command exits 70. Resolves when the manifest is
 * closed; undefined when no scan is running.
 */
export function stopScanForInternalError(err: unknown): Promise<void> | undefined {
  return stopper?.(err);
}
