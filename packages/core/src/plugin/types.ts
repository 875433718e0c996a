/**
 * The plugin contract: detectors (pure, on the probe bytes), parsers (may read
 * the item) and app rules (path patterns to app ids). Built-ins use exactly
 * this contract. A plugin is one object; requirements are data the engine
 * checks before it calls the plugin.
 */
import type { AppCategory, Platform } from '../model/app.js';
import type { EntropyFigures, Status } from '../model/classification.js';
import type { Encryption, KeyHint } from '../model/encryption.js';
import type { Artifact, EvidenceItem } from '../model/evidence-item.js';
import type { Figure } from '../model/reason.js';
import type { SqliteHandle } from './sqlite-handle.js';

/** Version of this contract. A plugin declares the major it was built for in `meta.contract`. */
export const CONTRACT_VERSION = '1.0.0';

/** What the engine read of a file once, handed to every detector. Detectors do no I/O. */
export interface Probe {
  /** Source-relative path (POSIX; `!/` for nested members). */
  readonly path: string;
  /** The logical path where the source maps stand-in names (iOS backups), else the path. */
  readonly logicalPath: string;
  /** Base name of the logical path. */
  readonly name: string;
  /** Lowercase extension of the logical name without the dot, or '' when none. */
  readonly extension: string;
  readonly size: number;
  /** The first bytes (up to the probe head size; the whole file when it is small). */
  readonly head: Uint8Array;
  /** The last bytes; empty when the head already holds the whole file. */
  readonly tail: Uint8Array;
  /** Blocks sampled from the middle of large files, for statistics. */
  readonly samples: ReadonlyArray<{ readonly offset: number; readonly bytes: Uint8Array }>;
  /** True when `head` holds the whole file. */
  readonly complete: boolean;
}

/** A reason as a plugin gives it; the engine adds who said it. */
export interface PluginReason {
  code: string;
  message: string;
  figures?: Record<string, Figure>;
}

/**
 * A reason as a detector gives it: as a PluginReason, or, for a code the
 * detector's `meta.reasons` declares, the code and figures alone (the engine
 * fills the message from the template).
 */
export interface DetectionReason {
  code: string;
  message?: string;
  figures?: Record<string, Figure>;
}

/** One candidate identification. A detector may return several; classification resolves them visibly. */
export interface Detection {
  /** `extensions` (lowercase, no dot) overrides the declared ones for the extension-mismatch check. */
  format: { id: string; name: string; mime?: string; extensions?: readonly string[] };
  /** What this detection says about readability. */
  status: Status;
  /** 0-1: a signature plus a confirming header field is 0.95+; a bare signature ~0.9; statistics below 0.7. */
  confidence: number;
  reasons: DetectionReason[];
  encryption?: Encryption;
  details?: Record<string, unknown>;
  /** Statistics behind a statistical decision; recorded on the classification. */
  entropy?: EntropyFigures;
  /**
   * What the detection rests on, when it is not the bytes' structure: classify ranks believed
   * candidates by basis before confidence (structure > container > catalogue > path > statistics;
   * docs/detection.md, "Order of decisions"). Absent: taken from the format's declared `how`.
   */
  basis?: EvidenceBasis;
}

/** What a detection rests on, strongest first. */
export const EVIDENCE_BASES = ['structure', 'container', 'catalogue', 'path', 'statistics'] as const;
export type EvidenceBasis = (typeof EVIDENCE_BASES)[number];

/** A format a plugin knows, declared as data (drives docs, the README table and `evtriage plugins`). */
export interface FormatDeclaration {
  id: string;
  name: string;
  /** The class an item of this format gets. */
  status: Status;
  /** How the decision is made. */
  how: 'signature' | 'header-field' | 'structure' | 'statistics' | 'path' | 'library';
  extensions?: readonly string[];
  mime?: string;
}

export interface PluginMeta {
  /** kebab-case id, unique across all loaded plugins. */
  id: string;
  /** The plugin's own version (semver). */
  version: string;
  title: string;
  description?: string;
  /** Major version of the contract the plugin was written for, e.g. '1'. Defaults to the current one. */
  contract?: string;
  /**
   * Diagnostic codes the plugin may report, each with a message template whose
   * `{placeholders}` are filled from the diagnostic's `data`. A parser that
   * declares none may report none.
   */
  diagnostics?: Record<string, string>;
  /**
   * Reason codes a detector may give, each with a message template whose
   * `{placeholders}` are filled from the reason's `figures`. Optional; when
   * declared, every reason code must be one of these (in a scan as in the kit).
   */
  reasons?: Record<string, string>;
  /**
   * Globs of source paths the plugin wants to know about (key files, sibling
   * metadata). The engine collects them in its enumeration index; `findInSource`
   * and `keyHint.lookFor` see only indexed paths.
   */
  indexPatterns?: readonly string[];
}

/**
 * A magic number at an offset from the start (or, with `fromEnd`, from the
 * end), or with `within` anywhere in a window: the engine compiles every
 * detector's signatures into one dispatch table and calls a detector only
 * for probes one of them matches (pipeline/dispatch.ts).
 */
export interface Signature {
  offset: number;
  /** Bytes as hex (`53514c69`) or as an ASCII string in `ascii`. */
  hex?: string;
  ascii?: string;
  fromEnd?: boolean;
  /**
   * A search window: the bytes may start anywhere from `offset` to
   * `offset + within` (from the end: end anywhere from `offset` to
   * `offset + within` bytes before it). Searched in the probe's head (tail).
   */
  within?: number;
}

export interface DetectorContext {
  /** Limits in force, for detectors that walk structures in the head. */
  readonly limits: Readonly<ScanLimitsView>;
  /** Aborted when an async detector's time budget (`pluginTimeoutMs`) runs out; stop work when it fires. */
  readonly signal?: AbortSignal;
  /**
   * For fallback detectors: the detectors whose signature at the start of the
   * file matched although none of them recognised it (a damaged or truncated
   * file of their format begins like that). Empty for other detectors.
   */
  readonly declinedSignatures?: readonly DeclinedSignature[];
}

/** A detector's signature, anchored at a fixed offset from the start, that matched a probe the detector declined. */
export interface DeclinedSignature {
  readonly detector: string;
  /** The formats that detector declares (what the file would have been). */
  readonly formats: readonly FormatDeclaration[];
  readonly offset: number;
  /** How many bytes the signature matched (its longest match among its signatures). */
  readonly length: number;
  /**
   * How many of those bytes are neither 0x00 nor 0xFF. Zero (and all-ones) runs are what any header holds by
   * default, so a signature of them (`00000000` at offset 4) says little about which format a file is.
   */
  readonly identifying: number;
}

export interface ScanLimitsView {
  probeHeadBytes: number;
  probeTailBytes: number;
}

export type DetectResult = Detection | readonly Detection[] | undefined;

export interface DetectorPlugin {
  readonly kind: 'detector';
  readonly meta: PluginMeta & { formats: readonly FormatDeclaration[] };
  /** Any of these must match for `detect` to run; absent means it runs on every file not ruled out by size. */
  readonly signatures?: readonly Signature[];
  readonly minSize?: number;
  readonly maxSize?: number;
  /** Lower wins among detections of equal confidence (specific before generic). Default 50. */
  readonly priority?: number;
  /** Runs only when no other detector matched (statistical and catch-all detectors). */
  readonly fallback?: boolean;
  /** Pure: looks only at the probe. May be async (e.g. wrapping file-type), but does no I/O. */
  detect(probe: Probe, ctx: DetectorContext): DetectResult | Promise<DetectResult>;
}

/** A diagnostic a parser reports about the input (never thrown). */
export interface Diagnostic {
  /** A code `meta.diagnostics` declares. */
  code: string;
  severity: 'error' | 'warning' | 'info';
  /** The message; when absent, the engine fills the declared template with `data`. */
  message?: string;
  /** Values for the template's `{placeholders}` (`{ reason: 'the file ends at 12 bytes' }`). */
  data?: Readonly<Record<string, string | number | boolean>>;
}

/** What a parser gets: the item so far, its probe and bounded ways to read it. */
export interface ParseContext {
  readonly item: Readonly<EvidenceItem>;
  readonly probe: Probe;
  /** Reads a byte range of the item (clamped to its size). */
  read(position: number, length: number): Promise<Buffer>;
  /** Reads the whole item, refusing (with an error) when it is larger than `maxBytes`. */
  readAll(maxBytes?: number): Promise<Buffer>;
  /** An open read-only SQLite handle, when the parser declared `requires.sqlite` (or the item is SQLite). */
  readonly sqlite?: SqliteHandle;
  /** The decoded plist: for items identified as plists (`bplist`, `xml-plist`; undefined when they fail to decode), and when the parser declared `requires.plistKeys`. Decoded once per item, shared by its parsers: read it, never change it. */
  readonly plist?: unknown;
  /** Paths of other entries in the source that match a glob, from the enumeration index (sibling files, key files). */
  findInSource(pattern: string): readonly string[];
  /**
   * Reads a companion file named like the item plus `suffix` (`-wal`,
   * `-journal`), whole, when the source can reach it: undefined when it is
   * absent, not a regular file or the source cannot read siblings; rejects
   * with a RangeError (`code: 'SIBLING_TOO_LARGE'`, `size`) when it is larger than `maxBytes`.
   */
  readSibling(suffix: string, maxBytes?: number): Promise<Buffer | undefined>;
  report(diagnostic: Diagnostic): void;
  readonly signal: AbortSignal;
}

export interface ParseResult {
  details?: Record<string, unknown>;
  artifact?: Omit<Artifact, 'by'>;
  /** A parser that learns more than the detector (e.g. a PDF needs no user password) may reclassify, with reasons. */
  reclassify?: { status: Status; confidence: number; reasons: PluginReason[]; format?: Detection['format'] };
  encryption?: Encryption;
}

export interface ParserRequirements {
  /** Items larger than this (bytes) are not given to the parser. */
  maxSize?: number;
  /** Items smaller than this (bytes) are not given to the parser: a parser that reads a trailer or a fixed header says so here, and the engine need not hand it the item at all. */
  minSize?: number;
  /** Tables that must exist, with the columns each must have. */
  sqlite?: { tables: Record<string, readonly string[]> };
  /** Top-level keys a plist must have. */
  plistKeys?: readonly string[];
}

export interface ParserPlugin {
  readonly kind: 'parser';
  readonly meta: PluginMeta & { formats: readonly string[] };
  readonly requires?: ParserRequirements;
  /** Lower runs first; the first artifact wins. Default 50. */
  readonly priority?: number;
  parse(ctx: ParseContext): ParseResult | undefined | Promise<ParseResult | undefined>;
}

/** One app catalogue entry, as data. */
export interface AppCatalogueEntry {
  id: string;
  name: string;
  category: AppCategory;
  android?: readonly string[];
  ios?: readonly string[];
  /** Key artifacts: path globs relative to the app's data folder, with what they hold. */
  artifacts?: ReadonlyArray<{ path: string; what: string }>;
  /** What is known about encryption at rest, and where keys live. */
  encryptionAtRest?: string;
  keyHint?: KeyHint;
}

/** A rule from a path to an app. `pattern` is a regular expression source over the logical path with an `app` named group, or `appId` fixed. */
export interface AppPathRule {
  id: string;
  platform: Platform;
  pattern: string;
  appId?: string;
  /** A substring every matching path contains; the engine tests it before the expression (attribution runs on every item). */
  literal?: string;
}

/**
 * A small metadata file that names the app owning the folder it sits in (iOS
 * `.com.apple.mobile_container_manager.metadata.plist`). The engine reads
 * these in a pre-pass when the source can list and read paths cheaply, else
 * as they stream by (then items seen earlier are re-counted in the summary).
 */
export interface ContainerMetadataRule {
  id: string;
  platform: Platform;
  /** Regular expression over a logical path; the `container` named group is the folder a path belongs to. */
  container: string;
  /** A substring every path inside a container contains; tested before the expression. */
  literal?: string;
  /** Name of the metadata file directly inside the container folder. */
  file: string;
  /** Largest metadata file read, in bytes. */
  maxBytes: number;
  /** Pure: the app id the metadata names, or undefined (malformed or not an app). */
  resolve(bytes: Buffer, path: string): string | undefined;
}

/** A device's list of installed apps (Android `packages.xml`, iOS `applicationState.db`), read like container metadata. */
export interface PackageListRule {
  id: string;
  platform: Platform;
  /** Regular expression over a logical path. */
  pattern: string;
  /** Largest list read, in bytes. */
  maxBytes: number;
  /** Pure: the installed app ids (throws on malformed input; the engine records it). */
  read(bytes: Buffer, path: string): ReadonlyArray<{ id: string; name?: string }>;
}

export interface AppRulesPlugin {
  readonly kind: 'app-rules';
  readonly meta: PluginMeta;
  /**
   * Lower is tried first; default 50. Within one priority, plugins keep the
   * order they were given in, and rules the order they are listed in. The
   * built-in rules that name an app from the generic folder layout
   * (`data/data/<package>/`, `AppDomain-<bundle id>/`) have 90, so an
   * app-specific rule decides for its paths in every scan, with or without them.
   */
  readonly priority?: number;
  readonly rules: readonly AppPathRule[];
  readonly catalogue?: readonly AppCatalogueEntry[];
  readonly containerMetadata?: readonly ContainerMetadataRule[];
  readonly packageLists?: readonly PackageListRule[];
}

export type Plugin = DetectorPlugin | ParserPlugin | AppRulesPlugin;
