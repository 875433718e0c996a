/**
 * `evtriage scan <source>`: triage a folder or archive into a manifest.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { builtinWriters, endStream, HASH_ALGORITHMS, openSource, scan, SourceError, type HashAlgorithm, type SourceKind, type ScanLimits } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '@evtriage/parsers';
import { CliError, EXIT } from '../exit-codes.js';
import { createProgress } from '../progress.js';
import { summaryText } from '../summary-text.js';

export interface ScanCommandOptions {
  output?: string;
  format: string;
  concurrency: number;
  include: string[];
  exclude: string[];
  caseId?: string;
  examiner?: string;
  hash?: string;
  sourceType?: string;
  maxDepth?: number;
  progress: boolean;
  quiet?: boolean;
}

export function parseHashList(value: string | undefined): HashAlgorithm[] {
  if (!value) return [];
  const list = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const a of list) if (!HASH_ALGORITHMS.includes(a as HashAlgorithm)) throw new CliError(`--hash: unknown algorithm "${a}". Use any of ${HASH_ALGORITHMS.join(', ')}, comma-separated.`);
  return [...new Set(list)] as HashAlgorithm[];
}

/** Refuses an output path inside a folder source: evidence is never written to. */
function guardOutput(output: string, source: string): void {
  const src = path.resolve(source);
  let isDir = false;
  try {
    isDir = fs.statSync(src).isDirectory();
  } catch {
    return;
  }
  const out = path.resolve(output);
  if (isDir && (out === src || out.startsWith(src + path.sep))) {
    throw new CliError(`refusing to write ${output} inside the evidence folder ${source}; evtriage never writes into a source. Choose an output path outside it.`);
  }
}

export async function runScan(sourcePath: string, opts: ScanCommandOptions): Promise<number> {
  const factory = builtinWriters[opts.format];
  if (!factory) throw new CliError(`--format ${opts.format} is not known. Use one of: ${Object.keys(builtinWriters).join(', ')}.`);
  if (!opts.output) throw new CliError('give an output file with -o <file> (or -o - to write the manifest to standard output).');
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1 || opts.concurrency > 1024) throw new CliError('--concurrency must be a whole number from 1 to 1024.');
  const hash = parseHashList(opts.hash);
  if (opts.output !== '-') guardOutput(opts.output, sourcePath);

  let source;
  try {
    source = await openSource(sourcePath, opts.sourceType as SourceKind | undefined);
  } catch (err) {
    if (err instanceof SourceError) throw new CliError(err.message);
    throw err;
  }

  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const out: Writable = opts.output === '-' ? process.stdout : fs.createWriteStream(opts.output);
  const writer = factory(out);
  const limits: Partial<ScanLimits> = {};
  if (opts.maxDepth !== undefined) limits.maxArchiveDepth = opts.maxDepth;
  const progress = createProgress(process.stderr, opts.progress && !opts.quiet && process.stderr.isTTY === true);
  const run = scan(source, {
    plugins: builtinPlugins,
    containers: builtinContainers,
    concurrency: opts.concurrency,
    include: opts.include,
    exclude: opts.exclude,
    hash,
    limits,
    signal: controller.signal,
    case: { ...(opts.caseId ? { id: opts.caseId } : {}), ...(opts.examiner ? { examiner: opts.examiner } : {}) },
    recordOptions: { format: opts.format, ...(opts.sourceType ? { sourceType: opts.sourceType } : {}) },
  });
  let errors = 0;
  try {
    await writer.onScanStart?.(run.header);
    for await (const item of run) {
      if (item.errors.some((e) => e.severity === 'error')) errors++;
      await writer.onItem(item);
      progress.tick(item.size);
    }
  } finally {
    progress.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const summary = await run.summary;
  await writer.onScanEnd?.(summary);
  if (out !== process.stdout) await endStream(out);
  await source.close();
  if (!opts.quiet) process.stderr.write(summaryText(summary) + '\n' + (opts.output !== '-' ? `\nManifest written to ${opts.output}\n` : ''));
  if (!summary.complete) return EXIT.INTERRUPTED;
  return errors > 0 ? EXIT.ITEM_ERRORS : EXIT.OK;
}
