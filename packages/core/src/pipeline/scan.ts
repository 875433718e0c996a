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
import { createAttributor, type Attributor } from './attribute.js';
import { createAppMetadataHarvester, type AppMetadataHarvester } from './app-metadata.js';
import { createAppMetadataThread } from './app-metadata-thread.js';
import { createExpansionBudget, type ContainerOpener } from './containers.js';
import { HASH_ALGORITHMS, type HashAlgorithm } from './hash.js';
import type { KnownMatcher } from '../known/known-sets.js';
import { KnownTally } from '../known/known-tally.js';
import { createIdentifier } from './identify.js';
import { exportedPlugins } from './identify-worker.js';
import { createSourceIndex, type GrowingSourceIndex } from './source-index.js';
import { createParsePool, type ParsePool } from './parse-pool.js';
import type { Prober } from './probe.js';
import { createWorkerProber } from './worker-prober.js';
import { resolveKeyHint } from './process-entry.js';
import { SummaryAggregator } from './summary.js';
import { createResumeTracker } from './scan-resume.js';
import { walk, type WalkContext } from './scan-walk.js';
import { createStallWatch } from './stall.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { countTopLevel, shardRange, type ShardSpec } from './shard.js';

/** Options of `scan`; only `plugins` is required. */
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
  /**
   * Module URLs (`builtinAppRulesModule`, `--plugin` modules) whose exported
   * app-rules plugins read their metadata files (`packageLists`,
   * `containerMetadata`) on a supervised thread (app-metadata-thread.ts):
   * past `pluginTimeoutMs` plus half, or `workerHeapMb`, the file gets a
   * warning and the scan goes on. Same rule: only the very objects a module
   * exports. Default: `workerDetectorModules` and `parserModules`.
   */
  appMetadataModules?: readonly string[];
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
  const settings = settingsOf(options);
  const header = headerOf(source, options, settings);
  const aggregator = new SummaryAggregator();
  if (options.known) aggregator.known = new KnownTally(options.known.sets, options.collapseKnownGood ?? false);
  let resolveSummary!: (s: ManifestSummary) => void;
  const summary = new Promise<ManifestSummary>((res) => {
    resolveSummary = res;
  });
  const generator = run(source, options, settings, aggregator, resolveSummary);
  return {
    header,
    registry: settings.registry,
    summary,
    [Symbol.asyncIterator]: () => generator,
  };
}

/** What the options resolve to: the checked plugins, the limits in force, the digests to compute. */
interface ScanSettings {
  registry: Registry;
  limits: ScanLimits;
  concurrency: number;
  window: number;
  hash: HashAlgorithm[];
}

function settingsOf(options: ScanOptions): ScanSettings {
  const concurrency = Math.max(1, options.concurrency ?? 64);
  return {
    registry: createRegistry(options.plugins),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    concurrency,
    window: options.window ?? concurrency * 4,
    // Known-file sets need their digests: add them to what was asked for.
    hash: HASH_ALGORITHMS.filter((a) => options.hash?.includes(a) || options.known?.algorithms.includes(a)),
  };
}

/** The manifest header: tool, plugins, source and every option that shaped the items. */
function headerOf(source: EvidenceSource, options: ScanOptions, settings: ScanSettings): ManifestHeader {
  const { registry, concurrency, limits, hash } = settings;
  return {
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
}

/**
 * The scan's steps: the prober; the pre-pass; the parse pool; the walk (with
 * the shard's range and the resumed items); then, whatever happened, the
 * summary, resolved once the workers are closed.
 */
async function* run(
  source: EvidenceSource,
  options: ScanOptions,
  settings: ScanSettings,
  aggregator: SummaryAggregator,
  resolveSummary: (s: ManifestSummary) => void,
): AsyncGenerator<EvidenceItem> {
  const { registry, limits, hash } = settings;
  const index = createSourceIndex(registry.indexPatterns());
  const attributor = createAttributor(registry.appRules);
  const appThread = await createAppMetadataThread(
    registry.appRules,
    options.appMetadataModules ?? [...(options.workerDetectorModules ?? []), ...(options.parserModules ?? [])],
    limits,
  );
  const harvest = createAppMetadataHarvester(
    registry.appRules,
    attributor,
    { installed: (id, platform, name) => aggregator.noteInstalled(id, platform, name) },
    appThread,
  );
  const prober = options.prober ?? (await defaultProber(registry, options, limits, hash));
  const keep = filterOf(options.include, options.exclude);
  const resume = options.resume ? createResumeTracker(options.resume, aggregator) : undefined;
  let indexComplete = false;
  let completed = false;
  let failure: unknown;
  let parsePool: ParsePool | undefined;
  try {
    indexComplete = await prePass(source, options, registry, keep, index, harvest);
    // App metadata (container owners, installed packages) before any item is attributed.
    if (indexComplete && source.readPath) await harvest.readNoted((p, max) => source.readPath!(p, max));
    parsePool = await startParsePool(options, registry, limits, index, indexComplete);
    // A shard needs the number of top-level entries to cut the walk into equal runs.
    const range = options.shard
      ? shardRange(options.shard, await countTopLevel(source, keep, options.signal))
      : undefined;
    const ctx: WalkContext = {
      limits,
      concurrency: settings.concurrency,
      window: settings.window,
      signal: options.signal,
      keep,
      skip: options.skip,
      onEntry: options.onEntry,
      containers: options.containers ?? [],
      index,
      indexComplete,
      harvest,
      attributor,
      aggregator,
      resume,
      deps: {
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
        ...(options.signal ? { signal: options.signal } : {}),
      },
      budget: createExpansionBudget(limits),
      ahead: { archives: 0, reserved: 0 },
      stall: createStallWatch(),
    };
    yield* walk(ctx, source, 0, '', range);
    if (resume && !options.signal?.aborted) await resume.checkNoneLeft();
    completed = !options.signal?.aborted;
  } catch (err) {
    // The summary still resolves (marked incomplete, naming the error), so a caller can end its manifest.
    failure = err;
    throw err;
  } finally {
    if (!indexComplete) aggregator.resolveKeyHints((h) => resolveKeyHint(h, index, true));
    harvest.learnLater();
    resolvePendingApps(aggregator, attributor);
    await parsePool?.close();
    await prober.close();
    await appThread?.close();
    const result = aggregator.finish(
      completed
        ? { complete: true }
        : { complete: false, interruption: options.signal?.aborted ? 'the scan was interrupted' : stoppedBy(failure) },
    );
    if (resume) result.resumed = { items: resume.resumed, at: new Date().toISOString() };
    resolveSummary(result);
  }
}

/** Default prober: local files probed (and hashed) by a worker pool; other entries on the main thread. */
async function defaultProber(
  registry: Registry,
  options: ScanOptions,
  limits: ScanLimits,
  hash: readonly HashAlgorithm[],
): Promise<Prober> {
  const remote = await workerDetectorIds(registry.detectors, options.workerDetectorModules ?? []);
  return createWorkerProber(limits, {
    hash,
    ...(remote.length > 0 ? { identify: { modules: [...options.workerDetectorModules!], ids: remote, limits } } : {}),
    onIdentifyUnavailable: (why) =>
      options.onNote?.(
        `detectors run on the main thread, where one stuck in a synchronous loop would stop the scan: ` +
          `the probe workers could not load them (${why.split('\n')[0]})`,
      ),
  });
}

/**
 * Pre-pass: the paths plugins asked about (key files, metadata), so decisions
 * made while streaming can use them. Whether it ran (the index is then complete).
 */
async function prePass(
  source: EvidenceSource,
  options: ScanOptions,
  registry: Registry,
  keep: (path: string) => boolean,
  index: GrowingSourceIndex,
  harvest: AppMetadataHarvester,
): Promise<boolean> {
  if (!source.listPaths || (registry.indexPatterns().length === 0 && !harvest.active)) return false;
  for await (const p of source.listPaths(options.signal)) {
    if (!keep(p)) continue;
    index.add(p);
    harvest.consider(p);
  }
  return true;
}

/** The parse children, when module parsers were given and a snapshot of the index is the whole answer to findInSource. */
async function startParsePool(
  options: ScanOptions,
  registry: Registry,
  limits: ScanLimits,
  index: GrowingSourceIndex,
  indexComplete: boolean,
): Promise<ParsePool | undefined> {
  if (!options.parserModules?.length || (!indexComplete && registry.indexPatterns().length > 0)) return undefined;
  return createParsePool({
    modules: options.parserModules,
    parsers: registry.parsers,
    limits,
    indexPaths: [...index.paths()],
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Items of containers whose metadata came after them: counted under their app now. */
function resolvePendingApps(aggregator: SummaryAggregator, attributor: Attributor): void {
  aggregator.resolvePending(
    (container) => attributor.attribute(`${container}/`),
    (container, platform) => ({
      id: container.slice(container.lastIndexOf('/') + 1),
      platform,
      name: `Unidentified container (${containerKind(container)}; no metadata)`,
      category: 'other',
    }),
  );
}

function stoppedBy(failure: unknown): string {
  return failure === undefined
    ? 'the scan stopped early'
    : `the scan stopped on an error: ${failure instanceof Error ? failure.message : JSON.stringify(failure)}`;
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
