/**
 * `evtriage summary <manifest>`: prints the summary tables of a saved manifest again.
 */
import fs from 'node:fs';
import { readManifest } from '@evtriage/core';
import { CliError, EXIT } from '../exit-codes.js';
import { summaryText } from '../summary-text.js';

export async function runSummary(file: string): Promise<number> {
  if (!fs.existsSync(file)) throw new CliError(`${file} does not exist. Give the path of a manifest written by evtriage scan.`);
  for await (const rec of readManifest(file)) {
    if (rec.type === 'summary') {
      process.stdout.write(summaryText(rec.summary) + '\n');
      return EXIT.OK;
    }
  }
  throw new CliError(`${file} has no summary record (a partial manifest?). Run evtriage validate ${file} for details.`);
}
