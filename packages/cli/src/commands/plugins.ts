/**
 * `evtriage plugins`: every detector, parser and app rule set with its
 * version and formats, built-in or loaded (`--plugin`, config file).
 */
import { createRegistry } from '@evtriage/core/internal';
import { builtinPlugins } from '@evtriage/parsers';
import type { LoadedPlugin } from '../plugins/load.js';

export function runPlugins(opts: { json?: boolean }, loaded: readonly LoadedPlugin[] = []): number {
  const registry = createRegistry([...builtinPlugins, ...loaded.map((l) => l.plugin)]);
  const from = new Map(loaded.map((l) => [l.plugin.meta.id, l.from]));
  const info = registry.info().map((p) => ({ ...p, source: from.get(p.id) ?? 'built-in' }));
  if (opts.json) {
    process.stdout.write(JSON.stringify(info, null, 2) + '\n');
    return 0;
  }
  process.stdout.write(
    leftTable(
      info.map((p) => [p.id, p.kind, p.version, shortList(p.formats ?? []), p.source]),
      ['plugin', 'kind', 'version', 'formats', 'from'],
    ) + '\n',
  );
  return 0;
}

/** Up to four formats, then how many more (`--json` lists them all). */
function shortList(formats: readonly string[]): string {
  return formats.length <= 4 ? formats.join(', ') : `${formats.slice(0, 4).join(', ')} +${formats.length - 4} more`;
}

/** Columns padded on the right: ids and lists read left to right. */
function leftTable(rows: ReadonlyArray<readonly string[]>, header: readonly string[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
