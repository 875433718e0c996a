/**
 * @evtriage/core/internal-sqlite: a read-only SQLite handle on a private copy
 * of some bytes, for @evtriage/parsers' app rules — apart from the archive
 * readers (./internal-readers.ts), so that a probe worker loading the built-in
 * plugins loads no archive source. No stability promise; ./internal.ts
 * re-exports it.
 */
export { openSqliteCopy } from './plugin/sqlite-handle.js';
