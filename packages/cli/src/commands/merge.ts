/**
 * `evtriage merge <parts...> -o manifest.ndjson`: the parts of a sharded scan
 * (`scan --shard K/N`) become the manifest one scan would have written: items
 * in the single scan's order, one summary (docs/distributed.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { builtinWriters, mergeShardManifests, MergeError } from '@evtriage/core';
import { endStream } from '@evtriage/core/internal';
import { CliError, EXIT } from '../exit-codes.js';

export interface MergeCommandOptions {
  output?: string;
  format?: string;
  quiet?: boolean;
}

const MERGE_FORMATS = ['ndjson', 'json'];

/** `--format`, else the output's extension (.json is JSON), else NDJSON. */
function mergeFormat(opts: MergeCommandOptions): string {
  if (opts.format) return opts.format;
  return opts.output && path.extname(opts.output).toLowerCase() === '.json' ? 'json' : 'ndjson';
}

export async function runMerge(parts: readonly string[], opts: MergeCommandOptions): Promise<number> {
  const format = mergeFormat(opts);
  if (!MERGE_FORMATS.includes(format))
    throw new CliError(
      `--format ${format}: merge writes a manifest (ndjson or json); make other formats from it with evtriage report.`,
    );
  if (!opts.output) throw new CliError('give an output file with -o <file> (or -o - for standard output).');
  for (const p of parts)
    if (!fs.existsSync(p))
      throw new CliError(`${p} does not exist. Give the NDJSON parts written by evtriage scan --shard K/N.`);
  if (opts.output !== '-' && parts.some((p) => path.resolve(p) === path.resolve(opts.output!))) {
    throw new CliError(
      `refusing to overwrite the part ${opts.output} with the merged manifest; choose another output file.`,
    );
  }
  // Written beside the output and renamed at the end, so a failed merge leaves no manifest that looks whole.
  const target = opts.output === '-' ? undefined : opts.output;
  const temp = target ? `${target}.merging-${process.pid}` : undefined;
  const out: Writable = temp ? fs.createWriteStream(temp) : process.stdout;
  // A failed write reaches the writer's write callbacks and endStream; the event itself must not end the process.
  if (temp) out.on('error', () => undefined);
  try {
    const result = await mergeShardManifests(parts, builtinWriters[format]!(out));
    if (temp && target) {
      await endStream(out);
      fs.renameSync(temp, target);
    }
    if (!opts.quiet) {
      const dropped =
        result.dropped.length > 0
          ? ` (${result.dropped.length} duplicate part${result.dropped.length > 1 ? 's' : ''} ignored: ${result.dropped.join(', ')})`
          : '';
      process.stderr.write(
        `Merged ${parts.length - result.dropped.length} parts, ${result.items} items${dropped}${target ? ` into ${target}` : ''}.\n`,
      );
    }
    return result.itemsFailed > 0 ? EXIT.ITEM_ERRORS : EXIT.OK;
  } catch (err) {
    if (temp) {
      out.destroy();
      fs.rmSync(temp, { force: true });
    }
    if (err instanceof MergeError) throw new CliError(`merge: ${err.message}`);
    throw err;
  }
}
