/**
 * For the CLI's entry only: start a probe worker before the rest of the
 * command loads (pipeline/worker-prestart.ts). Kept apart from `./internal`
 * so that importing it loads nothing else.
 */
export { prestartProbeWorker } from './pipeline/worker-prestart.js';
