/**
 * @evtriage/core/internal-manifest: what the CLI's commands that only read a
 * saved manifest need (validate, summary, diff): the reader, the summary
 * tally and the byte formatter, without the scan engine, sources, writers and
 * plugin contract the package index loads (~100 ms of module loading per
 * command). No stability promise; the same functions are exported by
 * `@evtriage/core` (the reader) and ./internal.ts (the rest).
 */
export { readManifest, isNdjson } from './writers/reader.js';
export { SummaryAggregator } from './pipeline/summary.js';
export { formatBytes } from './format/bytes.js';
