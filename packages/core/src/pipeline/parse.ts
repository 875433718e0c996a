/**
 * Parse stage: run the parsers that declared the item's format, after the
 * engine has checked their declared requirements (size, SQLite tables and
 * columns, plist keys). Each call is isolated: a plugin that throws, times
 * out or returns a malformed result becomes an error on the item naming the
 * plugin, and the scan goes on.
 */
import { z } from 'zod';
import type { ScanLimits } from '../limits.js';
import { Artifact, type EvidenceItem } from '../model/evidence-item.js';
import { Encryption } from '../model/encryption.js';
import { certaintyOf, Status } from '../model/classification.js';
import { decodePlist } from '../plugin/plist.js';
import { openSqlitePrivateCopy, type SqliteHandle } from '../plugin/sqlite-handle.js';
import { checkDiagnostic } from '../plugin/contract.js';
import { firstIssue } from '../plugin/schemas.js';
import type { Diagnostic, ParseContext, ParserPlugin, ParseResult, Probe } from '../plugin/types.js';
import type { ByteReader, SourceEntry } from '../sources/source.js';
import { pushError } from './item-errors.js';
import type { SourceIndex } from './source-index.js';
import { TimeoutError, withTimeout } from './timeout.js';
import { localFileSize, readSmallLocalFile, siblingPath, SiblingTooLargeError } from '../sources/read-small.js';

/** What a parser's `parse` must return (or nothing). Strict: unknown keys are a mistake in the plugin. */
export const ParseResultSchema = z
  .object({
    details: z.record(z.string(), z.unknown()).optional(),
    artifact: Artifact.omit({ by: true }).optional(),
    reclassify: z
      .object({
        status: Status,
        confidence: z.number().min(0).max(1),
        reasons: z
          .array(
            z.object({ code: z.string(), message: z.string(), figures: z.record(z.string(), z.unknown()).optional() }),
          )
          .min(1),
        format: z.object({ id: z.string(), name: z.string(), mime: z.string().optional() }).optional(),
      })
      .optional(),
    encryption: Encryption.optional(),
  })
  .strict();

/** Formats whose items can be opened as SQLite. */
const SQLITE_FORMATS = new Set(['sqlite']);
/** Formats decoded once for every parser (`ctx.plist`), so no parser decodes the same plist again. */
const PLIST_FORMATS = new Set(['bplist', 'xml-plist']);

export interface ParseStageDeps {
  parsers: readonly ParserPlugin[];
  limits: ScanLimits;
  index: SourceIndex;
  /** Sees each parser decision (the test kit uses it); absent in ordinary scans. */
  observe?: ParseObserver;
  /**
   * Hand parsers deep-frozen copies of `ctx.item`, `ctx.probe` and `ctx.plist`,
   * so a parser that writes to its input throws (the test kit turns this on).
   */
  freezeInputs?: boolean;
  /**
   * Told the id of the parser on whose behalf the next step that can take
   * time runs: opening or reading the schema of the SQLite copy, decoding the
   * plist, calling the parser (parse-worker.ts: the supervisor's blame and
   * clock). A parser skipped on checks already answered is not told: a
   * message per skipped parser cost the parse children more than the parsing.
   */
  onParser?: (parser: string) => void;
}

/** Hooks into the parse stage, for tools that check plugins (the test kit). */
export interface ParseObserver {
  /** A parser was not called: its declared requirements did not match, with why. */
  skipped?(parser: string, why: string): void;
  /** A parser returned (or threw); raw answer and raw diagnostics, before the engine checks them. */
  called?(parser: string, outcome: { result?: unknown; error?: unknown; diagnostics: readonly unknown[] }): void;
}

/** The parsers that declared `formatId` (or `*`), in registry order. */
export function applicable(parsers: readonly ParserPlugin[], formatId: string): ParserPlugin[] {
  return parsers.filter((p) => p.meta.formats.includes(formatId) || p.meta.formats.includes('*'));
}

/** Whether the item's size is within what the parser declared it reads (`requires.minSize`/`maxSize`). */
export function sizeFits(parser: ParserPlugin, size: number): boolean {
  const req = parser.requires;
  return (req?.maxSize === undefined || size <= req.maxSize) && (req?.minSize === undefined || size >= req.minSize);
}

/**
 * The item's bytes as its parsers get them, each opened once and only when a
 * parser needs it: a reader, the whole bytes, a private SQLite copy (and
 * whether its schema was read), the decoded plist.
 */
class ItemInputs {
  private reader: ByteReader | undefined;
  private whole: Buffer | undefined;
  sqlite: SqliteHandle | undefined;
  sqliteError: string | undefined;
  schemaError: string | undefined;
  schemaRead = false;
  plist: unknown;
  plistError: string | undefined;

  constructor(
    private readonly item: EvidenceItem,
    private readonly entry: SourceEntry,
    private readonly probe: Probe,
    private readonly limits: ScanLimits,
  ) {}

  readonly getReader = async (): Promise<ByteReader> => {
    if (!this.reader) {
      if (!this.entry.open) throw new Error('the item has no readable content');
      this.reader = await this.entry.open();
    }
    return this.reader;
  };

  readonly readAll = async (maxBytes = this.limits.parseMaxBytes): Promise<Buffer> => {
    const { item, probe } = this;
    if (item.size > maxBytes)
      throw new RangeError(`the item is ${item.size} bytes, more than the ${maxBytes}-byte limit for reading whole`);
    if (probe.complete) return Buffer.from(probe.head);
    this.whole ??= await (await this.getReader()).read(0, item.size);
    return this.whole;
  };

  get sqliteTried(): boolean {
    return this.sqlite !== undefined || !!this.sqliteError;
  }

  async openSqlite(): Promise<SqliteHandle | undefined> {
    if (this.sqliteTried) return this.sqlite;
    const { item, probe, limits } = this;
    try {
      if (item.size > limits.parseMaxBytes)
        throw new RangeError(
          `the item is ${item.size} bytes, more than the ${limits.parseMaxBytes}-byte limit for opening a database`,
        );
      // A private copy on disk (in memory when small): memory does not grow with the database (docs/architecture.md, decision 3).
      const held = probe.complete
        ? Buffer.from(probe.head.buffer, probe.head.byteOffset, probe.head.byteLength)
        : this.whole;
      this.sqlite = held
        ? await openSqlitePrivateCopy({ size: held.length, read: async (p, l) => held.subarray(p, p + l) })
        : await openSqlitePrivateCopy({ size: item.size, read: async (p, l) => (await this.getReader()).read(p, l) });
    } catch (err) {
      this.sqliteError = (err as Error).message;
    }
    return this.sqlite;
  }

  get plistTried(): boolean {
    return this.plist !== undefined || !!this.plistError;
  }

  async openPlist(): Promise<unknown> {
    if (this.plistTried) return this.plist;
    try {
      this.plist = decodePlist(await this.readAll());
    } catch (err) {
      this.plistError = (err as Error).message;
    }
    return this.plist;
  }

  async close(): Promise<void> {
    this.sqlite?.close();
    await this.reader?.close();
  }
}

/** Runs the applicable parsers on one item, mutating it with their results. */
export async function parseItem(
  item: EvidenceItem,
  entry: SourceEntry,
  probe: Probe,
  deps: ParseStageDeps,
): Promise<void> {
  const formatId = item.format?.id;
  if (!formatId || item.kind !== 'file') return;
  const parsers = applicable(deps.parsers, formatId);
  if (parsers.length === 0) return;

  const inputs = new ItemInputs(item, entry, probe, deps.limits);
  let artifactTaken = false;
  let announced: string | undefined;
  const announce = (id: string) => {
    if (announced === id) return;
    announced = id;
    deps.onParser?.(id);
  };
  try {
    for (const parser of parsers) {
      const id = parser.meta.id;
      const why = await unmetRequirement(parser, item, formatId, inputs, announce);
      if (why !== undefined) {
        deps.observe?.skipped?.(id, why);
        continue;
      }
      announce(id);
      const outcome = await callParser(parser, item, entry, probe, inputs, deps);
      if ('error' in outcome) {
        deps.observe?.called?.(id, { error: outcome.error, diagnostics: [...outcome.diagnostics] });
        const timedOut = outcome.error instanceof TimeoutError;
        pushError(item, {
          stage: 'parse',
          code: timedOut ? 'PLUGIN_TIMEOUT' : 'PLUGIN_THREW',
          message: timedOut
            ? (outcome.error as Error).message
            : `parser ${id} failed: ${(outcome.error as Error)?.message ?? String(outcome.error)}`,
          plugin: id,
          severity: 'error',
        });
        continue;
      }
      const { result, diagnostics } = outcome;
      deps.observe?.called?.(id, { result, diagnostics: [...diagnostics] });
      recordDiagnostics(item, parser, diagnostics);
      if (!result) continue;
      const checked = ParseResultSchema.safeParse(result);
      if (!checked.success) {
        pushError(item, {
          stage: 'parse',
          code: 'PLUGIN_BAD_RESULT',
          message: `parser ${id} returned a result that fails the contract: ${firstIssue(checked.error)}`,
          plugin: id,
          severity: 'error',
        });
        continue;
      }
      applyResult(item, result, id, artifactTaken);
      if (result.artifact) artifactTaken = true;
    }
  } finally {
    await inputs.close();
  }
}

/**
 * Why the parser is not given the item (its declared size, SQLite tables or
 * plist keys do not match), or undefined when it is. Opens the SQLite copy or
 * decodes the plist when the parser (or the item's format) needs them,
 * telling `announce` the parser on whose behalf that work runs.
 */
async function unmetRequirement(
  parser: ParserPlugin,
  item: EvidenceItem,
  formatId: string,
  inputs: ItemInputs,
  announce: (id: string) => void,
): Promise<string | undefined> {
  const id = parser.meta.id;
  const req = parser.requires;
  if (req?.maxSize !== undefined && item.size > req.maxSize)
    return `the item is ${item.size} bytes, more than requires.maxSize ${req.maxSize}`;
  if (req?.minSize !== undefined && item.size < req.minSize)
    return `the item is ${item.size} bytes, less than requires.minSize ${req.minSize}`;
  if (req?.sqlite !== undefined || SQLITE_FORMATS.has(formatId)) {
    if (!inputs.sqliteTried) announce(id);
    const db = await inputs.openSqlite();
    if (!db) {
      if (req?.sqlite === undefined && !item.errors.some((e) => e.code === 'SQLITE_OPEN_FAILED'))
        pushError(item, {
          stage: 'parse',
          code: 'SQLITE_OPEN_FAILED',
          message: `SQLite could not open the database: ${inputs.sqliteError}`,
          plugin: id,
          severity: 'error',
        });
      return `SQLite could not open the database: ${inputs.sqliteError}`;
    }
    if (req?.sqlite) {
      let matches: boolean;
      if (!inputs.schemaRead) announce(id); // the schema is read once, for the first parser that asks
      inputs.schemaRead = true;
      try {
        matches = hasTables(db, req.sqlite.tables);
      } catch (err) {
        // A damaged schema page: SQLite opened the copy but cannot list its tables.
        if (!inputs.schemaError) {
          inputs.schemaError = (err as Error).message;
          pushError(item, {
            stage: 'parse',
            code: 'SQLITE_SCHEMA_UNREADABLE',
            message: `SQLite could not read the database schema: ${inputs.schemaError}`,
            severity: 'warning',
          });
        }
        return `SQLite could not read the database schema: ${inputs.schemaError}`;
      }
      if (!matches) return `requires.sqlite does not match: ${missingTables(db, req.sqlite.tables).join('; ')}`;
    }
  }
  // A plist item is decoded once for all its parsers; one that fails to decode still reaches
  // parsers without requirements (without ctx.plist), which report it in their own words.
  const wantsPlist = req?.plistKeys || PLIST_FORMATS.has(formatId);
  if (wantsPlist && !inputs.plistTried) announce(id);
  const value = wantsPlist ? await inputs.openPlist() : undefined;
  if (req?.plistKeys && (!isRecord(value) || !req.plistKeys.every((k) => k in value)))
    return isRecord(value)
      ? `requires.plistKeys: missing ${req.plistKeys.filter((k) => !(k in value)).join(', ')}`
      : `requires.plistKeys: the item is not a plist dictionary${inputs.plistError ? ` (${inputs.plistError})` : ''}`;
  return undefined;
}

/** One isolated call of a parser, within its time budget: its answer and diagnostics, or what it threw. */
async function callParser(
  parser: ParserPlugin,
  item: EvidenceItem,
  entry: SourceEntry,
  probe: Probe,
  inputs: ItemInputs,
  deps: ParseStageDeps,
): Promise<
  { result: ParseResult | undefined; diagnostics: Diagnostic[] } | { error: unknown; diagnostics: Diagnostic[] }
> {
  const diagnostics: Diagnostic[] = [];
  // The test kit's check that a parser does not write to its input: it gets frozen copies.
  const frozen = deps.freezeInputs
    ? {
        item: deepFreeze(structuredClone(item)),
        probe: freezeProbe(probe),
        plist: inputs.plist !== undefined ? deepFreeze(structuredClone(inputs.plist)) : undefined,
      }
    : undefined;
  try {
    const result = await withTimeout(
      async (abort) => {
        const ctx: ParseContext = {
          item: frozen?.item ?? item,
          probe: frozen?.probe ?? probe,
          read: async (position, length) =>
            (await inputs.getReader()).read(position, Math.max(0, Math.min(length, item.size - position))),
          readAll: inputs.readAll,
          ...(inputs.sqlite ? { sqlite: inputs.sqlite } : {}),
          ...(inputs.plist !== undefined ? { plist: frozen ? frozen.plist : inputs.plist } : {}),
          findInSource: (pattern) => deps.index.find(pattern),
          readSibling: (suffix, maxBytes = deps.limits.parseMaxBytes) => readSiblingOf(entry, suffix, maxBytes),
          report: (d) => void diagnostics.push(d),
          get signal() {
            return abort.signal;
          },
        };
        return (await parser.parse(ctx)) ?? undefined;
      },
      deps.limits.pluginTimeoutMs,
      `parser ${parser.meta.id}`,
    );
    return { result, diagnostics };
  } catch (error) {
    return { error, diagnostics };
  }
}

/** A parser's diagnostics as item errors: declared ones in its words, undeclared or malformed ones as contract errors. */
function recordDiagnostics(item: EvidenceItem, parser: ParserPlugin, diagnostics: readonly Diagnostic[]): void {
  const id = parser.meta.id;
  for (const d of diagnostics) {
    const verdict = checkDiagnostic(parser, d);
    if (!verdict.ok) {
      pushError(item, {
        stage: 'parse',
        code: verdict.code,
        message: verdict.message,
        plugin: id,
        severity: verdict.code === 'PLUGIN_UNDECLARED_DIAGNOSTIC' ? d.severity : 'error',
      });
      continue;
    }
    pushError(item, {
      stage: 'parse',
      code: safeCode(d.code),
      message: verdict.diagnostic.message,
      plugin: id,
      severity: d.severity,
    });
  }
}

function applyResult(item: EvidenceItem, result: ParseResult, by: string, artifactTaken: boolean): void {
  if (result.details) item.details = { ...item.details, [by]: result.details };
  if (result.artifact && !artifactTaken) item.artifact = { ...result.artifact, by };
  if (result.encryption) item.encryption = result.encryption;
  if (result.reclassify) {
    const r = result.reclassify;
    item.classification = {
      ...item.classification,
      status: r.status,
      confidence: r.confidence,
      certainty: certaintyOf(r.confidence),
      reasons: [...item.classification.reasons, ...r.reasons.map((x) => ({ ...x, by }))],
    };
    if (r.format && item.format)
      item.format = {
        ...item.format,
        id: r.format.id,
        name: r.format.name,
        ...(r.format.mime ? { mime: r.format.mime } : {}),
        detector: by,
      };
    if (r.status !== 'encrypted') delete item.encryption;
  }
}

function hasTables(db: SqliteHandle, required: Record<string, readonly string[]>): boolean {
  const tables = db.tables();
  return Object.entries(required).every(([t, cols]) => {
    const have = tables.get(t);
    return have !== undefined && cols.every((c) => have.includes(c));
  });
}

function missingTables(db: SqliteHandle, required: Record<string, readonly string[]>): string[] {
  const tables = db.tables();
  const out: string[] = [];
  for (const [t, cols] of Object.entries(required)) {
    const have = tables.get(t);
    if (!have) out.push(`no table ${t}`);
    else {
      const missing = cols.filter((c) => !have.includes(c));
      if (missing.length > 0) out.push(`table ${t} lacks ${missing.join(', ')}`);
    }
  }
  return out;
}

/** Freezes plain objects and arrays all the way down (typed arrays cannot be frozen; the test kit compares their bytes instead). */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return value;
}

function freezeProbe(probe: Probe): Probe {
  return Object.freeze({ ...probe, samples: Object.freeze(probe.samples.map((s) => Object.freeze({ ...s }))) });
}

/** A companion file of the entry (`-wal`), through the source when it offers it, else beside a local file. */
async function readSiblingOf(entry: SourceEntry, suffix: string, maxBytes: number): Promise<Buffer | undefined> {
  if (entry.readSibling) return entry.readSibling(suffix, maxBytes);
  if (entry.localPath === undefined) return undefined;
  const file = siblingPath(entry.localPath, suffix);
  const size = localFileSize(file);
  if (size !== undefined && size > maxBytes) throw new SiblingTooLargeError(suffix, size, maxBytes);
  return readSmallLocalFile(file, maxBytes);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function safeCode(code: string): string {
  return /^[A-Z][A-Z0-9_]*$/.test(code) ? code : 'PLUGIN_DIAGNOSTIC';
}
