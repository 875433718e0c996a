/**
 * Test helper: scans a fixture folder with every built-in plugin through the
 * real pipeline and returns the items by file name.
 */
import { fileURLToPath } from 'node:url';
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from './index.js';

export function fixtureDir(pluginId: string): string {
  return fileURLToPath(new URL(`../fixtures/${pluginId}/`, import.meta.url));
}

export async function scanFixtures(pluginId: string): Promise<Map<string, EvidenceItem>> {
  const run = scan(new FolderSource(fixtureDir(pluginId)), { plugins: builtinPlugins, containers: builtinContainers });
  const items = new Map<string, EvidenceItem>();
  for await (const item of run) items.set(item.path, item);
  return items;
}

export function codes(item: EvidenceItem | undefined): string[] {
  return item?.classification.reasons.map((r) => r.code) ?? [];
}
