/**
 * @evtriage/core/internal: what the repository's own packages (@evtriage/parsers,
 * @evtriage/cli) and its tests share beyond the public API. No stability promise:
 * plugins and library users import from `@evtriage/core` (and `@evtriage/core/testing`).
 */
// Containers (the built-in list is @evtriage/parsers' builtinContainers), ZIP reading and SQLite copies for parsers.
export * from './internal-readers.js';
export * from './internal-sqlite.js';
export { hashFile } from './sources/hash-source.js';

// Plugin loading (the CLI).
export { createRegistry, PluginError, validatePlugin } from './plugin/registry.js';
export type { Registry } from './plugin/registry.js';

// Scan plumbing the CLI drives (resume, summary of a saved manifest, stream ends).
export { SummaryAggregator } from './pipeline/summary.js';
export { findResumePoint, recordedItems, ResumeError } from './pipeline/resume.js';
export type { ResumePoint } from './pipeline/resume.js';
export { writeChunk, endStream } from './writers/writer.js';
export { formatBytes } from './format/bytes.js';

// Pieces the repository's tests drive directly.
export { createProber, makeProbe } from './pipeline/probe.js';
export type { Prober } from './pipeline/probe.js';
export { workerDetectorIds } from './pipeline/scan.js';
export { createWorkerProber } from './pipeline/worker-prober.js';
export { CSV_COLUMNS } from './writers/csv.js';
export { CASE_CONTEXT } from './writers/case.js';
export { shardRange, countTopLevel } from './pipeline/shard.js';
export { mergeSummaries, planMerge } from './writers/merge.js';

// Folder layouts (an iOS backup inside a folder source) and their sources.
export { decodeName } from './sources/folder.js';
export { IosBackupIndex, iosBackupLayout, isIosBackupFolder, isIosBackupNames } from './sources/ios-backup.js';
export { moduleParserIds } from './pipeline/parse-pool.js';
