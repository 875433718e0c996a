/**
 * `evtriage validate <manifest>`: checks a JSON or NDJSON manifest against the schema.
 */
import fs from 'node:fs';
import { readManifest, type ManifestProblem } from '@evtriage/core';
import { CliError, EXIT } from '../exit-codes.js';

export async function runValidate(file: string, opts: { max: number }): Promise<number> {
  if (!fs.existsSync(file)) throw new CliError(`${file} does not exist. Give the path of a manifest written by evtriage scan.`);
  const problems: ManifestProblem[] = [];
  let items = 0;
  let header = false;
  let summary = false;
  try {
    for await (const rec of readManifest(file, (p) => problems.push(p))) {
      if (rec.type === 'item') items++;
      else if (rec.type === 'header') header = true;
      else summary = true;
    }
  } catch (err) {
    throw new CliError(`${file} is not a manifest: ${(err as Error).message}`);
  }
  if (!header) problems.unshift({ where: 'start', message: 'no header record' });
  if (!summary) problems.push({ where: 'end', message: 'no summary record: the manifest is partial (an interrupted scan) or truncated' });
  if (problems.length === 0) {
    process.stdout.write(`${file}: valid manifest, ${items} items.\n`);
    return EXIT.OK;
  }
  process.stdout.write(`${file}: ${problems.length} problem(s):\n`);
  for (const p of problems.slice(0, opts.max)) process.stdout.write(`  ${p.where}: ${p.message}\n`);
  return EXIT.ITEM_ERRORS;
}
