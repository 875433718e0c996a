/**
 * Helpers for the container tests: scan a path the way the CLI does (source
 * kind detected, built-in plugins and container openers) and collect the run.
 */
import { fileURLToPath } from 'node:url';
import {
  openSource,
  scan,
  type EvidenceItem,
  type ManifestHeader,
  type ManifestSummary,
  type ScanLimits,
  type SourceKind,
} from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '@evtriage/parsers';

export const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface ScanResult {
  header: ManifestHeader;
  items: EvidenceItem[];
  summary: ManifestSummary;
  byPath: Map<string, EvidenceItem>;
}

export async function scanPath(
  p: string,
  opts: { kind?: SourceKind; limits?: Partial<ScanLimits>; hash?: Array<'md5' | 'sha1' | 'sha256'> } = {},
): Promise<ScanResult> {
  const source = await openSource(p, { ...(opts.kind ? { kind: opts.kind } : {}), limits: opts.limits ?? {} });
  try {
    const run = scan(source, {
      plugins: builtinPlugins,
      containers: builtinContainers,
      limits: opts.limits ?? {},
      hash: opts.hash ?? [],
    });
    const items: EvidenceItem[] = [];
    for await (const item of run) items.push(item);
    const summary = await run.summary;
    return { header: run.header, items, summary, byPath: new Map(items.map((i) => [i.path, i])) };
  } finally {
    await source.close();
  }
}

/** What must agree whatever the source kind: path, kind, size, format and status. */
export function comparable(items: readonly EvidenceItem[]): string[] {
  return items.map((i) => [i.path, i.kind, i.size, i.format?.id ?? '-', i.classification.status].join(' | ')).sort();
}

export function codes(item: EvidenceItem | undefined): string[] {
  return (item?.errors ?? []).map((e) => e.code);
}
