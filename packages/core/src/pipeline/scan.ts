/**
 * The scan: composes the stages over a source and streams items in a
 * deterministic order (the source's sorted walk; members of a nested archive
 * follow their container). The only public entry to the pipeline.
 *
 * @example
 * const run = scan(await openSource('extraction/'), { plugins: builtinPlugins });
 * for await (const item of run) if (item.classification.status === 'encrypted') console.log(item.path);
 * const summary = await run.summary;
 */
import picomatch from 'picomatch';
import { DEFAULT_LIMITS, type ScanLimits } from '../limits.js';
import type { EvidenceItem } from '../model/evidence-item.js';
import { MANIFEST_SCHEMA_VERSION, type ManifestHeader, type ManifestSummary } from '../model/manifest.js';
import { createRegistry, type Registry } from '../plugin/registry.js';
import { CONTRACT_VERSION, type DetectorPlugin } from '../plugin/types.js';
import type { EvidenceSource, SourceEntry } from '../sources/source.js';
import { attributeItem, createAttributor, type Attributor } from './attribute.js';
import { createAppMetadataHarvester } from './app-metadata.js';
import type { ContainerOpener, ExpansionBudget } from './containers.js';
import { createExpansionBudget } from './containers.js';
import { HASH_ALGORITHMS, type HashAlgorithm } from './hash.js';
import type { KnownMatcher } from '../known/known-sets.js';
import { KnownTally } from '../known/known-tally.js';
import { createIdentifier } from './identify.js';
import { exportedPlugins } from './identify-worker.js';
import { orderedMap } from './ordered-map.js';
import { pushError } from './item-errors.js';
import { createSourceIndex } from './source-index.js';
import { TimeoutError, withTimeout } from './timeout.js';
import { createParsePool, type ParsePool } from './parse-pool.js';
import type { Prober } from './probe.js';
import { createWorkerProber } from './worker-prober.js';
import { baseItem, processEntry, resolveKeyHint, type EntryProcessorDeps } from './process-entry.js';
import { SummaryAggregator } from './summary.js';
import { createResumeCursor, ResumeError } from './resume.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { countTopLevel, shardRange, type ShardSpec } from './shard.js';

/** Options of `scan`; only `plugins` is required. */
/** Slowest hashing pace allowed for before an item times out: 20 MB/s (a slow USB disk). */
const HASH_MIN_BYTES_PER_MS = 20_000;

export interface ScanOptions {
  /**
   * Detectors, parsers and app rules (core has no built-ins: pass
   * `builtinPlugins` from @evtriage/parsers, plus your own). Each is checked
   * (`validatePlugin`): a malformed plugin, another contract major or a
   * duplicate id throws a `PluginError` before the scan starts.
   */
  plugins: readonly unknown[];
  /** Items processed at once (default 64: enough files in flight to keep the probe workers' batches full). */
  concurrency?: number;
  /** Items started but not yet emitted, at most (default 4 x concurrency). */
  window?: number;
  limits?: Partial<ScanLimits>;
  /** Globs over source-relative paths; an entry must match one (when given) and none of `exclude`. */
  include?: readonly string[];
  exclude?: readonly string[];
  hash?: readonly HashAlgorithm[];
  /** Known-file sets (`createKnownMatcher`): matching items get `known`; the digests the sets need are added to `hash`. */
  known?: KnownMatcher;
  /** Count known-good items in the summary's `known` only, leaving them out of the format, app and encrypted tables. */
  collapseKnownGood?: boolean;
  case?: { id?: string; examiner?: string };
  signal?: AbortSignal;
  /** Replaces the default prober (e.g. a worker pool). */
  prober?: Prober;
  /**
   * Module URLs (`builtinPluginsModule` from @evtriage/parsers) whose exported
   * detectors may run on the default prober's worker threads, next to the
   * bytes they read. A detector of `plugins` runs there only when it is the
   * very object that module exports; the others run on the main thread.
   * Same items either way, spread over every core (docs/performance.md).
   */
  workerDetectorModules?: readonly string[];
  /**
   * Module URLs (`builtinPluginsModule`, `--plugin` modules) whose exported
   * parsers run in supervised child processes (parse-pool.ts): a parser that
   * loops, crashes or swells its heap costs only its item (ITEM_TIMEOUT,
   * WORKER_CRASHED, MEMORY_LIMIT). Same rule as `workerDetectorModules`: only
   * the very objects a module exports; folder files only; same items.
   */
  parserModules?: readonly string[];
  /** Openers for archives found inside the source. */
  containers?: readonly ContainerOpener[];
  /** Extra fields recorded in the header's `options` (what the CLI was given). */
  recordOptions?: Record<string, unknown>;
  /** Skip entries whose paths this returns true for (resume: already recorded). */
  skip?: (path: string) => boolean;
  /**
   * Items an interrupted run already recorded, in walk order (`recordedItems`
   * from pipeline/resume.ts). The walk checks they are exactly its first
   * entries (a `ResumeError` otherwise), counts them into the summary and does
   * not process them again.
   */
  resume?: AsyncIterable<EvidenceItem>;
  /**
   * Called with what a person running the scan should know that no item says: for now, that the
   * probe workers could not load the detectors' modules, so detectors run on the main thread.
   */
  onNote?: (message: string) => void;
  /** Called once per enumerated entry, before processing (progress displays). */
  onEntry?: (entry: SourceEntry) => void;
  /**
   * Scan one part of the source (`evtriage scan --shard K/N`, docs/distributed.md): the top-level
   * entries, in walk order and after include/exclude, are cut into `count` contiguous runs of
   * near-equal length and only run `index` (0-based) is processed, with the members of its archives.
   * Concatenating the parts' items in shard order gives the single-scan order (`mergeManifests`).
   */
  shard?: ShardSpec;
}

/** A running scan: iterate it for items (once); `header` is ready at once, `summary` when iteration ends. */
export interface ScanRun extends AsyncIterable<EvidenceItem> {
  readonly header: ManifestHeader;
  readonly registry: Registry;
  /** Resolves when iteration ends (complete or interrupted). */
  readonly summary: Promise<ManifestSummary>;
}

function filterOf(include?: readonly string[], exclude?: readonly string[]): (path: string) => boolean {
  const inc = include && include.length > 0 ? picomatch([...include], { dot: true }) : undefined;
  const exc = exclude && exclude.length > 0 ? picomatch([...exclude], { dot: true }) : undefined;
  return (p) => (!inc || inc(p)) && !(exc && exc(p));
}

/**
 * Scans a source into evidence items, streamed in a deterministic order.
 * Nothing is read until you iterate; breaking out of the loop stops the scan
 * (the summary then says it is incomplete). A plugin that throws, hangs or
 * answers out of contract becomes an error on the item; the scan goes on.
 *
 * @example
 * import { openSource, scan } from '@evtriage/core';
 * import { builtinPlugins, builtinContainers } from '@evtriage/parsers';
 * import { acmeVault } from './acme-vault.js';
 *
 * const source = await openSource('extraction/');
 * const run = scan(source, { plugins: [...builtinPlugins, acmeVault], containers: builtinContainers });
 * for await (const item of run) {
 *   if (item.classification.status === 'encrypted') console.log(item.path, item.encryption?.scheme);
 * }
 * const summary = await run.summary;
 * await source.close();
 */
export function scan(source: EvidenceSource, options: ScanOptions): ScanRun {
  const registry = createRegistry(options.plugins);
  const limits: ScanLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const concurrency = Math.max(1, options.concurrency ?? 64);
  const window = options.window ?? concurrency * 4;
  // Known-file sets need their digests: add them to what was asked for.
  const hash = HASH_ALGORITHMS.filter((a) => options.hash?.includes(a) || options.known?.algorithms.includes(a));
  const header: ManifestHeader = {
    type: 'header',
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    contractVersion: CONTRACT_VERSION,
    plugins: registry.info(),
    source: source.info,
    options: {
      concurrency,
      limits,
      ...(options.include?.length ? { include: [...options.include] } : {}),
      ...(options.exclude?.length ? { exclude: [...options.exclude] } : {}),
      hash: [...hash],
      ...(options.known
        ? {
            known: options.known.sets.map((s) => ({
              name: s.name,
              status: s.status,
              format: s.format,
              entries: s.entries,
              file: s.file,
            })),
            collapseKnownGood: options.collapseKnownGood ?? false,
          }
        : {}),
      ...options.recordOptions,
      ...(options.shard ? { shard: { index: options.shard.index, count: options.shard.count } } : {}),
    },
    case: {
      ...(options.case?.id ? { id: options.case.id } : {}),
      ...(options.case?.examiner ? { examiner: options.case.examiner } : {}),
    },
    startedAt: new Date().toISOString(),
  };
  const aggregator = new SummaryAggregator();
  if (options.known) aggregator.known = new KnownTally(options.known.sets, options.collapseKnownGood ?? false);
  let resolveSummary!: (s: ManifestSummary) => void;
  const summary = new Promise<ManifestSummary>((res) => {
    resolveSummary = res;
  });

  const iterate = async function* (): AsyncGenerator<EvidenceItem> {
    const index = createSourceIndex(registry.indexPatterns());
    const attributor = createAttributor(registry.appRules);
    const harvest = createAppMetadataHarvester(registry.appRules, attributor, {
      installed: (id, platform, name) => aggregator.noteInstalled(id, platform, name),
    });
    // Default: local files probed (and hashed) by a worker pool; other entries on the main thread.
    const remote = options.prober
      ? []
      : await workerDetectorIds(registry.detectors, options.workerDetectorModules ?? []);
    const prober =
      options.prober ??
      createWorkerProber(limits, {
        hash,
        ...(remote.length > 0
          ? { identify: { modules: [...options.workerDetectorModules!], ids: remote, limits } }
          : {}),
        onIdentifyUnavailable: (why) =>
          options.onNote?.(
            `detectors run on the main thread, where one stuck in a synchronous loop would stop the scan: ` +
              `the probe workers could not load them (${why.split('\n')[0]})`,
          ),
      });
    const keep = filterOf(options.include, options.exclude);
    // Recorded nested members are counted as enumerated and written items; they are not walked again.
    let resumed = 0;
    const resume = options.resume
      ? createResumeCursor(options.resume, (nested) => {
          aggregator.enumerated++;
          aggregator.add(nested);
          resumed++;
        })
      : undefined;
    let indexComplete = false;
    let completed = false;
    let failure: unknown;
    let parsePool: ParsePool | undefined;
    try {
      // Pre-pass: paths plugins asked about (key files, metadata), so decisions made while streaming can use them.
      if (source.listPaths && (registry.indexPatterns().length > 0 || harvest.active)) {
        for await (const p of source.listPaths(options.signal)) {
          if (!keep(p)) continue;
          index.add(p);
          harvest.consider(p);
        }
        indexComplete = true;
        // App metadata (container owners, installed packages) before any item is attributed.
        if (source.readPath) await harvest.readNoted((p, max) => source.readPath!(p, max));
      }
      // Children answer findInSource from a snapshot: only when it is the whole answer (a pre-pass, or no one asks).
      if (options.parserModules?.length && (indexComplete || registry.indexPatterns().length === 0)) {
        parsePool = await createParsePool({
          modules: options.parserModules,
          parsers: registry.parsers,
          limits,
          indexPaths: [...index.paths()],
          ...(options.signal ? { signal: options.signal } : {}),
        });
      }
      // A shard needs the number of top-level entries to cut the walk into equal runs.
      const range = options.shard
        ? shardRange(options.shard, await countTopLevel(source, keep, options.signal))
        : undefined;
      const deps: EntryProcessorDeps = {
        prober,
        identifier: createIdentifier(registry.detectors, limits, { remote: new Set(prober.workerDetectorIds ?? []) }),
        parsers: registry.parsers,
        attributor,
        index,
        limits,
        hash,
        ...(options.known ? { known: options.known } : {}),
        indexComplete,
        ...(parsePool ? { parsePool } : {}),
      };
      const budget = createExpansionBudget(limits);
      yield* walk(source, 0, '', range);
      if (resume && !options.signal?.aborted) {
        const extra = await resume.nextTopLevel();
        if (extra)
          throw new ResumeError(
            'RESUME_MISMATCH',
            `The partial manifest records ${JSON.stringify(extra.path)}, which this source does not have (${resumed} recorded items matched); it was made from a different source or with other options. Start a new scan.`,
          );
      }
      completed = !options.signal?.aborted;

      async function* walk(
        src: EvidenceSource,
        depth: number,
        prefix: string,
        range?: { start: number; end?: number },
      ): AsyncGenerator<EvidenceItem> {
        const entries = filtered(src.entries(options.signal), depth, prefix, range);
        const items = orderedMap(entries, (e) => processGuarded(e, deps), {
          concurrency,
          window,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        for await (const { item, entry } of items) {
          // Opened before the container item is written, so limits hit while opening are recorded on it.
          // After an interruption nothing more is written: an item written after an archive whose members
          // were cut short would make that archive look complete to --resume (resume.ts keeps only the
          // last top-level group open). Items in flight are dropped and redone on resume.
          if (options.signal?.aborted) break;
          const nested = await openNested(item, entry, depth, budget);
          // Container metadata met inside an archive (no pre-pass there) is learned in walk order, below;
          // attributing a member again here, in that order, gives it its app exactly when the metadata came
          // before it — not when its processing happened to finish after the metadata item's. Top-level
          // entries keep what processing found: a shard learns the other shards' metadata while it
          // enumerates, ahead of this loop, and must give the single scan's items (docs/distributed.md).
          if (!item.app && depth > 0) attributeItem(item, attributor);
          await harvest.fromItem(item, entry);
          aggregator.add(item, item.app ? undefined : harvest.containerOf(item.logicalPath ?? item.path));
          yield item;
          try {
            if (nested) yield* walk(nested, depth + 1, `${item.path}!/`);
          } finally {
            await nested?.close();
            // Streamed sources keep a member's bytes until here (docs/sources.md).
            entry.release?.();
          }
        }
      }
    } catch (err) {
      // The summary still resolves (marked incomplete, naming the error), so a caller can end its manifest.
      failure = err;
      throw err;
    } finally {
      if (!indexComplete) aggregator.resolveKeyHints((h) => resolveKeyHint(h, index, true));
      // Items of containers whose metadata came after them: counted under their app now.
      aggregator.resolvePending(
        (container) => attributor.attribute(`${container}/`),
        (container, platform) => ({
          id: container.slice(container.lastIndexOf('/') + 1),
          platform,
          name: `Unidentified container (${containerKind(container)}; no metadata)`,
          category: 'other',
        }),
      );
      await parsePool?.close();
      await prober.close();
      const stopped =
        failure === undefined
          ? 'the scan stopped early'
          : `the scan stopped on an error: ${failure instanceof Error ? failure.message : JSON.stringify(failure)}`;
      const result = aggregator.finish(
        completed
          ? { complete: true }
          : { complete: false, interruption: options.signal?.aborted ? 'the scan was interrupted' : stopped },
      );
      if (resume) result.resumed = { items: resumed, at: new Date().toISOString() };
      resolveSummary(result);
    }

    async function* filtered(
      entries: AsyncIterable<SourceEntry>,
      depth: number,
      prefix: string,
      range?: { start: number; end?: number },
    ): AsyncGenerator<SourceEntry> {
      let ordinal = 0;
      for await (const raw of entries) {
        const entry =
          depth > 0
            ? {
                ...raw,
                path: prefix + raw.path,
                depth,
                ...(raw.logicalPath ? { logicalPath: prefix + raw.logicalPath } : {}),
              }
            : raw;
        if (depth === 0 && !keep(entry.path)) {
          raw.release?.();
          continue;
        }
        if (!indexComplete) index.add(entry.path);
        if (range && depth === 0) {
          const n = ordinal++;
          // Another shard's entry: seen (so the index is the same in every shard), not counted, not processed.
          if (n < range.start || (range.end !== undefined && n >= range.end)) {
            if (!indexComplete) await harvest.fromSkipped(entry);
            raw.release?.();
            continue;
          }
        }
        aggregator.enumerated++;
        if (resume && depth === 0 && !resume.done) {
          const recorded = await resume.nextTopLevel();
          if (recorded) {
            if (recorded.path !== entry.path || recorded.rawPath !== entry.rawPath || recorded.kind !== entry.kind) {
              throw new ResumeError(
                'RESUME_MISMATCH',
                `The partial manifest records ${JSON.stringify(recorded.path)} (${recorded.kind}) where this source has ${JSON.stringify(entry.path)} (${entry.kind}), after ${resumed} matching items; it was made from a different source, the source changed, or the options differ. Start a new scan.`,
              );
            }
            aggregator.add(recorded);
            resumed++;
            raw.release?.();
            continue;
          }
        }
        if (options.skip?.(entry.path)) {
          raw.release?.();
          continue;
        }
        options.onEntry?.(entry);
        yield entry;
      }
    }

    async function openNested(
      item: EvidenceItem,
      entry: SourceEntry,
      depth: number,
      budget: ExpansionBudget,
    ): Promise<EvidenceSource | undefined> {
      const opener = options.containers?.find((c) => item.format && c.formats.includes(item.format.id));
      if (!opener || item.kind !== 'file' || item.classification.status === 'unreadable') return undefined;
      if (depth + 1 > limits.maxArchiveDepth) {
        pushError(item, {
          stage: 'container',
          code: 'ARCHIVE_DEPTH_LIMIT',
          message: `Not opened: nested deeper than the archive depth limit (${limits.maxArchiveDepth}); raise --max-depth to open it.`,
          severity: 'warning',
        });
        return undefined;
      }
      try {
        return await opener.open(entry, item, { limits, budget, depth: depth + 1 });
      } catch (err) {
        pushError(item, {
          stage: 'container',
          code: (err as { code?: string }).code ?? 'CONTAINER_OPEN_FAILED',
          message: `The archive could not be opened: ${(err as Error).message}`,
          severity: 'error',
        });
        return undefined;
      }
    }
  };

  async function processGuarded(
    entry: SourceEntry,
    deps: EntryProcessorDeps,
  ): Promise<{ item: EvidenceItem; entry: SourceEntry }> {
    try {
      // Hashing reads the whole file: allow for it at a slow disk's pace (HASH_MIN_BYTES_PER_MS), on top of the item budget.
      const budget =
        limits.itemTimeoutMs +
        (deps.hash.length > 0 && entry.kind === 'file' ? Math.ceil(entry.size / HASH_MIN_BYTES_PER_MS) : 0);
      const item = await withTimeout(() => processEntry(entry, deps), budget, `item ${entry.path}`);
      return { item, entry };
    } catch (err) {
      const item = baseItem(entry);
      const timedOut = err instanceof TimeoutError;
      item.classification = {
        status: 'unreadable',
        confidence: 1,
        certainty: 'certain',
        reasons: [{ code: timedOut ? 'ITEM_TIMEOUT' : 'ITEM_FAILED', message: (err as Error).message, by: 'engine' }],
      };
      pushError(item, {
        stage: 'post',
        code: timedOut ? 'ITEM_TIMEOUT' : 'ITEM_FAILED',
        message: (err as Error).message,
        severity: 'error',
      });
      return { item, entry };
    }
  }

  const generator = iterate();
  return {
    header,
    registry,
    summary,
    [Symbol.asyncIterator]: () => generator,
  };
}

/** `Data/Application`, `Shared/AppGroup`... from a container folder path, for naming containers whose owner is unknown. */
function containerKind(container: string): string {
  const parts = container.split('/');
  return parts.slice(-3, -1).join('/');
}

export type { Attributor };

/**
 * Ids of the registry's detectors that the given modules export as the very
 * same objects, in registry order: those can run on the probe workers, which
 * import the same modules. A module that fails to load here just adds none.
 */
export async function workerDetectorIds(
  detectors: readonly DetectorPlugin[],
  modules: readonly string[],
): Promise<string[]> {
  const exported = new Set<unknown>();
  for (const url of modules) {
    try {
      for (const p of exportedPlugins((await import(url)) as Record<string, unknown>)) exported.add(p);
    } catch {
      // Not loadable here, so not on the workers either: its detectors run on the main thread.
    }
  }
  return detectors.filter((d) => exported.has(d)).map((d) => d.meta.id);
}
