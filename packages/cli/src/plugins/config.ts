/**
 * The config file: `evtriage.config.json`, `.mjs` or `.js` in the current
 * folder, or the file `--config` names. It names plugins (paths are resolved
 * against the config file's folder) and default scan options; flags given on
 * the command line win over it.
 *
 * @example
 * // evtriage.config.mjs
 * export default { plugins: ['./plugins/acme-vault.mjs', 'evtriage-plugin-whatever'], scan: { hash: ['sha256'], limits: { pluginTimeoutMs: 5000 } } };
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { CliError } from '../exit-codes.js';

/** Names looked for in the current folder, in this order. */
export const CONFIG_NAMES = ['evtriage.config.json', 'evtriage.config.mjs', 'evtriage.config.js'] as const;

const Limits = z
  .object({
    probeHeadBytes: z.number().int().positive(),
    probeTailBytes: z.number().int().min(0),
    parseMaxBytes: z.number().int().positive(),
    pluginTimeoutMs: z.number().int().positive(),
    itemTimeoutMs: z.number().int().positive(),
    maxArchiveDepth: z.number().int().min(0),
    workerHeapMb: z.number().int().positive(),
  })
  .partial()
  .strict();

export const EvtriageConfig = z
  .object({
    /** Plugin files or package names, or (in a JS config) plugin objects. */
    plugins: z.array(z.unknown()).optional(),
    /** Defaults for `evtriage scan`. */
    scan: z
      .object({
        concurrency: z.number().int().min(1).max(1024),
        hash: z.union([z.string(), z.array(z.string())]),
        include: z.array(z.string()),
        exclude: z.array(z.string()),
        maxDepth: z.number().int().min(0),
        limits: Limits,
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
export type EvtriageConfig = z.infer<typeof EvtriageConfig>;

export interface LoadedConfig {
  file: string;
  config: EvtriageConfig;
}

/** Finds and reads the config: the `--config` file, else the first of CONFIG_NAMES in `cwd`, else none. */
export async function loadConfig(explicit: string | undefined, cwd: string): Promise<LoadedConfig | undefined> {
  let file: string | undefined;
  if (explicit) {
    file = path.resolve(cwd, explicit);
    if (!fs.existsSync(file)) throw new CliError(`--config ${explicit}: no such file (looked for ${file}).`);
  } else {
    file = CONFIG_NAMES.map((n) => path.join(cwd, n)).find((f) => fs.existsSync(f));
    if (!file) return undefined;
  }
  let raw: unknown;
  if (file.endsWith('.json')) {
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new CliError(`config ${file} is not valid JSON: ${(err as Error).message}`);
    }
  } else {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (err) {
      throw new CliError(`config ${file} could not be loaded: ${(err as Error).message.split('\n')[0]}`);
    }
    raw = mod['default'] ?? mod['config'];
    if (raw === undefined) throw new CliError(`config ${file} must export the configuration as its default export or as "config".`);
  }
  const checked = EvtriageConfig.safeParse(raw);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new CliError(`config ${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}. Allowed: { plugins: [...], scan: { concurrency, hash, include, exclude, maxDepth, limits } }.`);
  }
  return { file, config: checked.data };
}
