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
    probeHeadBytes: z
      .number()
      .int()
      .positive()
      .describe('Bytes read from the start of every file for the detectors (default 16384).'),
    probeTailBytes: z
      .number()
      .int()
      .min(0)
      .describe('Bytes read from the end of every file for the detectors (default 8192).'),
    parseMaxBytes: z
      .number()
      .int()
      .positive()
      .describe('Largest item a parser may read whole with ctx.readAll, in bytes (default 268435456, 256 MiB).'),
    pluginTimeoutMs: z
      .number()
      .int()
      .positive()
      .describe('Time budget of one detector or parser call, in milliseconds (default 10000).'),
    itemTimeoutMs: z
      .number()
      .int()
      .positive()
      .describe('Time budget of one item through every stage, in milliseconds (default 60000; as --item-timeout).'),
    maxArchiveDepth: z
      .number()
      .int()
      .min(0)
      .describe('How many archives deep nested archives are opened (default 4; as --max-depth).'),
    workerHeapMb: z
      .number()
      .int()
      .positive()
      .describe(
        'Heap cap of each parser child process, in MiB (default 512); a parser that needs more is stopped (MEMORY_LIMIT).',
      ),
  })
  .partial()
  .strict();

export const EvtriageConfig = z
  .object({
    plugins: z
      .array(z.unknown())
      .optional()
      .describe(
        "Plugin files (resolved against the config file's folder) or package names; in a JS config also plugin objects.",
      ),
    scan: z
      .object({
        concurrency: z.number().int().min(1).max(1024).describe('Items processed at once (as -c/--concurrency).'),
        hash: z
          .union([z.string(), z.array(z.string())])
          .describe('Digests to compute: md5, sha1, sha256, as a list or comma-separated (as --hash).'),
        include: z.array(z.string()).describe('Globs of paths to scan; others are listed as excluded (as --include).'),
        exclude: z.array(z.string()).describe('Globs of paths to leave out (as --exclude).'),
        maxDepth: z.number().int().min(0).describe('How many archives deep to open (as --max-depth).'),
        limits: Limits.describe('Engine limits.'),
      })
      .partial()
      .strict()
      .optional()
      .describe('Defaults for evtriage scan; a flag given on the command line wins.'),
  })
  .strict();
export type EvtriageConfig = z.infer<typeof EvtriageConfig>;

/** The config schema as JSON Schema (for the generated reference in docs/writing-a-plugin.md). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(EvtriageConfig, { io: 'input', unrepresentable: 'any' });
}

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
    if (raw === undefined)
      throw new CliError(`config ${file} must export the configuration as its default export or as "config".`);
  }
  const checked = EvtriageConfig.safeParse(raw);
  if (!checked.success) throw new CliError(`config ${file}: ${configProblem(checked.error.issues[0]!)}`);
  return { file, config: checked.data };
}

/** The keys an object of the config schema allows at a path (`['scan', 'limits']`). */
function keysAt(at: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = EvtriageConfig;
  for (const key of at) {
    const shape = objectShape(schema);
    if (!shape || typeof key !== 'string' || !(key in shape)) return [];
    schema = shape[key]!;
  }
  return Object.keys(objectShape(schema) ?? {});
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s instanceof z.ZodObject ? s.shape : undefined;
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!;
      row[j] = Math.min(
        row[j]! + 1,
        row[j - 1]! + 1,
        prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1),
      );
      prev = here;
    }
  }
  return row[b.length]!;
}

/**
 * One config problem in words: the full dotted key, and for an unknown key
 * the closest allowed one and every key allowed there.
 */
export function configProblem(issue: z.core.$ZodIssue): string {
  const at = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const allowed = keysAt(issue.path);
    const where = at.length > 0 ? `in ${at.join('.')}` : 'at the top level';
    return issue.keys
      .map((key) => {
        const near = allowed.map((k) => ({ k, d: distance(key, k) })).sort((a, b) => a.d - b.d)[0];
        const hint = near && near.d <= Math.max(2, Math.floor(key.length / 4)) ? ` (did you mean ${near.k}?)` : '';
        return `unknown key ${[...at, key].join('.')}${hint}; allowed ${where}: ${allowed.join(', ')}`;
      })
      .join('; ');
  }
  return `${at.join('.') || '(top level)'}: ${issue.message}`;
}
