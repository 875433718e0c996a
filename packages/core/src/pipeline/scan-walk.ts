/**
 * The walk of a scan: entries of a source (and, depth first, of the archives
 * found in it) are admitted (include/exclude, shard, resume), processed
 * concurrently and emitted in walk order, each container's members right
 * after it. Everything the walk shares is in one `WalkContext` built by
 * scan.ts; nothing here decides what a file is (process-entry.ts does).
 */
import type { ScanLimits } from '../limits.js';
import type { EvidenceItem } from '../model/evidence-item.js';
import { archiveProblemEntry, denseArchiveProblem, INDEX_MAX_MEMBERS } from '../sources/archive-common.js';
import type { EvidenceSource, SourceEntry } from '../sources/source.js';
import type { AppMetadataHarvester } from './app-metadata.js';
import type { Attributor } from './attribute.js';
import type { ContainerOpener, ExpansionBudget } from './containers.js';
import { pushError } from './item-errors.js';
import { OrderedMap } from './ordered-map.js';
import { attributeAndResolveKeyHint, baseItem, processEntry, type EntryProcessorDeps } from './process-entry.js';
import {
  ARCHIVE_INDEX_MAX_PATHS,
  fillArchiveIndex,
  fixedSourceIndex,
  scopedIndex,
  type GrowingSourceIndex,
} from './source-index.js';
import type { ResumeTracker } from './scan-resume.js';
import type { SummaryAggregator } from './summary.js';
import { StallError, type StallWatch } from './stall.js';
import { TimeoutError, withTimeout } from './timeout.js';

/** Slowest hashing pace allowed for before an item times out: 20 MB/s (a slow USB disk). */
const HASH_MIN_BYTES_PER_MS = 20_000;

/** The run of top-level entries a shard processes (shard.ts). */
export interface ScanRange {
  start: number;
  end?: number;
}

/** What the walk shares across sources and depths. */
export interface WalkContext {
  limits: ScanLimits;
  concurrency: number;
  window: number;
  signal?: AbortSignal | undefined;
  /** include/exclude, over top-level paths. */
  keep: (path: string) => boolean;
  skip?: ((path: string) => boolean) | undefined;
  onEntry?: ((entry: SourceEntry) => void) | undefined;
  containers: readonly ContainerOpener[];
  index: GrowingSourceIndex;
  /** The pre-pass filled the index; otherwise the walk fills it as it goes. */
  indexComplete: boolean;
  harvest: AppMetadataHarvester;
  attributor: Attributor;
  aggregator: SummaryAggregator;
  resume?: ResumeTracker | undefined;
  deps: EntryProcessorDeps;
  budget: ExpansionBudget;
  /** Ends the waits on a source or an archive that can never be answered (stall.ts). */
  stall: StallWatch;
  /** Archives opened ahead of the walk. */
  ahead: AheadState;
}

/**
 * Archives opened ahead of the walk (while the walk is still before them) at most, scan-wide; each no larger
 * than AHEAD_MAX_SIZE on disk, all of them together expanding to AHEAD_MAX_EXPANDED at most. Larger ones are
 * opened when the walk reaches them: what an opened archive holds in memory stays small.
 */
const AHEAD_MAX_ARCHIVES = 32;
const AHEAD_MAX_SIZE = 1024 * 1024;
const AHEAD_MAX_EXPANDED = 64 * 1024 * 1024;
/** Members of an archive opened ahead processed before the walk reaches it, at most. */
const AHEAD_WINDOW = 16;

/** The archives opened ahead of the walk, scan-wide (WalkContext.ahead). */
export interface AheadState {
  archives: number;
  /** Expansion budget the archives opened ahead took, not yet given back to the scan's budget. */
  reserved: number;
}

/** One source's entries being processed: the top level, or an archive's members. */
interface Level {
  items: OrderedMap<SourceEntry, Processed>;
  /** What its entries are processed with: the archive's own index over the outer one (levelDeps). */
  deps: Promise<EntryProcessorDeps>;
  /**
   * Until the walk reaches an archive opened ahead, what its members' enumeration counts is kept here: given
   * to the summary and `onEntry` when reached, dropped if the archive is opened again instead.
   */
  early?: { enumerated: number; entries: SourceEntry[] } | undefined;
}

interface Processed {
  item: EvidenceItem;
  entry: SourceEntry;
  /** Processing left the item's app and key hint to the walk (EntryProcessorDeps.attributeLater). */
  attributeLater: boolean;
  ahead?: Ahead | undefined;
}

/** An archive opened while its item was processed, its members' level already started. */
interface Ahead {
  source: EvidenceSource;
  level: Level;
  /** Expansion budget its opening took (against a budget of its own; the scan's is taken when reached). */
  taken: number;
  /** The item as processing left it, before the opening recorded anything on it. */
  before: EvidenceItem;
}

/** Items of `src` (at `depth`, paths under `prefix`) and of the archives in it, in walk order. */
export function walk(
  ctx: WalkContext,
  src: EvidenceSource,
  depth: number,
  prefix: string,
  range?: ScanRange,
): AsyncGenerator<EvidenceItem> {
  return emit(ctx, startLevel(ctx, src, depth, prefix, range, false, ctx.deps), depth);
}

/** An index holding nothing, complete: what lies around the top-level source. */
const NOTHING_AROUND: Pick<EntryProcessorDeps, 'index' | 'indexComplete' | 'indexPartial'> = {
  index: fixedSourceIndex([]),
  indexComplete: true,
};

/**
 * What a level's entries are processed with. Siblings inside an archive: a member's plugins and key hints see the
 * archive's own paths (from the listing the archive makes anyway: a ZIP's central directory, a TAR's listing pass,
 * plain or compressed, 7-Zip's listing; `memberPaths`/`listPaths`) over what holds it, as a folder's file sees its
 * folder. The top level needs none when a pre-pass indexed it. A source that lists nothing keeps the outer index.
 * The index is complete (absence means absent) when the archive's listing was read whole, within
 * ARCHIVE_INDEX_MAX_PATHS, and the outer one is complete; otherwise it is settled but partial (`indexPartial`):
 * what it holds does not depend on how far the walk ran, found is found, and absence decides nothing.
 */
async function levelDeps(
  ctx: WalkContext,
  src: EvidenceSource,
  depth: number,
  prefix: string,
  outer: EntryProcessorDeps,
): Promise<EntryProcessorDeps> {
  const base = depth > 0 || !ctx.indexComplete ? { ...outer, attributeLater: true } : outer;
  // No plugin looks for paths: the listing would index nothing.
  if ((depth === 0 && ctx.indexComplete) || !ctx.index.watching) return base;
  const listing = src.memberPaths ? src.memberPaths(ctx.signal) : src.listPaths?.(ctx.signal);
  if (!listing) return base;
  const around = depth === 0 ? NOTHING_AROUND : outer;
  const own = ctx.index.spawn();
  const limit = await fillArchiveIndex(own, listing, prefix, INDEX_MAX_MEMBERS);
  // An outer index still filling (a streamed top level) would make the answer depend on timing: not used.
  const settledOuter = around.indexComplete && !around.indexPartial;
  const index = scopedIndex(own.paths(), settledOuter ? around.index : NOTHING_AROUND.index);
  const complete = limit === undefined && settledOuter;
  return {
    ...base,
    index,
    indexComplete: complete,
    ...(complete ? {} : { indexPartial: true }),
    ...(limit ? { indexLimit: limit } : {}),
  };
}

/**
 * Starts processing a source's entries. A level started ahead (an archive's members before the walk reaches
 * it) processes a few members only until `reach` widens it.
 */
function startLevel(
  ctx: WalkContext,
  src: EvidenceSource,
  depth: number,
  prefix: string,
  range: ScanRange | undefined,
  ahead: boolean,
  outer: EntryProcessorDeps,
): Level {
  const counts: Pick<Level, 'early'> = { early: ahead ? { enumerated: 0, entries: [] } : undefined };
  const entries = admitted(ctx, guardedEntries(ctx, src, depth), depth, prefix, range, counts);
  // Without a pre-pass (inside an archive, a streamed source) container metadata is learned as the walk goes,
  // so apps are given where the walk reaches each item, from what came before it: not from how far the
  // walk happened to be when processing finished (which depends on concurrency and timing).
  const deps = levelDeps(ctx, src, depth, prefix, outer);
  // Settled before any entry is asked for: a streamed TAR's listing pass runs once, for both.
  deps.catch(() => undefined);
  const items = new OrderedMap(entries, async (e: SourceEntry) => processAndOpen(ctx, e, depth, await deps), {
    concurrency: ctx.concurrency,
    window: ahead ? AHEAD_WINDOW : Math.max(ctx.window, ctx.concurrency),
    signal: ctx.signal,
    dispose: (p: Processed) => discard(ctx, p.ahead),
  });
  return Object.assign(counts, { items, deps });
}

/** The walk has reached a level started ahead: what its enumeration counted is counted, and it runs in full. */
function reach(ctx: WalkContext, level: Level): void {
  const early = level.early;
  level.early = undefined;
  if (early) {
    ctx.aggregator.enumerated += early.enumerated;
    for (const e of early.entries) ctx.onEntry?.(e);
  }
  level.items.widen(Math.max(ctx.window, ctx.concurrency));
}

async function* emit(ctx: WalkContext, level: Level, depth: number): AsyncGenerator<EvidenceItem> {
  for await (const { item, entry, ahead, attributeLater } of level.items) {
    // Opened before the container item is written, so limits hit while opening are recorded on it.
    // After an interruption nothing more is written: an item written after an archive whose members
    // were cut short would make that archive look complete to --resume (resume.ts keeps only the
    // last top-level group open). Items in flight are dropped and redone on resume.
    if (ctx.signal?.aborted) {
      await discard(ctx, ahead);
      break;
    }
    const deps = await level.deps;
    const nested = await reachNested(ctx, item, entry, depth, ahead, deps);
    // Container metadata met without a pre-pass is learned in walk order, below; attributing here, in that
    // order, gives an item its app exactly when the metadata came before it. With a pre-pass processing
    // attributed it: a shard learns the other shards' metadata while it enumerates, ahead of this loop, and
    // must give the single scan's items (docs/distributed.md).
    if (attributeLater) {
      attributeAndResolveKeyHint(item, deps);
      const hint = item.encryption?.keyHint;
      if (deps.indexLimit && hint?.lookFor?.length && hint.present === 'unknown')
        pushError(item, {
          stage: 'attribute',
          code: 'ARCHIVE_INDEX_LIMIT',
          message: `Whether its key is in the archive is not decided: ${deps.indexLimit}, past what the archive's own index holds, so not finding it proves nothing.`,
          severity: 'warning',
        });
    }
    await ctx.harvest.fromItem(item, entry);
    ctx.aggregator.add(item, item.app ? undefined : ctx.harvest.containerOf(item.logicalPath ?? item.path));
    yield item;
    try {
      if (nested) yield* emit(ctx, nested.level, depth + 1);
    } finally {
      if (nested) await closeArchive(ctx, nested.source, item.path);
      // Streamed sources keep a member's bytes until here (docs/sources.md).
      entry.release?.();
    }
  }
}

/**
 * The archive an item is, as the walk reaches it: the one opened ahead when the scan's expansion budget still
 * holds what that opening took (taken now, in walk order, so which archive meets the budget's end is the
 * same however far ahead processing ran), else opened now.
 */
async function reachNested(
  ctx: WalkContext,
  item: EvidenceItem,
  entry: SourceEntry,
  depth: number,
  ahead: Ahead | undefined,
  outer: EntryProcessorDeps,
): Promise<{ source: EvidenceSource; level: Level } | undefined> {
  if (ahead) {
    ctx.ahead.archives--;
    ctx.ahead.reserved -= ahead.taken;
    if (ctx.budget.take(ahead.taken)) {
      reach(ctx, ahead.level);
      await noteIndexLimit(item, ahead.level);
      return ahead;
    }
    await closeAhead(ctx, ahead, item.path);
    restore(item, ahead.before);
  }
  const source = await openNested(ctx, item, entry, depth, ctx.budget);
  if (!source) return undefined;
  const level = startLevel(ctx, source, depth + 1, `${item.path}!/`, undefined, false, outer);
  await noteIndexLimit(item, level);
  return { source, level };
}

/** An archive whose own index is partial says so on its item: its members' plugins saw only part of its paths. */
async function noteIndexLimit(item: EvidenceItem, level: Level): Promise<void> {
  const limit = await level.deps.then(
    (d) => d.indexLimit,
    () => undefined,
  );
  if (limit)
    pushError(item, {
      stage: 'container',
      code: 'ARCHIVE_INDEX_LIMIT',
      message: `Its members' plugins and key hints see only part of its paths: ${limit} (at most ${ARCHIVE_INDEX_MAX_PATHS} are kept, a memory bound); a key or companion file among the rest is not looked at.`,
      severity: 'warning',
    });
}

/** Processes an entry and, when it is a small archive and there is room, opens it ahead of the walk. */
async function processAndOpen(
  ctx: WalkContext,
  entry: SourceEntry,
  depth: number,
  deps: EntryProcessorDeps,
): Promise<Processed> {
  const processed = await processGuarded(entry, deps, ctx.limits);
  const { item } = processed;
  const opener = openerFor(ctx, item);
  if (
    ctx.ahead.archives >= AHEAD_MAX_ARCHIVES ||
    entry.size > AHEAD_MAX_SIZE ||
    ctx.signal?.aborted ||
    !opener ||
    opener.openAhead === false ||
    depth + 1 > ctx.limits.maxArchiveDepth
  )
    return processed;
  ctx.ahead.archives++;
  const before = structuredClone(item);
  let taken = 0;
  // Its own budget: what it takes is reserved from the scan's until the walk reaches the item.
  const budget: ExpansionBudget = {
    get expanded() {
      return ctx.budget.expanded + ctx.ahead.reserved;
    },
    take(bytes) {
      const total = ctx.ahead.reserved + bytes;
      if (total > AHEAD_MAX_EXPANDED || ctx.budget.expanded + total > ctx.limits.maxExpandedBytes) return false;
      ctx.ahead.reserved = total;
      taken += bytes;
      return true;
    },
  };
  const source = await openNested(ctx, item, entry, depth, budget);
  if (!source) {
    // Whatever went wrong is found again, and recorded, when the walk reaches the item and opens it.
    ctx.ahead.archives--;
    ctx.ahead.reserved -= taken;
    restore(item, before);
    return processed;
  }
  const level = startLevel(ctx, source, depth + 1, `${item.path}!/`, undefined, true, deps);
  return { ...processed, ahead: { source, level, taken, before } };
}

/** An archive opened ahead that the walk will not use (interrupted, or opened again): its members stop. */
async function discard(ctx: WalkContext, ahead: Ahead | undefined): Promise<void> {
  if (!ahead) return;
  ctx.ahead.archives--;
  ctx.ahead.reserved -= ahead.taken;
  await closeAhead(ctx, ahead, 'an archive opened ahead');
}

async function closeAhead(ctx: WalkContext, ahead: Ahead, path: string): Promise<void> {
  await ahead.level.items.return();
  await closeArchive(ctx, ahead.source, path);
}

async function closeArchive(ctx: WalkContext, source: EvidenceSource, path: string): Promise<void> {
  await ctx.stall.guard(source.close(), `closing the archive ${path}`).catch((err: unknown) => {
    if (!(err instanceof StallError)) throw err;
  });
}

/** Puts an item back as it was (same keys, same order: the manifest is written in key order). */
function restore(item: EvidenceItem, before: EvidenceItem): void {
  for (const key of Object.keys(item)) delete (item as unknown as Record<string, unknown>)[key];
  Object.assign(item, before);
}

/**
 * The source's entries. A source whose next entry can never come (stall.ts)
 * ends with an entry saying so, and the walk goes on after it.
 */
async function* guardedEntries(ctx: WalkContext, src: EvidenceSource, depth: number): AsyncGenerator<SourceEntry> {
  const it = src.entries(ctx.signal)[Symbol.asyncIterator]();
  let open = true;
  try {
    while (open) {
      let next: IteratorResult<SourceEntry>;
      try {
        next = await ctx.stall.guard(it.next(), `Reading ${depth > 0 ? 'the archive' : 'the source'} ${src.info.path}`);
      } catch (err) {
        if (!(err instanceof StallError)) throw err;
        open = false; // its generator is stuck in a wait: asking it to return would wait too
        yield archiveProblemEntry(
          src.info.path,
          depth > 0,
          err.code,
          `${err.message}. The entries before this point were read; any after it are not listed.`,
        );
        return;
      }
      if (next.done) open = false;
      else yield next.value;
    }
  } finally {
    // Left early (an interruption, a shard's end): let the source clean up, as for-await would.
    if (open) await it.return?.();
  }
}

/**
 * The entries to process: members get their container's path prefix; top-level
 * entries pass include/exclude and the shard's range (the others are still
 * indexed, so every shard sees the same index), and those a resumed run
 * already recorded are counted instead.
 */
async function* admitted(
  ctx: WalkContext,
  entries: AsyncIterable<SourceEntry>,
  depth: number,
  prefix: string,
  range: ScanRange | undefined,
  level: Pick<Level, 'early'>,
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
    if (depth === 0 && !ctx.keep(entry.path)) {
      raw.release?.();
      continue;
    }
    if (!ctx.indexComplete) ctx.index.add(entry.path);
    if (range && depth === 0) {
      const n = ordinal++;
      // Another shard's entry: seen (so the index is the same in every shard), not counted, not processed.
      if (n < range.start || (range.end !== undefined && n >= range.end)) {
        if (!ctx.indexComplete) await ctx.harvest.fromSkipped(entry, range.end !== undefined && n >= range.end);
        raw.release?.();
        continue;
      }
    }
    if (level.early) level.early.enumerated++;
    else ctx.aggregator.enumerated++;
    if (ctx.resume && depth === 0 && (await ctx.resume.alreadyRecorded(entry))) {
      raw.release?.();
      continue;
    }
    if (ctx.skip?.(entry.path)) {
      raw.release?.();
      continue;
    }
    if (level.early) level.early.entries.push(entry);
    else ctx.onEntry?.(entry);
    yield entry;
  }
}

/** The archive an item is, opened as a source of its members (within the depth limit), or undefined. */
async function openNested(
  ctx: WalkContext,
  item: EvidenceItem,
  entry: SourceEntry,
  depth: number,
  budget: ExpansionBudget,
): Promise<EvidenceSource | undefined> {
  const { limits } = ctx;
  const opener = openerFor(ctx, item);
  if (!opener) return undefined;
  if (depth + 1 > limits.maxArchiveDepth) {
    pushError(item, {
      stage: 'container',
      code: 'ARCHIVE_DEPTH_LIMIT',
      message: `Not opened: nested deeper than the archive depth limit (${limits.maxArchiveDepth}); raise --max-depth to open it.`,
      severity: 'warning',
    });
    return undefined;
  }
  const compressed = entry.facts?.container?.['compressedSize'];
  const dense = typeof compressed === 'number' ? denseArchiveProblem(entry.size, compressed, limits) : undefined;
  if (dense) {
    pushError(item, { stage: 'container', code: 'ARCHIVE_RATIO_LIMIT', message: dense, severity: 'warning' });
    return undefined;
  }
  try {
    return await ctx.stall.guard(
      opener.open(entry, item, { limits, budget, depth: depth + 1 }),
      `Opening the archive ${item.path}`,
    );
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

/** The opener of the archive an item is, if it is one that can be opened. */
function openerFor(ctx: WalkContext, item: EvidenceItem): ContainerOpener | undefined {
  if (item.kind !== 'file' || item.classification.status === 'unreadable') return undefined;
  return ctx.containers.find((c) => item.format && c.formats.includes(item.format.id));
}

/** Processes one entry within its time budget; a failure or timeout makes it an unreadable item saying why. */
async function processGuarded(entry: SourceEntry, deps: EntryProcessorDeps, limits: ScanLimits): Promise<Processed> {
  try {
    // Hashing reads the whole file: allow for it at a slow disk's pace (HASH_MIN_BYTES_PER_MS), on top of the item budget.
    const budget =
      limits.itemTimeoutMs +
      (deps.hash.length > 0 && entry.kind === 'file' ? Math.ceil(entry.size / HASH_MIN_BYTES_PER_MS) : 0);
    const item = await withTimeout(() => processEntry(entry, deps), budget, `item ${entry.path}`);
    return { item, entry, attributeLater: deps.attributeLater ?? false };
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
    // Attributed where the walk reaches it, as a processed item would be.
    return { item, entry, attributeLater: deps.attributeLater ?? false };
  }
}
