/**
 * App metadata harvest: the small files that say which app owns a folder
 * (iOS container metadata plists) and which apps are installed (Android
 * `packages.xml`, iOS `applicationState.db`), declared by app-rules plugins
 * (`containerMetadata`, `packageLists`). When the source can list and read
 * paths cheaply they are read in the pre-pass, before any item is
 * attributed; otherwise as they stream by, and items of a container seen
 * before its metadata are moved to the right app in the summary at the end.
 * Memory: only the paths of these files are kept, and one tally per container.
 *
 * Bounds: a file larger than its rule's `maxBytes` is not read; the readers
 * run on a supervised thread (app-metadata-thread.ts: deadline, heap cap) when
 * their plugin comes from a module; a list is kept up to `MAX_APPS_PER_LIST`
 * apps. Every overrun is a warning on the file's item, never a silent drop.
 */
import type { EvidenceItem } from '../model/evidence-item.js';
import type { AppRulesPlugin, ContainerMetadataRule, PackageListRule } from '../plugin/types.js';
import type { AppMetadataThread } from './app-metadata-thread.js';
import type { SourceEntry } from '../sources/source.js';
import type { PendingContainer } from './summary.js';
import { attributeItem, type Attributor } from './attribute.js';
import { pushError } from './item-errors.js';

/** Metadata files remembered in the pre-pass at most; past this, the rest are read as they stream by. */
export const MAX_METADATA_FILES = 100_000;
/**
 * Apps kept from one package list at most (the summary lists each): a phone has hundreds; a list of
 * millions of names is hostile and would swell the summary. Past it: `APP_LIST_TRUNCATED` on the list.
 */
export const MAX_APPS_PER_LIST = 20_000;

/** A problem met reading a metadata file, recorded as a warning on its item. */
interface Problem {
  code: string;
  message: string;
  plugin?: string;
}

const UNREADABLE = 'APP_METADATA_UNREADABLE';
/** Codes of a reader the thread's supervision stopped (app-metadata-thread.ts). */
const SUPERVISION_CODES = new Set(['PLUGIN_TIMEOUT', 'MEMORY_LIMIT', 'WORKER_CRASHED']);

export interface AppMetadataSink {
  installed(id: string, platform: 'android' | 'ios', name?: string): void;
}

interface Container {
  plugin: AppRulesPlugin;
  rule: ContainerMetadataRule;
  re: RegExp;
}

interface Lists {
  plugin: AppRulesPlugin;
  rule: PackageListRule;
  re: RegExp;
}

export interface AppMetadataHarvester {
  /** Whether any plugin declared metadata files. */
  readonly active: boolean;
  /** Pre-pass: remembers a listed path when it is a metadata file. */
  consider(path: string): void;
  /** Pre-pass: reads the remembered files through the source. */
  readNoted(read: (path: string, maxBytes: number) => Promise<Buffer | undefined>): Promise<void>;
  /** Streaming: reads the item when it is a metadata file the pre-pass did not read; records problems on it. */
  fromItem(item: EvidenceItem, entry: SourceEntry): Promise<void>;
  /**
   * Streamed sources: learns from an entry another shard processes, so every shard knows the same apps. What
   * an entry after the shard's own run (`afterRun`) teaches is learned at `learnLater`: the walk gives items
   * their apps in walk order, from what came before them, as the single scan does.
   */
  fromSkipped(entry: SourceEntry, afterRun?: boolean): Promise<void>;
  /** Learns from the entries `fromSkipped` kept for later (the walk has ended). */
  learnLater(): void;
  /** The container folder a logical path lies in, with the platform its rule declares (for items no rule attributed), or undefined. */
  containerOf(logicalPath: string): PendingContainer | undefined;
}

export function createAppMetadataHarvester(
  plugins: readonly AppRulesPlugin[],
  attributor: Attributor,
  sink: AppMetadataSink,
  thread?: AppMetadataThread,
): AppMetadataHarvester {
  const containers: Container[] = plugins.flatMap((plugin) =>
    (plugin.containerMetadata ?? []).map((rule) => ({ plugin, rule, re: new RegExp(rule.container) })),
  );
  const lists: Lists[] = plugins.flatMap((plugin) =>
    (plugin.packageLists ?? []).map((rule) => ({ plugin, rule, re: new RegExp(rule.pattern) })),
  );
  const noted: string[] = [];
  /** What entries after a shard's own run taught, learned when the walk has ended (fromSkipped). */
  const later: Array<() => void> = [];
  /** Paths read (or tried) in the pre-pass, with the problem met, if any. */
  const done = new Map<string, Problem | undefined>();

  const match = (
    path: string,
  ): { kind: 'container'; c: Container; folder: string } | { kind: 'list'; l: Lists } | undefined => {
    for (const c of containers) {
      if (c.rule.literal !== undefined && !path.includes(c.rule.literal)) continue;
      const m = c.re.exec(path);
      const folder = m?.groups?.['container'];
      if (folder !== undefined && path === `${folder}/${c.rule.file}`) return { kind: 'container', c, folder };
    }
    for (const l of lists) if (l.re.test(path)) return { kind: 'list', l };
    return undefined;
  };

  /** The app a container's metadata names, or the apps a list names (with how many it named), from the thread or in place. */
  const readRule = async (
    hit: NonNullable<ReturnType<typeof match>>,
    bytes: Buffer,
    path: string,
  ): Promise<{ appId?: string; apps?: ReadonlyArray<{ id: string; name?: string }>; total?: number }> => {
    const plugin = hit.kind === 'container' ? hit.c.plugin : hit.l.plugin;
    if (thread?.runs(plugin)) {
      const rule = hit.kind === 'container' ? hit.c.rule.id : hit.l.rule.id;
      const r = await thread.ask({
        kind: hit.kind,
        plugin: plugin.meta.id,
        rule,
        bytes,
        path,
        maxApps: MAX_APPS_PER_LIST,
      });
      if (r.type === 'error') throw new Error(r.message);
      return r.type === 'container' ? (r.appId === undefined ? {} : { appId: r.appId }) : r;
    }
    if (hit.kind === 'container') {
      const appId = hit.c.rule.resolve(bytes, path);
      return appId === undefined ? {} : { appId };
    }
    const apps = hit.l.rule.read(bytes, path);
    return { apps: apps.slice(0, MAX_APPS_PER_LIST), total: apps.length };
  };

  /** Applies one file's bytes (or, given `defer`, keeps what it teaches there); returns the problem met, if any. */
  const apply = async (
    path: string,
    bytes: Buffer | undefined,
    defer?: Array<() => void>,
  ): Promise<Problem | undefined> => {
    const learn = (f: () => void) => (defer ? defer.push(f) : f());
    const hit = match(path);
    if (!hit) return undefined;
    const maxBytes = hit.kind === 'container' ? hit.c.rule.maxBytes : hit.l.rule.maxBytes;
    if (!bytes)
      return { code: UNREADABLE, message: `not read: absent, not a regular file or larger than ${maxBytes} bytes` };
    const ruleId = hit.kind === 'container' ? hit.c.rule.id : hit.l.rule.id;
    const plugin = (hit.kind === 'container' ? hit.c.plugin : hit.l.plugin).meta.id;
    try {
      const read = await readRule(hit, bytes, path);
      if (hit.kind === 'container') {
        const appId = read.appId;
        if (!appId) return { code: UNREADABLE, message: `${ruleId}: the metadata names no app` };
        learn(() => attributor.addPrefix(hit.folder, appId, hit.c.rule.platform, hit.c.rule.id));
        return undefined;
      }
      for (const app of read.apps ?? []) {
        const name = app.name ?? attributor.catalogueEntry(app.id)?.name;
        learn(() => sink.installed(app.id, hit.l.rule.platform, name));
      }
      if ((read.total ?? 0) > MAX_APPS_PER_LIST)
        return {
          code: 'APP_LIST_TRUNCATED',
          message: `${ruleId}: ${read.total} apps read from the list (its reader may stop early); only the first ${MAX_APPS_PER_LIST} are kept`,
          plugin,
        };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      return typeof code === 'string' && SUPERVISION_CODES.has(code)
        ? { code, message: `${ruleId}: ${(err as Error).message}`, plugin }
        : { code: UNREADABLE, message: `${ruleId}: ${(err as Error).message}` };
    }
    return undefined;
  };

  const record = (item: EvidenceItem, problem: Problem): void =>
    pushError(item, {
      stage: 'attribute',
      code: problem.code,
      message: problem.message,
      severity: 'warning',
      ...(problem.plugin ? { plugin: problem.plugin } : {}),
    });

  return {
    active: containers.length > 0 || lists.length > 0,
    consider(path) {
      if (noted.length < MAX_METADATA_FILES && match(path)) noted.push(path);
    },
    async readNoted(read) {
      for (const path of noted) {
        const hit = match(path)!;
        const maxBytes = hit.kind === 'container' ? hit.c.rule.maxBytes : hit.l.rule.maxBytes;
        let bytes: Buffer | undefined;
        let problem: Problem | undefined;
        try {
          bytes = await read(path, maxBytes);
        } catch (err) {
          problem = { code: UNREADABLE, message: `not read: ${(err as Error).message}` };
        }
        done.set(path, problem ?? (await apply(path, bytes)));
      }
      noted.length = 0;
    },
    async fromItem(item, entry) {
      const path = item.logicalPath ?? item.path;
      if (done.has(path)) {
        const problem = done.get(path);
        if (problem) record(item, problem);
        return;
      }
      if (item.kind !== 'file') return;
      const hit = match(path);
      if (!hit || !entry.open) return;
      const maxBytes = hit.kind === 'container' ? hit.c.rule.maxBytes : hit.l.rule.maxBytes;
      let bytes: Buffer | undefined;
      let problem: Problem | undefined;
      if (item.size <= maxBytes) {
        try {
          const reader = await entry.open();
          try {
            bytes = await reader.read(0, item.size);
          } finally {
            await reader.close();
          }
        } catch (err) {
          problem = { code: UNREADABLE, message: `not read: ${(err as Error).message}` };
        }
      }
      problem ??= await apply(path, bytes);
      // The metadata file itself sits in the container it names.
      if (!problem && hit.kind === 'container' && !item.app) attributeItem(item, attributor);
      if (problem) record(item, problem);
    },
    async fromSkipped(entry, afterRun = false) {
      const path = entry.logicalPath ?? entry.path;
      const hit = entry.kind === 'file' && !done.has(path) ? match(path) : undefined;
      if (!hit || !entry.open) return;
      const maxBytes = hit.kind === 'container' ? hit.c.rule.maxBytes : hit.l.rule.maxBytes;
      if (entry.size > maxBytes) return;
      try {
        const reader = await entry.open();
        try {
          await apply(path, await reader.read(0, entry.size), afterRun ? later : undefined);
        } finally {
          await reader.close();
        }
      } catch {
        // The shard that owns the entry records why it could not be read.
      }
    },
    learnLater() {
      for (const learn of later.splice(0)) learn();
    },
    containerOf(logicalPath) {
      for (const c of containers) {
        if (c.rule.literal !== undefined && !logicalPath.includes(c.rule.literal)) continue;
        const folder = c.re.exec(logicalPath)?.groups?.['container'];
        if (folder !== undefined) return { folder, platform: c.rule.platform };
      }
      return undefined;
    },
  };
}
