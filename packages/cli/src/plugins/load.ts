/**
 * Loading third-party plugins for the CLI: `--plugin <module-or-path>`
 * (repeatable) and the `plugins` of a config file. A path (starting with `.`
 * or `/`, or naming an existing file) is resolved against the folder it was
 * given in; anything else is a module name, resolved the way Node resolves an
 * `import` from that folder (import-meta-resolve, because `import.meta.resolve`
 * takes no parent on Node 20). A module may export one plugin, an array, or
 * `plugins`; among them may be source kinds (made with `defineSource`), which
 * the scan adds before the built-in ones. Every problem is a `CliError`
 * (exit 2) saying what to do.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SourceKind, type Plugin, type SourceDefinition } from '@evtriage/core';
import { createRegistry, PluginError, validatePlugin } from '@evtriage/core/internal';
import type { resolve as Resolve } from 'import-meta-resolve';
import { CliError } from '../exit-codes.js';

let resolver: typeof Resolve | undefined;
/** import-meta-resolve, required on first use: only a plugin named by package needs it (~20 ms to load per scan). */
function resolveModule(spec: string, parent: string): string {
  resolver ??= (createRequire(import.meta.url)('import-meta-resolve') as { resolve: typeof Resolve }).resolve;
  return resolver(spec, parent);
}

/** A plugin with where it came from (for messages and `evtriage plugins`). */
export interface LoadedPlugin {
  plugin: Plugin;
  /** The `--plugin` value or config entry that brought it. */
  from: string;
  /** The module it was imported from (absent for plugin objects in a JS config). */
  url?: string;
}

/** A source kind with where it came from. */
export interface LoadedSource {
  source: SourceDefinition;
  from: string;
}

const KINDS = new Set(['detector', 'parser', 'app-rules']);

/** Whether a value is a source kind made with defineSource (an id and an open function). */
export function looksLikeSource(value: unknown): value is SourceDefinition {
  const v = value as Partial<SourceDefinition> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.kind === 'source' &&
    typeof v.id === 'string' &&
    typeof v.open === 'function'
  );
}

function looksLikePlugin(value: unknown): boolean {
  if (looksLikeSource(value)) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    KINDS.has((value as { kind?: unknown }).kind as string) &&
    typeof (value as { meta?: unknown }).meta === 'object'
  );
}

/** Whether a spec names a file rather than a package. */
export function isPathSpec(spec: string, baseDir: string): boolean {
  if (spec.startsWith('.') || path.isAbsolute(spec) || spec.startsWith('file:')) return true;
  return fs.existsSync(path.resolve(baseDir, spec));
}

/** The URL to import for a spec given in `baseDir`. */
export function resolveSpec(spec: string, baseDir: string): string {
  if (spec.startsWith('file:')) return spec;
  if (isPathSpec(spec, baseDir)) {
    const file = path.resolve(baseDir, spec);
    if (!fs.existsSync(file))
      throw new CliError(
        `plugin ${spec}: no such file (looked for ${file}). Give a path to a .js or .mjs file, or the name of an installed package.`,
      );
    return pathToFileURL(file).href;
  }
  try {
    return resolveModule(spec, pathToFileURL(path.join(baseDir, 'noop.js')).href);
  } catch (err) {
    throw new CliError(
      `plugin ${spec}: cannot find the module from ${baseDir} (${(err as Error).message.split('\n')[0]}). Install it there (npm install ${spec}), or give a path starting with ./ to a plugin file.`,
    );
  }
}

/** The plugins a module exports: `plugins`, a default export, or every named export that is a plugin or an array of plugins. */
export function pluginsOf(mod: Record<string, unknown>, spec: string): unknown[] {
  const expand = (v: unknown): unknown[] | undefined => {
    if (Array.isArray(v)) return v as unknown[];
    if (looksLikePlugin(v)) return [v];
    if (v && typeof v === 'object' && Array.isArray((v as { plugins?: unknown }).plugins))
      return (v as { plugins: unknown[] }).plugins;
    return undefined;
  };
  if ('plugins' in mod) {
    const list = expand(mod['plugins']);
    if (!list) throw new CliError(`plugin ${spec}: its "plugins" export must be an array of plugins.`);
    return list;
  }
  if (mod['default'] !== undefined) {
    const list = expand(mod['default']);
    if (list) return list;
  }
  const named = Object.entries(mod)
    .filter(([k]) => k !== 'default')
    .flatMap(([, v]) =>
      looksLikePlugin(v) ? [v] : Array.isArray(v) && v.length > 0 && v.every(looksLikePlugin) ? (v as unknown[]) : [],
    );
  if (named.length === 0) {
    throw new CliError(
      `plugin ${spec} exports no plugin. Export a plugin made with defineDetector, defineParser, defineAppRules or defineSqliteArtifact from @evtriage/core (export const myPlugin = defineDetector({...})), an array of them, or "plugins".`,
    );
  }
  return [...new Set(named)];
}

/** Imports one spec and returns its validated plugins. */
export async function loadPluginSpec(spec: string, baseDir: string): Promise<LoadedPlugin[]> {
  return (await loadPluginModule(spec, baseDir)).plugins;
}

/** Imports one spec and returns its validated plugins and the source kinds it provides. */
export async function loadPluginModule(
  spec: string,
  baseDir: string,
): Promise<{ plugins: LoadedPlugin[]; sources: LoadedSource[] }> {
  const url = resolveSpec(spec, baseDir);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const hint =
      /\.ts$/.test(url) && e.code === 'ERR_UNKNOWN_FILE_EXTENSION'
        ? ' Node cannot import TypeScript directly: compile the plugin to .js, or write it as .mjs.'
        : '';
    const where = url.startsWith('file:') ? importErrorLocation(url) : undefined;
    const what = where
      ? `${where.error} at ${where.file}:${where.line}\n    ${where.code}`
      : `${e.message.split('\n')[0]}.`;
    throw new CliError(`plugin ${spec} could not be loaded: ${what}${hint}`);
  }
  const exported = pluginsOf(mod, spec);
  const plugins = exported
    .filter((p) => !looksLikeSource(p))
    .map((p): LoadedPlugin => {
      try {
        validatePlugin(p);
      } catch (err) {
        if (err instanceof PluginError) throw new CliError(`plugin ${spec}: ${err.message}`);
        throw err;
      }
      return { plugin: p, from: spec, url };
    });
  return { plugins, sources: exported.filter(looksLikeSource).map((source) => ({ source, from: spec })) };
}

/**
 * Refuses a source kind id taken by a built-in or another loaded source (`--source-type` names one), or
 * one the manifest cannot record as its source kind.
 */
export function checkUniqueSources(loaded: readonly LoadedSource[], builtins: readonly SourceDefinition[]): void {
  const owner = new Map<string, string>(builtins.map((s) => [s.id, 'the built-in sources']));
  for (const { source, from } of loaded) {
    if (!SourceKind.safeParse(source.id).success)
      throw new CliError(
        `source kind ${JSON.stringify(source.id)} from ${from} is not a kebab-case id (e.g. acme-dump); the manifest records it as the source kind. Rename it (id).`,
      );
    const earlier = owner.get(source.id);
    if (earlier)
      throw new CliError(
        `source kind ${source.id} from ${from} is already taken by ${earlier}. Source ids must be unique: rename it (id), or load the module once.`,
      );
    owner.set(source.id, from);
  }
}

export function checkUnique(loaded: readonly LoadedPlugin[], builtins: readonly Plugin[]): void {
  const owner = new Map<string, string>(builtins.map((p) => [p.meta.id, 'the built-in plugins']));
  for (const { plugin, from } of loaded) {
    const earlier = owner.get(plugin.meta.id);
    if (earlier) {
      throw new CliError(
        `plugin id ${plugin.meta.id} from ${from} is already taken by ${earlier}. Plugin ids must be unique: rename it (meta.id), or load the module once.`,
      );
    }
    owner.set(plugin.meta.id, from);
  }
  try {
    createRegistry([...builtins, ...loaded.map((l) => l.plugin)]);
  } catch (err) {
    if (err instanceof PluginError) throw new CliError(err.message);
    throw err;
  }
}

/**
 * Where an import fails (a syntax error, or an error thrown while the module
 * runs): Node 20 keeps the file and line out of the error object and prints
 * them only for an uncaught error, so the module is imported once more in a
 * child process and its report read. This also finds the error in a module
 * the plugin imports.
 */
export function importErrorLocation(
  url: string,
): { error: string; file: string; line: number; code: string } | undefined {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(url)});`], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  const lines = (r.stderr ?? '').split('\n');
  const at = lines.findIndex((l) => /^file:\/\/.+:\d+$/.test(l));
  if (at < 0) return undefined;
  const m = /^(file:\/\/.+):(\d+)$/.exec(lines[at]!)!;
  const error = lines.slice(at + 1).find((l) => /^[A-Za-z]*Error\b.*: /.test(l));
  if (!error) return undefined;
  return { error: error.trim(), file: fileURLToPath(m[1]!), line: Number(m[2]), code: (lines[at + 1] ?? '').trim() };
}
