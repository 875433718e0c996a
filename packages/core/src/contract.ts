/**
 * @evtriage/core/contract: the plugin contract alone, for plugin modules —
 * the define helpers, the types, the answer schemas, the contract checks and
 * the bounded byte readers — without the scan engine, sources or writers (so
 * importing it loads no native module).
 */
export { CONTRACT_VERSION } from './plugin/types.js';
// Every type of the contract (plugin kinds, probe, detections, results, declarations).
export type * from './plugin/types.js';
// The manifest's types a detection carries (their zod schemas are in `@evtriage/core`).
export type { EntropyFigures, Status } from './model/classification.js';
export type { KeyHint } from './model/encryption.js';
export { defineAppRules, defineDetector, defineParser } from './plugin/define.js';
// A source kind a plugin module may provide (an archive or dump format a scan can start from).
export { defineSource } from './sources/definition.js';
export type { SourceDefinition, SourceOpenContext } from './sources/definition.js';
export type { FolderLayout, FolderLayoutIndex } from './sources/folder-layout.js';
// What such a source kind throws when it cannot open a path, and the limits it applies when the caller gives none.
export { SourceError } from './sources/source-error.js';
export { DEFAULT_LIMITS } from './limits.js';
export { DetectionReasonSchema, DetectionSchema, DiagnosticSchema, PluginReasonSchema } from './plugin/schemas.js';
export {
  checkDetection,
  checkDiagnostic,
  fillTemplate,
  pluginDataProblems,
  undeclaredFormat,
} from './plugin/contract.js';
export { ascii, startsWith, u16be, u16le, u32be, u32le } from './plugin/bytes.js';
