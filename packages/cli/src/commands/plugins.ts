/**
 * `evtriage plugins`: every detector, parser and app rule set with its
 * version and formats, built-in or loaded (`--plugin`, config file).
 */
import { createRegistry } from '@evtriage/core';
import { builtinPlugins } from '@evtriage/parsers';
import { table } from '../format-size.js';
import type { LoadedPlugin } from '../plugins/load.js';

export function runPlugins(opts: { json?: boolean }, loaded: readonly LoadedPlugin[] = []): number {
  const registry = createRegistry([...builtinPlugins, ...loaded.map((l) => l.plugin)]);
  const from = new Map(loaded.map((l) => [l.plugin.meta.id, l.from]));
  const info = registry.info().map((p) => ({ ...p, source: from.get(p.id) ?? 'built-in' }));
  if (opts.json) {
    process.stdout.write(JSON.stringify(info, null, 2) + '\n');
    return 0;
  }
  process.stdout.write(table(info.map((p) => [p.id, p.kind, p.version, (p.formats ?? []).join(', '), p.source]), ['plugin', 'kind', 'version', 'formats', 'from']) + '\n');
  return 0;
}
