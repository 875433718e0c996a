/**
 * The walk of a scan: entries of a source (and, depth first, of the archives
 * found in it) are admitted (include/exclude, shard, resume), processed
 * concurrently and emitted in walk order, each container's members right
 * after it. Everything the walk shares is in one `WalkContext` built by
 * scan.ts; nothing here decides what a file is (process-entry.ts does).
 */
import type { ScanLimits } from '../limits.js';
import type { EvidenceItem } from '../model/evidence-item.js';
import { archiveProblemEntry } from '../sources/archive-common.js';
import type { EvidenceSource, SourceEntry } from '../sources/source.js';
import type { AppMetadataHarvester } from './app-metadata.js';
import { attributeItem, type Attributor } from './attribute.js';
import type { ContainerOpener, ExpansionBudget } from './containers.js';
import { pushError } from './item-errors.js';
import { orderedMap } from './ordered-map.js';
import { baseItem, processEntry, type EntryProcessorDeps } from './process-entry.js';
import type { GrowingSourceIndex } from './source-index.js';
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
}

/** Items of `src` (at `depth`, paths under `prefix`) and of the archives in it, in walk order. */
export async function* walk(
  ctx: WalkContext,
  src: EvidenceSource,
  depth: number,
  prefix: string,
  range?: ScanRange,
): AsyncGenerator<EvidenceItem> {
  const entries = admitted(ctx, guardedEntries(ctx, src, depth), depth, prefix, range);
  const items = orderedMap(entries, (e) => processGuarded(e, ctx.deps, ctx.limits), {
    concurrency: ctx.concurrency,
    window: ctx.window,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  for await (const { item, entry } of items) {
    // Opened before the container item is written, so limits hit while opening are recorded on it.
    // After an interruption nothing more is written: an item written after an archive whose members
    // were cut short would make that archive look complete to --resume (resume.ts keeps only the
    // last top-level group open). Items in flight are dropped and redone on resume.
    if (ctx.signal?.aborted) break;
    const nested = await openNested(ctx, item, entry, depth);
    // Container metadata met inside an archive (no pre-pass there) is learned in walk order, below;
    // attributing a member again here, in that order, gives it its app exactly when the metadata came
    // before it — not when its processing happened to finish after the metadata item's. Top-level
    // entries keep what processing found: a shard learns the other shards' metadata while it
    // enumerates, ahead of this loop, and must give the single scan's items (docs/distributed.md).
    if (!item.app && depth > 0) attributeItem(item, ctx.attributor);
    await ctx.harvest.fromItem(item, entry);
    ctx.aggregator.add(item, item.app ? undefined : ctx.harvest.containerOf(item.logicalPath ?? item.path));
    yield item;
    try {
      if (nested) yield* walk(ctx, nested, depth + 1, `${item.path}!/`);
    } finally {
      if (nested)
        await ctx.stall.guard(nested.close(), `closing the archive ${item.path}`).catch((err: unknown) => {
          if (!(err instanceof StallError)) throw err;
        });
      // Streamed sources keep a member's bytes until here (docs/sources.md).
      entry.release?.();
    }
  }
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
  range?: ScanRange,
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
        if (!ctx.indexComplete) await ctx.harvest.fromSkipped(entry);
        raw.release?.();
        continue;
      }
    }
    ctx.aggregator.enumerated++;
    if (ctx.resume && depth === 0 && (await ctx.resume.alreadyRecorded(entry))) {
      raw.release?.();
      continue;
    }
    if (ctx.skip?.(entry.path)) {
      raw.release?.();
      continue;
    }
    ctx.onEntry?.(entry);
    yield entry;
  }
}

/** The archive an item is, opened as a source of its members (within the depth limit), or undefined. */
async function openNested(
  ctx: WalkContext,
  item: EvidenceItem,
  entry: SourceEntry,
  depth: number,
): Promise<EvidenceSource | undefined> {
  const { limits } = ctx;
  const opener = ctx.containers.find((c) => item.format && c.formats.includes(item.format.id));
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
    return await ctx.stall.guard(
      opener.open(entry, item, { limits, budget: ctx.budget, depth: depth + 1 }),
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

/** Processes one entry within its time budget; a failure or timeout makes it an unreadable item saying why. */
async function processGuarded(
  entry: SourceEntry,
  deps: EntryProcessorDeps,
  limits: ScanLimits,
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
