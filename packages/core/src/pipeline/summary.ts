/**
 * The summary aggregator: counts as the items pass, so nothing per item is
 * kept. Only bounded lists (examples) and per-format/per-app/per-scheme
 * tallies, whose size grows with the variety of the dump, not its size.
 */
import type { AppSummary, EncryptedGroup, ManifestSummary, OmittedRows } from '../model/manifest.js';
import type { EvidenceItem } from '../model/evidence-item.js';
import type { Status } from '../model/classification.js';
import type { KeyHint } from '../model/encryption.js';
import type { KnownTally } from '../known/known-tally.js';
import { fitAppEncrypted, fitTables } from './summary-budget.js';
import { DistinctCount } from './distinct-count.js';

const EXAMPLES = 20;

/**
 * Rows each table (formats, encrypted groups, apps, errors) keeps while the items pass. More than its 4 MiB of
 * JSON lists of short rows, so the record is what it was below this; past it a value not kept yet is counted,
 * not kept (`Unkept`): 300,000 distinct formats, apps, codes and schemes had taken 932 MB.
 */
export const MAX_KEPT_ROWS = 50_000;
/** Apps' encrypted rows kept, all apps together (one app's rows are listed within 64 KiB of JSON). */
export const MAX_KEPT_APP_ENCRYPTED_ROWS = 100_000;

/** Items of values first seen once their table was full: counted exactly, their distinct values by a sketch. */
class Unkept {
  items = 0;
  private mergedRows = 0;
  private readonly values: DistinctCount;
  constructor(exactLimit?: number, bits?: number) {
    this.values = new DistinctCount(exactLimit, bits);
  }
  add(key: string): void {
    this.items++;
    this.values.add(key);
  }
  /** Another tally's items and rows (an app's pending rows joining it): their rows may overlap, so an estimate. */
  merge(other: Unkept): void {
    this.items += other.items;
    this.mergedRows += other.values.count;
  }
  /** As an `omitted` tally (`estimated` when the sketch gave the row count; never more rows than items). */
  get omitted(): OmittedRows | undefined {
    if (this.items <= 0) return undefined;
    const rows = Math.min(this.values.count + this.mergedRows, this.items);
    return this.values.estimated || this.mergedRows > 0
      ? { rows, items: this.items, estimated: true }
      : { rows, items: this.items };
  }
}

/** What the per-app table needs of an item's app. */
export interface AppRef {
  id: string;
  platform: AppSummary['platform'];
  name?: string | undefined;
  category?: AppSummary['category'] | undefined;
}

function emptyApp(app: AppRef): AppSummary {
  const a: AppSummary = {
    id: app.id,
    platform: app.platform,
    files: 0,
    bytes: 0,
    byStatus: { analysable: 0, encrypted: 0, opaque: 0, unreadable: 0 },
    artifacts: [],
    encrypted: [],
    unparsed: true,
  };
  if (app.name) a.name = app.name;
  if (app.category) a.category = app.category;
  return a;
}
const STATUSES: Status[] = ['analysable', 'encrypted', 'opaque', 'unreadable'];

/** A container folder whose owner is not known yet, with the platform its metadata rule declares. */
export interface PendingContainer {
  folder: string;
  platform: AppSummary['platform'];
}

/** Items of one scheme are grouped by what unlocks them too: one row per (scheme, key kind, key description). */
function hintKey(hint: KeyHint | undefined): string {
  return hint ? `${hint.kind}\u0000${hint.description}` : '';
}

/** An app's encrypted row: scheme, whether the encryption is partial, and what unlocks it. */
function rowKey(scheme: string, partial: boolean, hint: KeyHint | undefined): string {
  return `${scheme}\u0000${partial ? 'partial' : ''}\u0000${hintKey(hint)}`;
}

type EncryptedRow = AppSummary['encrypted'][number];
type ArtifactRow = AppSummary['artifacts'][number];

/** Rows of one scheme and count: by key description, rows without a hint last. */
function hintOrder(a: KeyHint | undefined, b: KeyHint | undefined): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  return a.description < b.description ? -1 : a.description > b.description ? 1 : 0;
}

/** An encrypted item just counted, until the next item shows whether it is an archive whose members follow. */
interface LastEncrypted {
  path: string;
  size: number;
  /** Undefined when the item was counted in the unkept tally (its table was full). */
  group: EncryptedGroup | undefined;
  groupKey: string;
  app?: { entry: AppSummary; row: AppSummary['encrypted'][number] | undefined };
}

/** What the aggregator keeps at most (tests lower them). */
export interface SummaryBounds {
  /** Rows of each table. */
  rows: number;
  /** Apps' encrypted rows, all apps together. */
  appEncryptedRows: number;
  /** Values not kept that are counted exactly before a sketch takes over. */
  exactDistinct: number;
}

export class SummaryAggregator {
  constructor(
    private readonly bounds: SummaryBounds = {
      rows: MAX_KEPT_ROWS,
      appEncryptedRows: MAX_KEPT_APP_ENCRYPTED_ROWS,
      exactDistinct: 100_000,
    },
  ) {
    const exact = bounds.exactDistinct;
    this.unkept = {
      formats: new Unkept(exact),
      encrypted: new Unkept(exact),
      apps: new Unkept(exact),
      errors: new Unkept(exact),
    };
  }

  enumerated = 0;
  private items = 0;
  private itemsWithErrors = 0;
  private bytes = 0;
  private byStatus = Object.fromEntries(STATUSES.map((s) => [s, { count: 0, bytes: 0 }])) as Record<
    Status,
    { count: number; bytes: number }
  >;
  private formats = new Map<string, { id: string; name: string; count: number; bytes: number }>();
  private encrypted = new Map<string, EncryptedGroup>();
  private lastEncrypted: LastEncrypted | undefined;
  private apps = new Map<string, AppSummary>();
  private errors = new Map<
    string,
    { stage: ManifestSummary['errors'][number]['stage']; code: string; count: number; examples: string[] }
  >();
  /** Per container folder: items seen before the container's app was known (bounded by the number of containers). */
  private pending = new Map<string, AppSummary>();
  /** Apps known to be installed (from package lists), even with no data seen. */
  private installed = new Map<string, { platform: AppSummary['platform']; name?: string }>();
  /**
   * Each app's rows by key, so an item finds its row at once: a search of the
   * rows made the summary quadratic in the distinct key descriptions of one
   * app (a DPAPI master key, an OpenPGP key id: 40,000 items, 161 s).
   */
  private appRows = new WeakMap<
    AppSummary,
    { encrypted: Map<string, EncryptedRow>; artifacts: Map<string, ArtifactRow> }
  >();
  /** Known-file set tallies (set by the scan when `known` sets are given). */
  known?: KnownTally;
  /** Items whose value was first seen once its table held its rows (`bounds.rows`). */
  private readonly unkept: Record<'formats' | 'encrypted' | 'apps' | 'errors', Unkept>;
  /** Per app, its encrypted items not kept in rows (`bounds.appEncryptedRows` reached); a small sketch each. */
  private unkeptAppRows = new Map<AppSummary, Unkept>();
  private keptAppEncryptedRows = 0;

  /**
   * Counts an item. `pendingContainer` names the container folder of an item
   * no rule attributed yet (a container whose metadata file, declared by an
   * app-rules plugin, has not been read); `resolvePending` moves those
   * tallies to the app at the end.
   */
  add(item: EvidenceItem, pendingContainer?: PendingContainer): void {
    this.items++;
    this.bytes += item.size;
    const s = this.byStatus[item.classification.status];
    s.count++;
    s.bytes += item.size;
    if (item.errors.length > 0) this.itemsWithErrors++;
    for (const e of item.errors) {
      const key = `${e.stage}:${e.code}`;
      let g = this.errors.get(key);
      if (!g) {
        if (this.errors.size >= this.bounds.rows) {
          this.unkept.errors.add(key);
          continue;
        }
        this.errors.set(key, (g = { stage: e.stage, code: e.code, count: 0, examples: [] }));
      }
      g.count++;
      if (g.examples.length < EXAMPLES) g.examples.push(item.path);
    }
    this.retractLockedArchive(item);
    // Known-good items, when collapsed, stop here: counted above, not listed by format, app or encryption.
    if (this.known?.add(item)) return;
    const fid = item.format?.id ?? (item.kind === 'file' ? 'unknown' : item.kind);
    const f = this.formats.get(fid);
    if (f) {
      f.count++;
      f.bytes += item.size;
    } else if (this.formats.size >= this.bounds.rows) this.unkept.formats.add(fid);
    else this.formats.set(fid, { id: fid, name: item.format?.name ?? fid, count: 1, bytes: item.size });
    let last: LastEncrypted | undefined;
    if (item.classification.status === 'encrypted') {
      const scheme = item.encryption?.scheme ?? item.format?.id ?? 'unknown';
      const hint = item.encryption?.keyHint;
      const groupKey = `${scheme}\u0000${hintKey(hint)}`;
      let g = this.encrypted.get(groupKey);
      if (!g && this.encrypted.size < this.bounds.rows) {
        g = { scheme, count: 0, bytes: 0, examples: [] };
        if (hint) g.keyHint = hint;
        this.encrypted.set(groupKey, g);
      }
      if (g) {
        g.count++;
        g.bytes += item.size;
        if (g.examples.length < EXAMPLES) g.examples.push(item.path);
        if (hint?.present === 'yes') g.keyHint = hint;
      } else this.unkept.encrypted.add(groupKey);
      last = { path: item.path, size: item.size, group: g, groupKey };
    }
    let app: AppSummary | undefined;
    if (item.app) {
      app = this.appEntry(item.app);
      if (!app) this.unkept.apps.add(`${item.app.platform}:${item.app.id}`);
    } else if (pendingContainer !== undefined) {
      app = this.pending.get(pendingContainer.folder);
      if (!app)
        this.pending.set(
          pendingContainer.folder,
          (app = emptyApp({ id: pendingContainer.folder, platform: pendingContainer.platform })),
        );
    }
    const row = app ? this.tally(app, item) : undefined;
    if (last && app) last.app = { entry: app, row };
    this.lastEncrypted = last;
  }

  /**
   * Members follow their archive. When an encrypted archive's first member
   * is itself encrypted, the locked content is counted through its members,
   * so the archive leaves the by-scheme tables (it stays in the status
   * counts): a ZIP with 12 ZipCrypto members is 12 ZipCrypto items, not 13.
   */
  private retractLockedArchive(item: EvidenceItem): void {
    const last = this.lastEncrypted;
    if (!last || !item.path.startsWith(`${last.path}!/`)) return;
    this.lastEncrypted = undefined;
    if (item.classification.status !== 'encrypted') return;
    const g = last.group;
    if (g) {
      g.count--;
      g.bytes -= last.size;
      const at = g.examples.indexOf(last.path);
      if (at >= 0) g.examples.splice(at, 1);
      if (g.count === 0) this.encrypted.delete(last.groupKey);
    } else this.unkept.encrypted.items--; // its value stays in the sketch: the unkept rows may count 1 too many
    // A row left at 0 stays indexed (a later item may count in it again) and is dropped in finish.
    if (last.app?.row) last.app.row.count--;
    else if (last.app) this.unkeptAppRows.get(last.app.entry)!.items--;
  }

  /**
   * Moves the tallies of items seen before their container was known to the
   * apps the containers belong to. Containers whose owner stays unknown (no
   * metadata in the extraction) are listed under `unknown(container)`, so
   * their data still shows as present and unparsed.
   */
  resolvePending(
    resolve: (container: string) => AppRef | undefined,
    unknown?: (container: string, platform: AppSummary['platform']) => AppRef,
  ): void {
    for (const [container, p] of this.pending) {
      const app = resolve(container) ?? unknown?.(container, p.platform);
      if (!app) continue;
      this.pending.delete(container);
      const a = this.appEntry(app);
      if (!a) {
        // The apps table is full: the container's files are counted, its rows not kept.
        for (let i = 0; i < p.files; i++) this.unkept.apps.add(`${app.platform}:${app.id}`);
        continue;
      }
      const rows = this.rowsOf(a);
      a.files += p.files;
      a.bytes += p.bytes;
      for (const [k, v] of Object.entries(p.byStatus)) a.byStatus[k as Status] = (a.byStatus[k as Status] ?? 0) + v;
      for (const art of p.artifacts) {
        const have = rows.artifacts.get(art.id);
        if (!have) {
          a.artifacts.push(art);
          rows.artifacts.set(art.id, art);
        } else {
          have.count += art.count;
          for (const [k, v] of Object.entries(art.counts)) have.counts[k] = (have.counts[k] ?? 0) + v;
        }
      }
      for (const e of p.encrypted) {
        const key = rowKey(e.scheme, e.scope === 'partial', e.keyHint);
        const have = rows.encrypted.get(key);
        if (!have) {
          a.encrypted.push(e);
          rows.encrypted.set(key, e);
        } else have.count += e.count;
      }
      if (p.artifacts.length > 0) a.unparsed = false;
      const unkept = this.unkeptAppRows.get(p);
      if (unkept) {
        const have = this.unkeptAppRows.get(a);
        if (have) have.merge(unkept);
        else this.unkeptAppRows.set(a, unkept);
        this.unkeptAppRows.delete(p);
      }
    }
  }

  /** The app's row; undefined (the item counted in the unkept tally) once the table holds `bounds.rows` apps. */
  private appEntry(app: AppRef): AppSummary | undefined {
    const key = `${app.platform}:${app.id}`;
    let a = this.apps.get(key);
    if (!a) {
      if (this.apps.size >= this.bounds.rows) return undefined;
      this.apps.set(key, (a = emptyApp(app)));
    }
    return a;
  }

  private rowsOf(a: AppSummary): { encrypted: Map<string, EncryptedRow>; artifacts: Map<string, ArtifactRow> } {
    let rows = this.appRows.get(a);
    if (!rows) {
      rows = {
        encrypted: new Map(a.encrypted.map((e) => [rowKey(e.scheme, e.scope === 'partial', e.keyHint), e])),
        artifacts: new Map(a.artifacts.map((x) => [x.id, x])),
      };
      this.appRows.set(a, rows);
    }
    return rows;
  }

  /** Counts an item in its app's tallies; returns the app's encrypted row it was counted in, if any. */
  private tally(a: AppSummary, item: EvidenceItem): AppSummary['encrypted'][number] | undefined {
    a.files++;
    a.bytes += item.size;
    a.byStatus[item.classification.status] = (a.byStatus[item.classification.status] ?? 0) + 1;
    const rows = this.rowsOf(a);
    if (item.artifact) {
      a.unparsed = false;
      let art = rows.artifacts.get(item.artifact.id);
      if (!art) {
        a.artifacts.push((art = { id: item.artifact.id, count: 0, counts: {} }));
        rows.artifacts.set(art.id, art);
      }
      art.count++;
      for (const [k, v] of Object.entries(item.artifact.counts)) art.counts[k] = (art.counts[k] ?? 0) + v;
    }
    const partial = item.classification.status !== 'encrypted' && item.encryption?.scope === 'partial';
    if (item.classification.status === 'encrypted' || partial) {
      const scheme = item.encryption?.scheme ?? item.format?.id ?? 'unknown';
      const hint = item.encryption?.keyHint;
      const key = rowKey(scheme, partial, hint);
      let e = rows.encrypted.get(key);
      if (!e && this.keptAppEncryptedRows >= this.bounds.appEncryptedRows) {
        let unkept = this.unkeptAppRows.get(a);
        if (!unkept) this.unkeptAppRows.set(a, (unkept = new Unkept(256, 10)));
        unkept.add(key);
        return undefined;
      }
      if (!e) {
        this.keptAppEncryptedRows++;
        e = { scheme, count: 0 };
        if (partial) e.scope = 'partial';
        if (hint) e.keyHint = hint;
        a.encrypted.push(e);
        rows.encrypted.set(key, e);
      }
      e.count++;
      if (hint?.present === 'yes') e.keyHint = hint;
      return e;
    }
    return undefined;
  }

  /** Records an installed app (from a device package list). */
  noteInstalled(id: string, platform: AppSummary['platform'], name?: string): void {
    this.installed.set(`${platform}:${id}`, name ? { platform, name } : { platform });
  }

  /** Replaces key hints once the post-pass knows whether keys are present. */
  resolveKeyHints(resolve: (hint: KeyHint) => KeyHint): void {
    for (const g of this.encrypted.values()) if (g.keyHint) g.keyHint = resolve(g.keyHint);
    for (const a of this.apps.values()) for (const e of a.encrypted) if (e.keyHint) e.keyHint = resolve(e.keyHint);
    // The rows' keys may have changed with their hints: indexed again when next needed.
    this.appRows = new WeakMap();
  }

  finish(extra: { complete: boolean; interruption?: string }): ManifestSummary {
    for (const a of this.apps.values()) {
      if (a.encrypted.some((e) => e.count === 0)) a.encrypted = a.encrypted.filter((e) => e.count > 0);
      delete a.encryptedOmitted;
      const unkept = this.unkeptAppRows.get(a)?.omitted;
      if (unkept) a.encryptedOmitted = unkept;
      fitAppEncrypted(a);
    }
    this.appRows = new WeakMap();
    const apps = [...this.apps.values()];
    for (const [key, info] of this.installed) {
      const a = this.apps.get(key);
      if (a) a.installed = true;
      else {
        const id = key.slice(key.indexOf(':') + 1);
        apps.push({
          id,
          platform: info.platform,
          ...(info.name ? { name: info.name } : {}),
          files: 0,
          bytes: 0,
          byStatus: { analysable: 0, encrypted: 0, opaque: 0, unreadable: 0 },
          artifacts: [],
          encrypted: [],
          unparsed: false,
          installed: true,
        });
      }
    }
    const summary: ManifestSummary = {
      type: 'summary',
      finishedAt: new Date().toISOString(),
      complete: extra.complete,
      counts: {
        enumerated: this.enumerated,
        items: this.items,
        itemsWithErrors: this.itemsWithErrors,
        bytes: this.bytes,
      },
      byStatus: this.byStatus,
      formats: [...this.formats.values()].sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1)),
      encrypted: [...this.encrypted.values()].sort(
        (a, b) =>
          b.count - a.count || (a.scheme < b.scheme ? -1 : a.scheme > b.scheme ? 1 : hintOrder(a.keyHint, b.keyHint)),
      ),
      apps: apps.sort((a, b) => b.bytes - a.bytes || (a.id < b.id ? -1 : 1)),
      errors: [...this.errors.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1)),
    };
    if (extra.interruption) summary.interruption = extra.interruption;
    if (this.known) summary.known = this.known.finish();
    const omitted: NonNullable<ManifestSummary['omitted']> = {};
    for (const table of ['formats', 'encrypted', 'apps', 'errors'] as const) {
      const o = this.unkept[table].omitted;
      if (o) omitted[table] = o;
    }
    if (Object.keys(omitted).length > 0) summary.omitted = omitted;
    fitTables(summary);
    return summary;
  }
}
