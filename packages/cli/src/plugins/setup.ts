/**
 * Turns the `--plugin`/`--config` flags of a command into loaded plugins and
 * scan defaults: config plugins first (resolved against the config's folder),
 * then `--plugin` values (resolved against the current folder).
 */
import path from 'node:path';
import type { Command } from 'commander';
import { type Plugin } from '@evtriage/core';
import { validatePlugin, PluginError } from '@evtriage/core/internal';
import { builtinPlugins } from '@evtriage/parsers';
import { CliError } from '../exit-codes.js';
import { loadConfig, type LoadedConfig } from './config.js';
import { checkUnique, loadPluginSpec, type LoadedPlugin } from './load.js';

export interface PluginFlags {
  plugin?: string[];
  config?: string;
}

export interface PluginSetup {
  loaded: LoadedPlugin[];
  config?: LoadedConfig;
}

/** Loads the config (if any) and every plugin it and the flags name; checks ids against the built-ins. */
export async function setupPlugins(flags: PluginFlags, cwd: string = process.cwd()): Promise<PluginSetup> {
  const config = await loadConfig(flags.config, cwd);
  const loaded: LoadedPlugin[] = [];
  const add = (list: LoadedPlugin[]) => {
    for (const l of list) if (!loaded.some((x) => x.plugin === l.plugin)) loaded.push(l);
  };
  if (config) {
    const dir = path.dirname(config.file);
    for (const [i, entry] of (config.config.plugins ?? []).entries()) {
      if (typeof entry === 'string') add(await loadPluginSpec(entry, dir));
      else {
        try {
          validatePlugin(entry);
        } catch (err) {
          if (err instanceof PluginError) throw new CliError(`config ${config.file}: plugins[${i}]: ${err.message}`);
          throw err;
        }
        add([{ plugin: entry, from: `${path.basename(config.file)} plugins[${i}]` }]);
      }
    }
  }
  for (const spec of flags.plugin ?? []) add(await loadPluginSpec(spec, cwd));
  checkUnique(loaded, builtinPlugins);
  return { loaded, ...(config ? { config } : {}) };
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
): T & { extraPlugins: Plugin[]; detectorModules: string[]; parserModules: string[] } {
  // Detectors from modules run on the scan's supervised probe workers, parsers in its supervised child
  // processes (core's worker-prober.ts, parse-pool.ts); app rules and plugin objects from a JS config run
  // on the main thread.
  const modulesOf = (kind: Plugin['kind']) => [
    ...new Set(setup.loaded.flatMap((l) => (l.url && l.plugin.kind === kind ? [l.url] : []))),
  ];
  const out = {
    ...opts,
    extraPlugins: setup.loaded.map((l) => l.plugin),
    detectorModules: modulesOf('detector'),
    parserModules: modulesOf('parser'),
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
