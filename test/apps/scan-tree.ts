/**
 * Test helper for the app tests: builds the generated trees once per file in
 * a temporary folder and scans them with every built-in plugin through the
 * real pipeline.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  FolderSource,
  scan,
  type EvidenceItem,
  type EvidenceSource,
  type ManifestSummary,
  type ScanOptions,
} from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '@evtriage/parsers';

export interface Scanned {
  items: Map<string, EvidenceItem>;
  order: string[];
  summary: ManifestSummary;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `evtriage-apps-${prefix}-`));
}

export async function scanSource(
  source: EvidenceSource,
  concurrency = 4,
  options: Partial<Omit<ScanOptions, 'concurrency'>> = {},
): Promise<Scanned> {
  const run = scan(source, {
    containers: builtinContainers,
    concurrency,
    ...options,
    plugins: options.plugins ?? builtinPlugins,
  });
  const items = new Map<string, EvidenceItem>();
  const order: string[] = [];
  for await (const item of run) {
    items.set(item.path, item);
    order.push(item.path);
  }
  return { items, order, summary: await run.summary };
}

export function scanFolder(root: string): Promise<Scanned> {
  return scanSource(new FolderSource(root));
}

/** The item at a path, failing loudly when it is missing. */
export function at(s: Scanned, p: string): EvidenceItem {
  const item = s.items.get(p);
  if (!item) throw new Error(`no item ${p}; have:\n${s.order.join('\n')}`);
  return item;
}
