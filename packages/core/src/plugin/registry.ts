/**
 * The plugin registry: validates metadata, rejects duplicate ids and plugins
 * built for another major version of the contract, and sorts for a stable order.
 */
import type { PluginInfo } from '../model/manifest.js';
import { pluginDataProblems } from './contract.js';
import { CONTRACT_VERSION, type AppRulesPlugin, type DetectorPlugin, type ParserPlugin, type Plugin } from './types.js';

export class PluginError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'PluginError';
    this.code = code;
  }
}

export interface Registry {
  readonly detectors: readonly DetectorPlugin[];
  readonly parsers: readonly ParserPlugin[];
  readonly appRules: readonly AppRulesPlugin[];
  readonly all: readonly Plugin[];
  info(): PluginInfo[];
  /** Every index pattern plugins declared. */
  indexPatterns(): string[];
}

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SEMVER = /^\d+\.\d+\.\d+([-+].*)?$/;
const CONTRACT_MAJOR = CONTRACT_VERSION.split('.')[0]!;

export function validatePlugin(p: unknown): asserts p is Plugin {
  const plugin = p as Partial<Plugin> | undefined;
  const where = (plugin as { meta?: { id?: string } } | undefined)?.meta?.id ?? '(no id)';
  if (!plugin || typeof plugin !== 'object')
    throw new PluginError(
      'PLUGIN_INVALID',
      'a plugin must be an object made with defineDetector, defineParser or defineAppRules',
    );
  if (plugin.kind !== 'detector' && plugin.kind !== 'parser' && plugin.kind !== 'app-rules') {
    throw new PluginError(
      'PLUGIN_INVALID',
      `plugin ${where}: unknown kind ${String(plugin.kind)}; make it with defineDetector, defineParser or defineAppRules`,
    );
  }
  const meta = plugin.meta;
  if (!meta || typeof meta.id !== 'string' || !ID.test(meta.id))
    throw new PluginError('PLUGIN_INVALID', `plugin ${where}: meta.id must be kebab-case`);
  if (typeof meta.version !== 'string' || !SEMVER.test(meta.version))
    throw new PluginError('PLUGIN_INVALID', `plugin ${meta.id}: meta.version must be semver (e.g. 1.0.0)`);
  if (typeof meta.title !== 'string' || meta.title.length === 0)
    throw new PluginError('PLUGIN_INVALID', `plugin ${meta.id}: meta.title is required`);
  const contract = meta.contract ?? CONTRACT_MAJOR;
  if (String(contract).split('.')[0] !== CONTRACT_MAJOR) {
    throw new PluginError(
      'PLUGIN_CONTRACT_MISMATCH',
      `plugin ${meta.id} was built for plugin contract ${contract}, but this evtriage implements contract ${CONTRACT_VERSION}; use a version of the plugin built for contract ${CONTRACT_MAJOR}.x`,
    );
  }
  if (plugin.kind === 'detector' && typeof plugin.detect !== 'function')
    throw new PluginError('PLUGIN_INVALID', `detector ${meta.id}: detect must be a function`);
  if (plugin.kind === 'parser' && typeof plugin.parse !== 'function')
    throw new PluginError('PLUGIN_INVALID', `parser ${meta.id}: parse must be a function`);
  if (plugin.kind === 'app-rules' && !Array.isArray(plugin.rules))
    throw new PluginError('PLUGIN_INVALID', `app rules ${meta.id}: rules must be an array`);
  const problems = pluginDataProblems(plugin as Plugin);
  if (problems.length > 0)
    throw new PluginError(
      'PLUGIN_INVALID',
      `${plugin.kind === 'app-rules' ? 'app rules' : plugin.kind} ${meta.id}: ${problems.join('; ')}`,
    );
}

export function createRegistry(plugins: readonly unknown[]): Registry {
  const seen = new Set<string>();
  const all: Plugin[] = [];
  for (const p of plugins) {
    validatePlugin(p);
    if (seen.has(p.meta.id))
      throw new PluginError('PLUGIN_DUPLICATE', `two plugins have the id ${p.meta.id}; ids must be unique`);
    seen.add(p.meta.id);
    all.push(p);
  }
  const byPriority = <T extends { priority?: number; meta: { id: string } }>(a: T, b: T) =>
    (a.priority ?? 50) - (b.priority ?? 50) || (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0);
  const detectors = all.filter((p): p is DetectorPlugin => p.kind === 'detector').sort(byPriority);
  const parsers = all.filter((p): p is ParserPlugin => p.kind === 'parser').sort(byPriority);
  // Stable: equal priorities keep the order the plugins were given in.
  const appRules = all
    .filter((p): p is AppRulesPlugin => p.kind === 'app-rules')
    .sort((a, b) => (a.priority ?? 50) - (b.priority ?? 50));
  return {
    detectors,
    parsers,
    appRules,
    all,
    info: () =>
      [...all]
        .sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1))
        .map((p) => {
          const info: PluginInfo = { id: p.meta.id, version: p.meta.version, kind: p.kind };
          if (p.kind === 'detector') info.formats = p.meta.formats.map((f) => f.id);
          if (p.kind === 'parser') info.formats = [...p.meta.formats];
          return info;
        }),
    indexPatterns: () => [...new Set(all.flatMap((p) => p.meta.indexPatterns ?? []))],
  };
}
