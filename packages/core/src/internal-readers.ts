/**
 * @evtriage/core/internal-readers: the readers @evtriage/parsers shares with
 * core's sources — the nested-archive openers, ZIP reading and SQLite copies —
 * without the scan engine, writers or plugin loading (which ./internal.ts
 * brings). No stability promise, as for ./internal.ts, which re-exports it.
 */
export { zipContainer, prefixedZipContainer, tarContainer, gzipContainer } from './sources/nested.js';
export type { ContainerOpener } from './pipeline/containers.js';
export { openZip } from './sources/zip.js';
export { decodeZipName } from './sources/archive-names.js';
export { openSqliteCopy } from './plugin/sqlite-handle.js';
