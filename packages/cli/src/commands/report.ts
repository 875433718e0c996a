/**
 * `evtriage report <manifest> -o <file>`: converts a saved manifest (JSON or
 * NDJSON) into a report or interchange format (html, csv, case, dfxml, json,
 * ndjson), streaming: the manifest is read item by item and each writer
 * streams, so memory stays flat for any manifest size.
 */
import type { Writable } from 'node:stream';
import {
  builtinWriters,
  readManifest,
  type ManifestHeader,
  type ManifestProblem,
  type ManifestSummary,
  type ManifestWriter,
  type WriterFactory,
} from '@evtriage/core';
import { endStream, SummaryAggregator } from '@evtriage/core/internal';
import { CliError, EXIT } from '../exit-codes.js';
import { outputFormat } from '../output-format.js';
import { isClosedPipe, openOutput, outputProblem, realPathOf } from '../output.js';
import { withManifestFile } from '../manifest-input.js';

export interface ReportCommandOptions {
  output?: string;
  format?: string;
  quiet?: boolean;
}

/** The format to write: `--format`, else the output's extension, else html. */
export function reportFormat(opts: ReportCommandOptions): string {
  return outputFormat(opts.format, opts.output, 'html');
}

export async function runReport(given: string, opts: ReportCommandOptions): Promise<number> {
  const format = reportFormat(opts);
  const factory = builtinWriters[format];
  if (!factory)
    throw new CliError(`--format ${format} is not known. Use one of: ${Object.keys(builtinWriters).join(', ')}.`);
  const output = opts.output;
  if (!output) throw new CliError('give an output file with -o <file> (or -o - for standard output).');
  if (given !== '-' && output !== '-' && realPathOf(output) === realPathOf(given))
    throw new CliError(`refusing to overwrite the manifest ${given} with its own report; choose another output file.`);
  return withManifestFile(given, (file, shown) => writeReport(file, shown, format, factory, { ...opts, output }));
}

async function writeReport(
  file: string,
  shown: string,
  format: string,
  factory: WriterFactory,
  opts: ReportCommandOptions & { output: string },
): Promise<number> {
  const problems: ManifestProblem[] = [];
  const out: Writable = openOutput(opts.output);
  let converted: { items: number; partial: boolean };
  try {
    converted = await convert(file, shown, factory(out), (p) => problems.push(p));
    if (out !== process.stdout) await endStream(out);
  } catch (err) {
    if (isClosedPipe(err)) return EXIT.OK;
    if (typeof (err as NodeJS.ErrnoException).syscall === 'string')
      throw new CliError(`${outputProblem(opts.output, err)} The report is incomplete.`);
    throw err;
  }
  if (!opts.quiet) {
    for (const p of problems.slice(0, 10)) process.stderr.write(`evtriage: ${shown}: ${p.where}: ${p.message}\n`);
    if (problems.length > 10)
      process.stderr.write(`evtriage: ... ${problems.length - 10} more problem(s); run evtriage validate ${shown}\n`);
    if (converted.partial)
      process.stderr.write(`evtriage: ${shown} has no summary record; the report says the scan is incomplete.\n`);
    if (opts.output !== '-')
      process.stderr.write(`${format} report of ${converted.items} item(s) written to ${opts.output}\n`);
  }
  return problems.length > 0 ? EXIT.ITEM_ERRORS : EXIT.OK;
}

/** Streams the manifest's records through the writer; a missing summary is rebuilt from the items, marked incomplete. */
async function convert(
  file: string,
  shown: string,
  writer: ManifestWriter,
  onProblem: (p: ManifestProblem) => void,
): Promise<{ items: number; partial: boolean }> {
  let header: ManifestHeader | undefined;
  let summary: ManifestSummary | undefined;
  const rebuilt = new SummaryAggregator();
  let items = 0;
  for await (const rec of readManifest(file, onProblem)) {
    if (rec.type === 'header') {
      header = rec.header;
      await writer.onScanStart?.(header);
    } else if (rec.type === 'item') {
      if (items === 0 && !header) await writer.onScanStart?.(placeholderHeader(shown));
      items++;
      rebuilt.enumerated++;
      rebuilt.add(rec.item);
      await writer.onItem(rec.item);
    } else summary = rec.summary;
  }
  if (!header && items === 0) await writer.onScanStart?.(placeholderHeader(shown));
  await writer.onScanEnd?.(
    summary ??
      rebuilt.finish({
        complete: false,
        interruption:
          'the manifest has no summary record (an interrupted or truncated scan); totals were rebuilt from its items',
      }),
  );
  return { items, partial: !summary };
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
