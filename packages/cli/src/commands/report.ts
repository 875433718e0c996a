/**
 * `evtriage report <manifest> -o <file>`: converts a saved manifest (JSON or
 * NDJSON) into a report or interchange format (html, csv, case, dfxml, json,
 * ndjson), streaming: the manifest is read item by item and each writer
 * streams, so memory stays flat for any manifest size.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { builtinWriters, readManifest, type ManifestHeader, type ManifestProblem, type ManifestSummary } from '@evtriage/core';
import { endStream, SummaryAggregator } from '@evtriage/core/internal';
import { CliError, EXIT } from '../exit-codes.js';

export interface ReportCommandOptions {
  output?: string;
  format?: string;
  quiet?: boolean;
}

const BY_EXTENSION: Record<string, string> = { '.html': 'html', '.htm': 'html', '.csv': 'csv', '.jsonld': 'case', '.xml': 'dfxml', '.dfxml': 'dfxml', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.json': 'json' };

/** The format to write: `--format`, else the output's extension, else html. */
export function reportFormat(opts: ReportCommandOptions): string {
  if (opts.format) return opts.format;
  const ext = opts.output && opts.output !== '-' ? path.extname(opts.output).toLowerCase() : '';
  return BY_EXTENSION[ext] ?? 'html';
}

export async function runReport(file: string, opts: ReportCommandOptions): Promise<number> {
  const format = reportFormat(opts);
  const factory = builtinWriters[format];
  if (!factory) throw new CliError(`--format ${format} is not known. Use one of: ${Object.keys(builtinWriters).join(', ')}.`);
  if (!opts.output) throw new CliError('give an output file with -o <file> (or -o - for standard output).');
  if (!fs.existsSync(file)) throw new CliError(`${file} does not exist. Give the path of a manifest written by evtriage scan.`);
  if (opts.output !== '-' && path.resolve(opts.output) === path.resolve(file)) throw new CliError(`refusing to overwrite the manifest ${file} with its own report; choose another output file.`);

  const problems: ManifestProblem[] = [];
  const out: Writable = opts.output === '-' ? process.stdout : fs.createWriteStream(opts.output);
  const writer = factory(out);
  let header: ManifestHeader | undefined;
  let summary: ManifestSummary | undefined;
  // Rebuilt from the items in case the manifest has no summary (an interrupted scan).
  const rebuilt = new SummaryAggregator();
  let items = 0;
  for await (const rec of readManifest(file, (p) => problems.push(p))) {
    if (rec.type === 'header') {
      header = rec.header;
      await writer.onScanStart?.(header);
    } else if (rec.type === 'item') {
      if (items === 0 && !header) await writer.onScanStart?.(placeholderHeader(file));
      items++;
      rebuilt.enumerated++;
      rebuilt.add(rec.item);
      await writer.onItem(rec.item);
    } else summary = rec.summary;
  }
  if (!header && items === 0) await writer.onScanStart?.(placeholderHeader(file));
  const partial = !summary;
  await writer.onScanEnd?.(summary ?? rebuilt.finish({ complete: false, interruption: 'the manifest has no summary record (an interrupted or truncated scan); totals were rebuilt from its items' }));
  if (out !== process.stdout) await endStream(out);

  if (!opts.quiet) {
    for (const p of problems.slice(0, 10)) process.stderr.write(`evtriage: ${file}: ${p.where}: ${p.message}\n`);
    if (problems.length > 10) process.stderr.write(`evtriage: ... ${problems.length - 10} more problem(s); run evtriage validate ${file}\n`);
    if (partial) process.stderr.write(`evtriage: ${file} has no summary record; the report says the scan is incomplete.\n`);
    if (opts.output !== '-') process.stderr.write(`${format} report of ${items} item(s) written to ${opts.output}\n`);
  }
  return problems.length > 0 ? EXIT.ITEM_ERRORS : EXIT.OK;
}

function placeholderHeader(file: string): ManifestHeader {
  return {
    type: 'header',
    schemaVersion: 'unknown',
    tool: { name: 'evtriage', version: 'unknown' },
    contractVersion: 'unknown',
    plugins: [],
    source: { path: `(unknown: ${file} has no header record)`, kind: 'folder' },
    options: {},
    case: {},
    startedAt: new Date(0).toISOString(),
  };
}
