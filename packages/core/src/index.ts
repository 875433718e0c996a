/**
 * @evtriage/core: the evidence-item model, evidence sources, the streaming
 * scan pipeline, the plugin contract and manifest writers.
 *
 * This file is the public API (docs/architecture.md, "Public API"); the list of
 * its runtime exports is checked by src/api.test.ts against api-report.json.
 * What the repository's own packages share beyond it is in ./internal.ts.
 */
// The manifest model: zod schemas and their types (the manifest is the product's contract).
export * from './model/index.js';
export { manifestJsonSchema } from './model/json-schema.js';
export { DEFAULT_LIMITS } from './limits.js';
export type { ScanLimits } from './limits.js';
export { TOOL_NAME, TOOL_VERSION } from './version.js';

// The plugin contract, as third-party plugins and the built-ins use it.
export { CONTRACT_VERSION, EVIDENCE_BASES } from './plugin/types.js';
// Every type of the contract (plugin kinds, probe, detections, results, declarations).
export type * from './plugin/types.js';
export { defineAppRules, defineDetector, defineParser } from './plugin/define.js';
export { defineSource } from './sources/definition.js';
export type { SourceDefinition, SourceOpenContext } from './sources/definition.js';
export type { FolderLayout, FolderLayoutIndex } from './sources/folder-layout.js';
export { defineSqliteArtifact, SQLITE_COUNT_FAILED } from './plugin/sqlite-artifact.js';
export type { SqliteArtifactSpec, SqliteCount, SqliteEncryptedFields } from './plugin/sqlite-artifact.js';
export type { SqliteHandle } from './plugin/sqlite-handle.js';
// Byte helpers for plugins.
export { quoteIdent } from './plugin/sql-ident.js';
export { decodePlist } from './plugin/plist.js';
export { byteHistogram, randomnessFigures, shannonEntropy, chiSquare, chiSquareUpperP } from './stats/randomness.js';
export { openReadOnly } from './sources/read-only.js';

// Evidence sources: the built-in kinds as a list (openSource's default), and the sources themselves.
export { builtinSources } from './sources/builtin.js';
export { FolderSource } from './sources/folder.js';
export type { FolderSourceOptions } from './sources/folder.js';
export { openSource, detectSourceKind, SourceError } from './sources/open.js';
export type { SourceOpenOptions } from './sources/open.js';
export type { ByteReader, EntryFacts, EvidenceSource, SourceEntry } from './sources/source.js';
export { ZipSource } from './sources/zip.js';
export { TarSource } from './sources/tar.js';
export { GzipSource } from './sources/gzip.js';
export { IosBackupSource } from './sources/ios-backup.js';

// The scan.
export { scan } from './pipeline/scan.js';
export type { ScanOptions, ScanRun } from './pipeline/scan.js';
export type { ContainerOpener } from './pipeline/containers.js';
export { HASH_ALGORITHMS } from './pipeline/hash.js';
export type { HashAlgorithm } from './pipeline/hash.js';
export { createKnownMatcher, KnownSetError, loadKnownSet } from './known/known-sets.js';
export type { KnownMatcher, KnownSet, KnownSpec, KnownStatus } from './known/known-sets.js';

// Manifest writers and the reader.
export type { ManifestWriter } from './writers/writer.js';
export { createJsonWriter } from './writers/json.js';
export { createNdjsonWriter } from './writers/ndjson.js';
export { createCsvWriter } from './writers/csv.js';
export { createDfxmlWriter } from './writers/dfxml.js';
export { createHtmlWriter } from './writers/html/index.js';
export type { HtmlReportOptions } from './writers/html/index.js';
export { createCaseWriter } from './writers/case.js';
export { builtinWriters } from './writers/builtin.js';
export type { WriterFactory } from './writers/builtin.js';
export { readManifest, isNdjson } from './writers/reader.js';
export type { ManifestProblem, ManifestRecord } from './writers/reader.js';
export { parseShard } from './pipeline/shard.js';
export type { ShardSpec } from './pipeline/shard.js';
export { mergeShardManifests, MergeError } from './writers/merge.js';
