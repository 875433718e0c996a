/**
 * Merging shard manifests (`evtriage merge`, docs/distributed.md): the parts of
 * one source scanned with `--shard K/N` become the manifest a single scan
 * would have written. Parts are contiguous runs of the walk, so their items,
 * in shard order, are already in the single scan's order; the summaries are
 * added up the way the aggregator would have counted the same items.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { EvidenceItem } from '../model/evidence-item.js';
import {
  ManifestHeader,
  ManifestSummary,
  type AppSummary,
  type EncryptedGroup,
  type OmittedRows,
} from '../model/manifest.js';
import { addOmitted, fitAppEncrypted, fitTables } from '../pipeline/summary-budget.js';
import type { ManifestWriter } from './writer.js';

/** The bounded example lists of a summary hold this many paths (as the aggregator's). */
const EXAMPLES = 20;

export class MergeError extends Error {
  constructor(
    readonly code: 'MERGE_NOT_A_PART' | 'MERGE_MISMATCH' | 'MERGE_MISSING_PART' | 'MERGE_INCOMPLETE_PART',
    message: string,
  ) {
    super(message);
    this.name = 'MergeError';
  }
}

interface Part {
  file: string;
  header: ManifestHeader;
  shard: { index: number; count: number };
}

/** Reads the header line of a shard manifest (NDJSON: the only encoding a shard writes). */
async function readPartHeader(file: string): Promise<Part> {
  const first = await firstLine(file);
  // Checked with the schema, kept as written: zod's output would reorder keys and the merge must be byte-identical.
  let header: ManifestHeader;
  try {
    const raw = JSON.parse(first) as unknown;
    ManifestHeader.parse(raw);
    header = raw as ManifestHeader;
  } catch {
    throw new MergeError(
      'MERGE_NOT_A_PART',
      `${file} does not start with an NDJSON manifest header; shards are written with --shard K/N -f ndjson.`,
    );
  }
  const shard = header.options['shard'] as { index?: unknown; count?: unknown } | undefined;
  if (!shard || !Number.isInteger(shard.index) || !Number.isInteger(shard.count)) {
    throw new MergeError(
      'MERGE_NOT_A_PART',
      `${file} is a whole manifest, not a shard (its header has no options.shard); only parts written with --shard K/N can be merged.`,
    );
  }
  return { file, header, shard: { index: shard.index as number, count: shard.count as number } };
}

async function firstLine(file: string): Promise<string> {
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  try {
    for await (const line of rl) return line;
  } finally {
    rl.close();
  }
  return '';
}

/** The header's fields that must agree between parts of one scan (everything but times and the shard itself). */
function comparable(h: ManifestHeader): string {
  const { startedAt: _t, options, ...rest } = h;
  const { shard: _s, ...opts } = options;
  return JSON.stringify({ ...rest, options: opts });
}

/**
 * Orders and checks the parts: one per shard index, all of the same scan.
 * A second copy of a shard (a retried job that also finished) is dropped.
 */
export async function planMerge(files: readonly string[]): Promise<{ parts: Part[]; dropped: string[] }> {
  if (files.length === 0) throw new MergeError('MERGE_MISSING_PART', 'no shard manifests given.');
  const parts = await Promise.all(files.map(readPartHeader));
  const count = parts[0]!.shard.count;
  const key = comparable(parts[0]!.header);
  const byIndex = new Map<number, Part>();
  const dropped: string[] = [];
  for (const p of parts) {
    if (p.shard.count !== count)
      throw new MergeError(
        'MERGE_MISMATCH',
        `${p.file} is shard ${p.shard.index + 1}/${p.shard.count}, but ${parts[0]!.file} is one of ${count}; merge the parts of one scan.`,
      );
    if (comparable(p.header) !== key)
      throw new MergeError(
        'MERGE_MISMATCH',
        `${p.file} comes from another scan than ${parts[0]!.file} (source, tool, plugins or options differ).`,
      );
    if (byIndex.has(p.shard.index)) dropped.push(p.file);
    else byIndex.set(p.shard.index, p);
  }
  const missing = [...Array(count).keys()].filter((i) => !byIndex.has(i)).map((i) => `${i + 1}/${count}`);
  if (missing.length > 0)
    throw new MergeError(
      'MERGE_MISSING_PART',
      `missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; give every part of the scan.`,
    );
  return { parts: [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index), dropped };
}

/**
 * Writes the merged manifest through `writer`: the first part's header without
 * the shard (started when the first part started), every part's items in shard
 * order, and the summaries added up. Returns the number of items written.
 */
export async function mergeShardManifests(
  files: readonly string[],
  writer: ManifestWriter,
): Promise<{ items: number; itemsFailed: number; summary: ManifestSummary; dropped: string[] }> {
  const { parts, dropped } = await planMerge(files);
  const first = parts[0]!.header;
  const { shard: _s, ...options } = first.options;
  const startedAt = parts.map((p) => p.header.startedAt).sort()[0]!;
  await writer.onScanStart?.({ ...first, options, startedAt });
  const summaries: ManifestSummary[] = [];
  let items = 0;
  // Items with an error of severity "error": what makes a scan exit 1.
  let itemsFailed = 0;
  for (const part of parts) {
    const rl = readline.createInterface({ input: fs.createReadStream(part.file), crlfDelay: Infinity });
    let summary: ManifestSummary | undefined;
    let n = 0;
    for await (const line of rl) {
      if (n++ === 0 || line.trim() === '') continue;
      const rec = JSON.parse(line) as { type?: string } & Record<string, unknown>;
      if (rec.type === 'item') {
        const { type: _type, ...item } = rec;
        await writer.onItem(item as unknown as EvidenceItem);
        items++;
        if ((item as unknown as EvidenceItem).errors.some((e) => e.severity === 'error')) itemsFailed++;
      } else if (rec.type === 'summary') {
        ManifestSummary.parse(rec);
        summary = rec as unknown as ManifestSummary;
      }
    }
    if (!summary?.complete) {
      throw new MergeError(
        'MERGE_INCOMPLETE_PART',
        `${part.file} (shard ${part.shard.index + 1}/${part.shard.count}) is ${summary ? 'marked incomplete' : 'cut short (no summary line)'}; scan that shard again.`,
      );
    }
    summaries.push(summary);
  }
  const summary = mergeSummaries(summaries);
  await writer.onScanEnd?.(summary);
  return { items, itemsFailed, summary, dropped };
}

/** Adds up the summaries of consecutive parts of one walk, in walk order. */
export function mergeSummaries(parts: readonly ManifestSummary[]): ManifestSummary {
  const out: ManifestSummary = {
    type: 'summary',
    finishedAt:
      parts
        .map((p) => p.finishedAt)
        .sort()
        .at(-1) ?? new Date().toISOString(),
    complete: parts.every((p) => p.complete),
    counts: { enumerated: 0, items: 0, itemsWithErrors: 0, bytes: 0 },
    byStatus: {
      analysable: { count: 0, bytes: 0 },
      encrypted: { count: 0, bytes: 0 },
      opaque: { count: 0, bytes: 0 },
      unreadable: { count: 0, bytes: 0 },
    },
    formats: [],
    encrypted: [],
    apps: [],
    errors: [],
  };
  const interruption = parts.find((p) => p.interruption)?.interruption;
  if (interruption) out.interruption = interruption;
  const formats = new Map<string, ManifestSummary['formats'][number]>();
  const encrypted = new Map<string, EncryptedGroup>();
  const apps = new Map<string, AppSummary>();
  const errors = new Map<string, ManifestSummary['errors'][number]>();
  for (const p of parts) {
    for (const k of ['enumerated', 'items', 'itemsWithErrors', 'bytes'] as const) out.counts[k] += p.counts[k];
    for (const [status, cb] of Object.entries(p.byStatus)) {
      const s = out.byStatus[status as keyof typeof out.byStatus];
      s.count += cb.count;
      s.bytes += cb.bytes;
    }
    for (const f of p.formats) {
      const have = formats.get(f.id);
      if (!have) formats.set(f.id, { ...f });
      else {
        have.count += f.count;
        have.bytes += f.bytes;
      }
    }
    for (const g of p.encrypted) addEncryptedGroup(encrypted, g);
    for (const a of p.apps) addApp(apps, a);
    for (const e of p.errors) {
      const key = `${e.stage}:${e.code}`;
      const have = errors.get(key);
      if (!have) errors.set(key, { ...e, examples: [...e.examples] });
      else {
        have.count += e.count;
        have.examples = [...have.examples, ...e.examples].slice(0, EXAMPLES);
      }
    }
    if (p.known) out.known = out.known ? addKnown(out.known, p.known) : structuredClone(p.known);
    for (const [table, o] of Object.entries(p.omitted ?? {}) as Array<
      [keyof NonNullable<ManifestSummary['omitted']>, OmittedRows]
    >) {
      const have = (out.omitted ??= {})[table];
      out.omitted[table] = addOmitted(have, { ...o })!;
    }
  }
  // The same orders as the aggregator's finish().
  out.formats = [...formats.values()].sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
  out.encrypted = [...encrypted.values()].sort((a, b) => b.count - a.count || (a.scheme < b.scheme ? -1 : 1));
  out.apps = [...apps.values()].sort((a, b) => b.bytes - a.bytes || (a.id < b.id ? -1 : 1));
  out.errors = [...errors.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
  // Parts' rows added up may pass the budgets a part kept to (rows cut in a part stay counted as omitted).
  for (const a of out.apps) fitAppEncrypted(a);
  fitTables(out);
  return out;
}

function addEncryptedGroup(groups: Map<string, EncryptedGroup>, g: EncryptedGroup): void {
  const have = groups.get(g.scheme);
  if (!have) {
    groups.set(g.scheme, structuredClone(g));
    return;
  }
  have.count += g.count;
  have.bytes += g.bytes;
  have.examples = [...have.examples, ...g.examples].slice(0, EXAMPLES);
  // The aggregator keeps the first item's hint unless a later item's key is present.
  if (g.keyHint?.present === 'yes') have.keyHint = g.keyHint;
}

function addApp(apps: Map<string, AppSummary>, a: AppSummary): void {
  const key = `${a.platform}:${a.id}`;
  const have = apps.get(key);
  // An app only listed as installed in the parts so far (no files there) takes the first part that has its data.
  if (!have || (have.files === 0 && a.files > 0)) {
    const next = structuredClone(a);
    if (have?.installed) next.installed = true;
    apps.set(key, next);
    return;
  }
  if (a.files > 0) have.unparsed = have.unparsed && a.unparsed;
  have.files += a.files;
  have.bytes += a.bytes;
  for (const [s, n] of Object.entries(a.byStatus))
    have.byStatus[s as keyof typeof have.byStatus] = (have.byStatus[s as keyof typeof have.byStatus] ?? 0) + n;
  for (const art of a.artifacts) {
    const h = have.artifacts.find((x) => x.id === art.id);
    if (!h) have.artifacts.push(structuredClone(art));
    else {
      h.count += art.count;
      for (const [k, v] of Object.entries(art.counts)) h.counts[k] = (h.counts[k] ?? 0) + v;
    }
  }
  for (const e of a.encrypted) {
    const h = have.encrypted.find((x) => x.scheme === e.scheme && x.scope === e.scope);
    if (!h) have.encrypted.push(structuredClone(e));
    else h.count += e.count;
  }
  if (a.encryptedOmitted) {
    const o = have.encryptedOmitted;
    have.encryptedOmitted = addOmitted(o, { ...a.encryptedOmitted });
  }
  if (a.installed) have.installed = true;
  if (!have.name && a.name) have.name = a.name;
  if (!have.category && a.category) have.category = a.category;
}

function addKnown(
  a: NonNullable<ManifestSummary['known']>,
  b: NonNullable<ManifestSummary['known']>,
): NonNullable<ManifestSummary['known']> {
  return {
    sets: a.sets.map((s) => ({ ...s, matched: s.matched + (b.sets.find((x) => x.name === s.name)?.matched ?? 0) })),
    knownGood: { count: a.knownGood.count + b.knownGood.count, bytes: a.knownGood.bytes + b.knownGood.bytes },
    knownBad: {
      count: a.knownBad.count + b.knownBad.count,
      bytes: a.knownBad.bytes + b.knownBad.bytes,
      examples: [...a.knownBad.examples, ...b.knownBad.examples].slice(0, EXAMPLES),
    },
    collapsed: a.collapsed,
  };
}
