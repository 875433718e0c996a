/**
 * The scan command's head start: a probe worker begins loading the built-in
 * detectors while this thread loads the scan's modules (core's
 * pipeline/worker-prestart.ts). Both loads were one after the other before.
 */

/** Start one probe worker now, loading the built-in detectors. */
export async function prestartScan(): Promise<void> {
  const { prestartProbeWorker } = await import('@evtriage/core/internal-prestart');
  prestartProbeWorker([builtinDetectorsModule()]);
}

/**
 * `builtinPluginsModule` of @evtriage/parsers, found without loading that
 * package (its index would load every parser): the module beside its index.
 */
export function builtinDetectorsModule(): string {
  return import.meta.resolve('@evtriage/parsers').replace(/\/index\.([cm]?[jt]s)$/, '/plugins.$1');
}
