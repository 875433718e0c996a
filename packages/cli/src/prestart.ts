/**
 * The scan command's head start: a probe worker begins loading the built-in
 * detectors while this thread loads the scan's modules (core's
 * pipeline/worker-prestart.ts). Both loads were one after the other before.
 */
import fs from 'node:fs';
import path from 'node:path';

/**
 * Whether a scan of `source` writing `output` (or finishing `resume`) is worth
 * a head start: the source exists and the output has a folder to go in. A scan
 * refused for either (or for a missing -o) then costs no worker start-up (about
 * a third of a second of CPU); the checks themselves decide nothing, the scan
 * reports its own errors as before.
 */
export function worthPrestart(source: string, output: string | undefined, resume?: string): boolean {
  const target = output ?? resume;
  if (target === undefined || !fs.existsSync(source)) return false;
  if (target === '-') return true;
  try {
    return fs.statSync(path.dirname(path.resolve(target))).isDirectory();
  } catch {
    return false;
  }
}

/** Start one probe worker now, loading the built-in detectors. */
export async function prestartScan(): Promise<void> {
  const { prestartProbeWorker } = await import('@evtriage/core/internal-prestart');
  prestartProbeWorker([builtinDetectorsModule()]);
}

/**
 * `builtinDetectorsModule` of @evtriage/parsers (the module the scan sends its
 * probe workers), found without loading that package (its index would load
 * every plugin): plugins.js beside its index.
 */
export function builtinDetectorsModule(): string {
  return import.meta.resolve('@evtriage/parsers').replace(/\/index\.([cm]?[jt]s)$/, '/plugins.$1');
}
