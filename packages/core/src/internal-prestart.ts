/**
 * For the CLI's entry only: start a probe worker before the rest of the
 * command loads (pipeline/worker-prestart.ts), and end the parse children
 * kept for a next scan once the command is done (pipeline/parse-spares.ts).
 * Kept apart from `./internal` so that importing it loads nothing else.
 */
export { prestartProbeWorker } from './pipeline/worker-prestart.js';
export { endSpareParseChildren } from './pipeline/parse-spares.js';
