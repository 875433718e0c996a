/**
 * `evtriage plugins`: every detector, parser and app rule set with its version and formats.
 */
import { createRegistry } from '@evtriage/core';
import { builtinPlugins } from '@evtriage/parsers';
import { table } from '../format-size.js';

export function runPlugins(opts: { json?: boolean }): number {
  const registry = createRegistry(builtinPlugins);
  const info = registry.info();
  if (opts.json) {
    process.stdout.write(JSON.stringify(info, null, 2) + '\n');
    return 0;
  }
  process.stdout.write(table(info.map((p) => [p.id, p.kind, p.version, (p.formats ?? []).join(', ')]), ['plugin', 'kind', 'version', 'formats']) + '\n');
  return 0;
}
