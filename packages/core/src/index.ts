/**
 * @evtriage/core: the evidence-item model, evidence sources, the streaming
 * scan pipeline, the plugin contract and manifest writers.
 */
export * from './model/index.js';
export { DEFAULT_LIMITS } from './limits.js';
export type { ScanLimits } from './limits.js';
export { TOOL_NAME, TOOL_VERSION } from './version.js';

export { CONTRACT_VERSION } from './plugin/types.js';
export type {
  AppCatalogueEntry,
  AppPathRule,
  AppRulesPlugin,
  ContainerMetadataRule,
  Detection,
  DetectorContext,
  DetectResult,
  DetectorPlugin,
  Diagnostic,
  FormatDeclaration,
  ParseContext,
  ParseResult,
  ParserPlugin,
  ParserRequirements,
  Plugin,
  PluginMeta,
  PluginReason,
  PackageListRule,
  Probe,
  Signature,
} from './plugin/types.js';
export { defineAppRules, defineDetector, defineParser } from './plugin/define.js';
export { defineSqliteArtifact, SQLITE_COUNT_FAILED } from './plugin/sqlite-artifact.js';
export { isolateDetector, ISOLATED_WORKERS_MAX } from './plugin/isolated-detector.js';
export type { IsolatedDetector } from './plugin/isolated-detector.js';
export type { SqliteArtifactSpec } from './plugin/sqlite-artifact.js';
export { DetectionSchema, DiagnosticSchema, PluginReasonSchema } from './plugin/schemas.js';
export { createRegistry, PluginError, validatePlugin } from './plugin/registry.js';
export type { Registry } from './plugin/registry.js';
export { openSqliteCopy, quoteIdent } from './plugin/sqlite-handle.js';
export type { SqliteHandle } from './plugin/sqlite-handle.js';
export { decodePlist } from './plugin/plist.js';

export { FolderSource, decodeName } from './sources/folder.js';
export { openSource, detectSourceKind, registerSourceKind, sourceKinds, SourceError } from './sources/open.js';
export type { SourceFactory, SourceOpenOptions } from './sources/open.js';
export type { ByteReader, EntryFacts, EvidenceSource, SourceEntry } from './sources/source.js';
import './sources/register-builtin.js';
export { ZipSource, openZip } from './sources/zip.js';
export { TarSource } from './sources/tar.js';
export { GzipSource } from './sources/gzip.js';
export { IosBackupSource, isIosBackupFolder } from './sources/ios-backup.js';
export { zipContainer, tarContainer, gzipContainer, builtinContainerOpeners } from './sources/nested.js';
export type { ArchiveOptions } from './sources/archive-common.js';
export type { SpoolLimits } from './sources/spool.js';

export { scan, workerDetectorIds } from './pipeline/scan.js';
export { moduleParserIds } from './pipeline/parse-pool.js';
export { SummaryAggregator } from './pipeline/summary.js';
export type { ScanOptions, ScanRun } from './pipeline/scan.js';
export { findResumePoint, recordedItems, ResumeError } from './pipeline/resume.js';
export type { ResumePoint } from './pipeline/resume.js';
export { hashFile } from './sources/hash-source.js';
export type { ContainerContext, ContainerOpener, ExpansionBudget } from './pipeline/containers.js';
export { createProber, probeWithReader, makeProbe } from './pipeline/probe.js';
export type { Prober } from './pipeline/probe.js';
export { createWorkerProber, defaultWorkerCount } from './pipeline/worker-prober.js';
export type { HashingProber, WorkerProberOptions } from './pipeline/worker-prober.js';
export type { RemoteIdentification, RemoteCandidate } from './pipeline/identify.js';
export type { WorkerIdentifyInit } from './pipeline/identify-worker.js';
export { HASH_ALGORITHMS } from './pipeline/hash.js';
export type { HashAlgorithm } from './pipeline/hash.js';
export { createKnownMatcher, defaultCacheDir, KnownSetError, loadKnownSet, parseKnownSpec } from './known/known-sets.js';
export type { KnownMatcher, KnownSet, KnownSpec, KnownStatus } from './known/known-sets.js';
export { randomnessFigures, shannonEntropy, chiSquare, chiSquareUpperP, byteHistogram } from './stats/randomness.js';

export type { ManifestWriter } from './writers/writer.js';
export { writeChunk, endStream } from './writers/writer.js';
export { createJsonWriter } from './writers/json.js';
export { createNdjsonWriter } from './writers/ndjson.js';
export { createCsvWriter, csvField, csvRow, CSV_COLUMNS } from './writers/csv.js';
export { createDfxmlWriter, dfxmlFileObject, xmlText, DFXML_NS, DFXML_VERSION, EVTRIAGE_DFXML_NS } from './writers/dfxml.js';
export { createHtmlWriter, reportRow, scriptJson, escapeHtml, humanBytes, REPORT_CSP, ROW_FIELDS } from './writers/html/index.js';
export type { HtmlReportOptions } from './writers/html/index.js';
export { createCaseWriter, caseFileNode, caseIdFactory, CASE_CONTEXT, CASE_KB, CASE_VERSION } from './writers/case.js';
export { readManifest, isNdjson } from './writers/reader.js';
export type { ManifestProblem, ManifestRecord } from './writers/reader.js';
export { manifestJsonSchema } from './model/json-schema.js';
export { builtinWriters } from './writers/builtin.js';
export type { WriterFactory } from './writers/builtin.js';
