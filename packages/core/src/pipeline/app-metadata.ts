/**
 * App metadata harvest: the small files that say which app owns a folder
 * (iOS container metadata plists) and which apps are installed (Android
 * `packages.xml`, iOS `applicationState.db`), declared by app-rules plugins
 * (`containerMetadata`, `packageLists`). When the source can list and read
 * paths cheaply they are read in the pre-pass, before any item is
 * attributed; otherwise as they stream by, and items of a container seen
 * before its metadata are moved to the right app in the summary at the end.
 * Memory: only the paths of these files are kept, and one tally per container.
 */
import type { EvidenceItem } from '../model/evidence-item.js';
import type { ContainerMetadataRule, PackageListRule } from '../plugin/types.js';
import type { AppRulesPlugin } from '../plugin/types.js';
import type { SourceEntry } from '../sources/source.js';
import type { PendingContainer } from './summary.js';
import { attributeItem, type Attributor } from './attribute.js';
import { pushError } from './item-errors.js';

/** Metadata files remembered in the pre-pass at most; past this, the rest are read as they stream by. */
export const MAX_METADATA_FILES = 100_000;

export interface AppMetadataSink {
  installed(id: string, platform: 'android' | 'ios', name?: string): void;
}

interface Container {
  rule: ContainerMetadataRule;
  re: RegExp;
}

interface Lists {
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
): AppMetadataHarvester {
  const containers: Container[] = plugins.flatMap((p) =>
    (p.containerMetadata ?? []).map((rule) => ({ rule, re: new RegExp(rule.container) })),
  );
  const lists: Lists[] = plugins.flatMap((p) =>
    (p.packageLists ?? []).map((rule) => ({ rule, re: new RegExp(rule.pattern) })),
  );
  const noted: string[] = [];
  /** What entries after a shard's own run taught, learned when the walk has ended (fromSkipped). */
  const later: Array<() => void> = [];
  /** Paths read (or tried) in the pre-pass, with the problem met, if any. */
  const done = new Map<string, string | undefined>();

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

  /** Applies one file's bytes (or, given `defer`, keeps what it teaches there); returns a problem sentence or undefined. */
  const apply = (path: string, bytes: Buffer | undefined, defer?: Array<() => void>): string | undefined => {
    const learn = (f: () => void) => (defer ? defer.push(f) : f());
    const hit = match(path);
    if (!hit) return undefined;
    const maxBytes = hit.kind === 'container' ? hit.c.rule.maxBytes : hit.l.rule.maxBytes;
    if (!bytes) return `not read: absent, not a regular file or larger than ${maxBytes} bytes`;
    try {
      if (hit.kind === 'container') {
        const appId = hit.c.rule.resolve(bytes, path);
        if (!appId) return `${hit.c.rule.id}: the metadata names no app`;
        learn(() => attributor.addPrefix(hit.folder, appId, hit.c.rule.platform, hit.c.rule.id));
      } else {
        for (const app of hit.l.rule.read(bytes, path)) {
          const name = app.name ?? attributor.catalogueEntry(app.id)?.name;
          learn(() => sink.installed(app.id, hit.l.rule.platform, name));
        }
      }
    } catch (err) {
      return `${hit.kind === 'container' ? hit.c.rule.id : hit.l.rule.id}: ${(err as Error).message}`;
    }
    return undefined;
  };

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
        let problem: string | undefined;
        try {
          bytes = await read(path, maxBytes);
        } catch (err) {
          problem = `not read: ${(err as Error).message}`;
        }
        done.set(path, problem ?? apply(path, bytes));
      }
      noted.length = 0;
    },
    async fromItem(item, entry) {
      const path = item.logicalPath ?? item.path;
      if (done.has(path)) {
        const problem = done.get(path);
        if (problem)
          pushError(item, {
            stage: 'attribute',
            code: 'APP_METADATA_UNREADABLE',
            message: problem,
            severity: 'warning',
          });
        return;
      }
      if (item.kind !== 'file') return;
      const hit = match(path);
      if (!hit || !entry.open) return;
      const maxBytes = hit.kind === 'container' ? hit.c.rule.maxBytes : hit.l.rule.maxBytes;
      let bytes: Buffer | undefined;
      let problem: string | undefined;
      if (item.size <= maxBytes) {
        try {
          const reader = await entry.open();
          try {
            bytes = await reader.read(0, item.size);
          } finally {
            await reader.close();
          }
        } catch (err) {
          problem = `not read: ${(err as Error).message}`;
        }
      }
      problem ??= apply(path, bytes);
      // The metadata file itself sits in the container it names.
      if (!problem && hit.kind === 'container' && !item.app) attributeItem(item, attributor);
      if (problem)
        pushError(item, { stage: 'attribute', code: 'APP_METADATA_UNREADABLE', message: problem, severity: 'warning' });
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
          apply(path, await reader.read(0, entry.size), afterRun ? later : undefined);
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
