/**
 * Turns the `--plugin`/`--config` flags of a command into loaded plugins and
 * scan defaults: config plugins first (resolved against the config's folder),
 * then `--plugin` values (resolved against the current folder).
 */
import path from 'node:path';
import type { Command } from 'commander';
import { builtinSources, type Plugin, type SourceDefinition } from '@evtriage/core';
import { validatePlugin, PluginError } from '@evtriage/core/internal';
import { builtinPlugins } from '@evtriage/parsers';
import { CliError } from '../exit-codes.js';
import { loadConfig, type LoadedConfig } from './config.js';
import {
  checkUnique,
  checkUniqueSources,
  loadPluginModule,
  looksLikeSource,
  type LoadedPlugin,
  type LoadedSource,
} from './load.js';

export interface PluginFlags {
  plugin?: string[];
  config?: string;
}

export interface PluginSetup {
  loaded: LoadedPlugin[];
  /** Source kinds the plugin modules (or a JS config) provide, asked before the built-in ones. */
  sources: LoadedSource[];
  config?: LoadedConfig;
}

/** Loads the config (if any) and every plugin it and the flags name; checks ids against the built-ins. */
export async function setupPlugins(flags: PluginFlags, cwd: string = process.cwd()): Promise<PluginSetup> {
  const config = await loadConfig(flags.config, cwd);
  const loaded: LoadedPlugin[] = [];
  const sources: LoadedSource[] = [];
  const add = (module: { plugins: LoadedPlugin[]; sources: LoadedSource[] }) => {
    for (const l of module.plugins) if (!loaded.some((x) => x.plugin === l.plugin)) loaded.push(l);
    for (const s of module.sources) if (!sources.some((x) => x.source === s.source)) sources.push(s);
  };
  if (config) {
    const dir = path.dirname(config.file);
    for (const [i, entry] of (config.config.plugins ?? []).entries()) {
      const from = `${path.basename(config.file)} plugins[${i}]`;
      if (typeof entry === 'string') add(await loadPluginModule(entry, dir));
      else if (looksLikeSource(entry)) add({ plugins: [], sources: [{ source: entry, from }] });
      else {
        try {
          validatePlugin(entry);
        } catch (err) {
          if (err instanceof PluginError) throw new CliError(`config ${config.file}: plugins[${i}]: ${err.message}`);
          throw err;
        }
        add({ plugins: [{ plugin: entry, from }], sources: [] });
      }
    }
  }
  for (const spec of flags.plugin ?? []) add(await loadPluginModule(spec, cwd));
  checkUnique(loaded, builtinPlugins);
  checkUniqueSources(sources, builtinSources);
  return { loaded, sources, ...(config ? { config } : {}) };
}

/** Scan options the config may set; a flag given on the command line wins. */
export interface ScanDefaults {
  concurrency?: number;
  hash?: string;
  include?: string[];
  exclude?: string[];
  maxDepth?: number;
  limits?: Record<string, number>;
}

/** Applies the config's `scan` defaults to options the user did not give on the command line. */
export function applyScanDefaults<T extends ScanDefaults>(
  opts: T,
  setup: PluginSetup,
  cmd: Command,
): T & {
  extraPlugins: Plugin[];
  extraSources: SourceDefinition[];
  detectorModules: string[];
  parserModules: string[];
  appRuleModules: string[];
} {
  // Detectors from modules run on the scan's supervised probe workers, parsers in its supervised child
  // processes (core's worker-prober.ts, parse-pool.ts), app rules' metadata readers on its supervised thread
  // (app-metadata-thread.ts); app path rules and plugin objects from a JS config run on the main thread.
  const modulesOf = (kind: Plugin['kind']) => [
    ...new Set(setup.loaded.flatMap((l) => (l.url && l.plugin.kind === kind ? [l.url] : []))),
  ];
  const out = {
    ...opts,
    extraPlugins: setup.loaded.map((l) => l.plugin),
    extraSources: setup.sources.map((s) => s.source),
    detectorModules: modulesOf('detector'),
    parserModules: modulesOf('parser'),
    appRuleModules: modulesOf('app-rules'),
  };
  const scan = setup.config?.config.scan;
  if (!scan) return out;
  const fromCli = (name: string) => cmd.getOptionValueSource(name) === 'cli';
  if (scan.concurrency !== undefined && !fromCli('concurrency')) out.concurrency = scan.concurrency;
  if (scan.hash !== undefined && !fromCli('hash'))
    out.hash = Array.isArray(scan.hash) ? scan.hash.join(',') : scan.hash;
  if (scan.include && !fromCli('include')) out.include = [...scan.include];
  if (scan.exclude && !fromCli('exclude')) out.exclude = [...scan.exclude];
  if (scan.maxDepth !== undefined && !fromCli('maxDepth')) out.maxDepth = scan.maxDepth;
  if (scan.limits) out.limits = { ...(scan.limits as Record<string, number>), ...opts.limits };
  return out;
}
