/**
 * @evtriage/core/helpers: the helpers a plugin may use beyond the contract —
 * plist decoding, randomness statistics, SQLite artifact parsers, SQL
 * identifier quoting and opening an evidence file the way the engine does
 * (read-only, non-blocking, without changing its access time where the
 * process may: a source kind's own reads) — without the scan engine, sources or writers, so a
 * probe worker or parse child that loads a plugin does not load them too.
 * The same functions are exported by `@evtriage/core`.
 */
export { decodePlist } from './plugin/plist.js';
export { byteHistogram, randomnessFigures, shannonEntropy, chiSquare, chiSquareUpperP } from './stats/randomness.js';
export { defineSqliteArtifact, SQLITE_COUNT_FAILED } from './plugin/sqlite-artifact.js';
export type { SqliteArtifactSpec, SqliteCount, SqliteEncryptedFields } from './plugin/sqlite-artifact.js';
export type { SqliteHandle } from './plugin/sqlite-handle.js';
export { quoteIdent } from './plugin/sql-ident.js';
export { openReadOnly } from './sources/read-only.js';
