/**
 * The modules a probe worker or parse child imports (`builtinDetectorsModule`,
 * plugins.ts; `builtinParsersModule`, parser-plugins.ts; `builtinPluginsModule`,
 * builtin-plugins.ts, all three lists) must reach core only through its light entry points: loading
 * `@evtriage/core` or `@evtriage/core/internal` would load the writers, the
 * sources and the scan engine into every worker and child (issue 17). This
 * walks the static imports of the sources as TypeScript emits them
 * (verbatimModuleSyntax: `import type` is erased, `import { type X }` is not).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The specifiers a module loads when it is evaluated (static imports and re-exports, not `import()`). */
function staticImports(source: string): string[] {
  const found: string[] = [];
  const statement = /^(import|export)\s+(type\s+)?([^;]*?)\s*from\s*'([^']+)';|^import\s+'([^']+)';/gms;
  for (const m of source.matchAll(statement)) {
    if (m[5]) found.push(m[5]);
    else if (!m[2]) found.push(m[4]!);
  }
  return found;
}

/** The files of this package the module graph from `entry` loads, relative to src. */
function filesFrom(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(fs.readFileSync(file, 'utf8')))
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
  };
  visit(path.join(here, entry));
  return [...seen].map((f) => path.relative(here, f));
}

/** Every core entry the module graph from `entry` loads, with the file that imports it. */
function coreEntriesFrom(entry: string): Map<string, string> {
  const entries = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(fs.readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      else if (spec.startsWith('@evtriage/core') && !entries.has(spec)) entries.set(spec, path.relative(here, file));
    }
  };
  visit(path.join(here, entry));
  return entries;
}

describe('what the built-in plugins load of @evtriage/core', () => {
  it('finds value imports and side-effect imports, not type-only ones', () => {
    const src = [
      "import type { A } from 'erased';",
      "import { type B } from 'kept-empty';",
      "import {\n  c,\n  type D,\n} from 'value';",
      "export { e } from 'reexport';",
      "export type { F } from 'erased-too';",
      "import 'effect';",
      "const g = await import('dynamic');",
    ].join('\n');
    expect(staticImports(src)).toEqual(['kept-empty', 'value', 'reexport', 'effect']);
  });

  it('the plugins module (all three lists) reaches only the contract, helpers and SQLite copy', () => {
    const entries = coreEntriesFrom('builtin-plugins.ts');
    expect([...entries.keys()].sort(), JSON.stringify(Object.fromEntries(entries))).toEqual([
      '@evtriage/core/contract',
      '@evtriage/core/helpers',
      '@evtriage/core/internal-sqlite',
    ]);
  });

  it('the detectors module (what probe workers import) loads no parser and no app rule', async () => {
    const files = filesFrom('plugins.ts');
    const apps = path.join('apps', 'mobile-apps.ts');
    expect(files.filter((f) => f.startsWith(`parsers${path.sep}`) || f === 'parser-plugins.ts' || f === apps)).toEqual(
      [],
    );
    expect([...coreEntriesFrom('plugins.ts').keys()].every((e) => e !== '@evtriage/core')).toBe(true);
    const [all, only] = await Promise.all([import('./builtin-plugins.js'), import('./plugins.js')]);
    expect(only.builtinDetectors).toBe(all.builtinDetectors);
    expect(all.builtinPlugins.filter((p) => p.kind === 'detector')).toEqual([...only.builtinDetectors]);
  });

  it('the parsers module (what parse children import) loads every parser and not the detector list', async () => {
    const files = filesFrom('parser-plugins.ts');
    const detectors = (list: string[]) => list.filter((f) => f.startsWith(`detectors${path.sep}`)).length;
    expect(files).not.toContain('plugins.ts');
    // Only the few detector modules whose helpers a parser shares (util.ts, a format's header reader).
    expect(detectors(files)).toBeLessThan(detectors(filesFrom('plugins.ts')) / 4);
    expect(coreEntriesFrom('parser-plugins.ts').has('@evtriage/core')).toBe(false);
    const [all, only] = await Promise.all([import('./builtin-plugins.js'), import('./parser-plugins.js')]);
    expect(only.builtinParsers).toBe(all.builtinParsers);
    expect(all.builtinPlugins.filter((p) => p.kind === 'parser')).toEqual([...only.builtinParsers]);
  });

  it('the package index adds only the archive readers (for the container openers)', () => {
    const entries = coreEntriesFrom('index.ts');
    expect([...entries.keys()].sort(), JSON.stringify(Object.fromEntries(entries))).toEqual([
      '@evtriage/core/contract',
      '@evtriage/core/helpers',
      '@evtriage/core/internal-readers',
      '@evtriage/core/internal-sqlite',
    ]);
  });
});
