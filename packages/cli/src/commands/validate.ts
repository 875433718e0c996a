/**
 * `evtriage validate <manifest>`: checks a JSON or NDJSON manifest against
 * the schema, streaming (any size), and prints the first problems with their
 * location: the line for NDJSON, the item index and line for a JSON document.
 * Only the first `--max` problems are kept; the rest are counted.
 */
import type { ManifestProblem } from '@evtriage/core';
import { readManifest } from '@evtriage/core/internal-manifest';
import { CliError, EXIT } from '../exit-codes.js';
import { withManifestFile } from '../manifest-input.js';

export async function runValidate(given: string, opts: { max: number }): Promise<number> {
  return withManifestFile(given, (readable, name) => validate(readable, name, opts));
}

async function validate(file: string, name: string, opts: { max: number }): Promise<number> {
  const problems: ManifestProblem[] = [];
  let total = 0;
  let items = 0;
  let header = false;
  let summary = false;
  const note = (p: ManifestProblem) => {
    total++;
    if (problems.length < opts.max) problems.push(p);
  };
  try {
    for await (const rec of readManifest(file, note)) {
      if (rec.type === 'item') items++;
      else if (rec.type === 'header') header = true;
      else summary = true;
    }
  } catch (err) {
    throw new CliError(`${name} is not a manifest: ${(err as Error).message}`);
  }
  if (!header) {
    problems.unshift({ where: 'start', message: 'no header record' });
    total++;
  }
  if (!summary) {
    problems.push({
      where: 'end',
      message: 'no summary record: the manifest is partial (an interrupted scan) or truncated',
    });
    total++;
  }
  if (total === 0) {
    process.stdout.write(`${name}: valid manifest, ${items} items.\n`);
    return EXIT.OK;
  }
  process.stdout.write(`${name}: ${total} problem(s) (${items} valid items):\n`);
  const shown = problems.slice(0, Math.max(opts.max, 1));
  // Keep the "no summary" note visible even when --max trims the list.
  const end = problems.find((p) => p.where === 'end');
  if (end && !shown.includes(end)) shown.push(end);
  for (const p of shown) process.stdout.write(`  ${p.where}: ${p.message}\n`);
  if (total > shown.length) process.stdout.write(`  ... ${total - shown.length} more (use --max to see more)\n`);
  return EXIT.ITEM_ERRORS;
}
