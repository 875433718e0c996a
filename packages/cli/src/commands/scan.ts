/**
 * `evtriage scan <source>`: triage a folder or archive into a manifest.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { builtinWriters, endStream, HASH_ALGORITHMS, hashFile, openSource, ResumeError, scan, SourceError, type HashAlgorithm, type Plugin, type SourceKind, type ScanLimits } from '@evtriage/core';
import { createKnownMatcher, KnownSetError, loadKnownSet, type KnownMatcher } from '@evtriage/core';
import { builtinContainers, builtinPlugins, builtinPluginsModule } from '@evtriage/parsers';
import { CliError, EXIT } from '../exit-codes.js';
import { createProgress } from '../progress.js';
import { summaryText } from '../summary-text.js';
import { checkCompatible, createResumeOutput, planResume, type ResumePlan } from './resume.js';

export interface ScanCommandOptions {
  output?: string;
  format: string;
  concurrency: number;
  include: string[];
  exclude: string[];
  caseId?: string;
  examiner?: string;
  hash?: string;
  /** Known-file sets, `good:<file>` / `bad:<file>` (see docs/performance.md). */
  known?: string[];
  collapseKnown?: boolean;
  sourceType?: string;
  maxDepth?: number;
  maxExpanded?: number;
  maxRatio?: number;
  maxMembers?: number;
  progress: boolean;
  quiet?: boolean;
  /** Plugins loaded with --plugin or from the config file, added to the built-ins. */
  extraPlugins?: readonly Plugin[];
  /** Module URLs of those plugins' parsers, which run in the parse child processes with the built-ins'. */
  parserModules?: readonly string[];
  /** false (`--no-isolate-plugins`): every plugin runs in the CLI's own process. */
  isolatePlugins?: boolean;
  /** Limits from the config file. */
  limits?: Partial<ScanLimits>;
  /** Per-item time limit in milliseconds (`limits.itemTimeoutMs`). */
  itemTimeout?: number;
  /** A partial NDJSON manifest to finish (see commands/resume.ts). */
  resume?: string;
  /** Record the SHA-256 of a source archive file in the header. */
  hashSource?: boolean;
}

/** Loads the `--known` sets (before the scan starts, so a bad set is reported at once). */
function loadKnown(opts: ScanCommandOptions): KnownMatcher | undefined {
  if (opts.collapseKnown && !opts.known?.length) throw new CliError('--collapse-known needs at least one --known good:<file> set.');
  if (!opts.known?.length) return undefined;
  try {
    return createKnownMatcher(opts.known.map((k) => loadKnownSet(k)));
  } catch (err) {
    if (err instanceof KnownSetError) throw new CliError(err.message);
    throw err;
  }
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
  let plan: ResumePlan | undefined;
  if (opts.resume) {
    // A resumed manifest is NDJSON (the only encoding that can be appended to) and goes back into the partial file unless -o says otherwise.
    if (opts.format !== 'json' && opts.format !== 'ndjson') throw new CliError(`--resume writes NDJSON; --format ${opts.format} cannot be resumed.`);
    opts = { ...opts, format: 'ndjson', output: opts.output ?? opts.resume };
    if (opts.output === '-') throw new CliError('--resume cannot write to standard output; give -o <file> or leave -o out to finish the partial file in place.');
    guardOutput(opts.resume!, sourcePath);
    plan = await planResume(opts.resume!, opts.output, builtinContainers.flatMap((c) => c.formats));
  }
  if (opts.itemTimeout !== undefined && (!Number.isInteger(opts.itemTimeout) || opts.itemTimeout < 1)) throw new CliError('--item-timeout must be a whole number of milliseconds, 1 or more.');
  const factory = builtinWriters[opts.format];
  if (!factory) throw new CliError(`--format ${opts.format} is not known. Use one of: ${Object.keys(builtinWriters).join(', ')}.`);
  if (!opts.output) throw new CliError('give an output file with -o <file> (or -o - to write the manifest to standard output).');
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1 || opts.concurrency > 1024) throw new CliError('--concurrency must be a whole number from 1 to 1024.');
  const hash = parseHashList(opts.hash);
  const known = loadKnown(opts);
  if (opts.output !== '-') guardOutput(opts.output, sourcePath);

  let source;
  try {
    // The archive limits apply to a top-level ZIP/TAR too (member count, ratio).
    const sourceLimits: Partial<ScanLimits> = {
      ...(opts.maxRatio !== undefined ? { maxExpansionRatio: opts.maxRatio } : {}),
      ...(opts.maxMembers !== undefined ? { maxArchiveMembers: opts.maxMembers } : {}),
    };
    source = await openSource(sourcePath, opts.sourceType as SourceKind | undefined, { limits: sourceLimits });
  } catch (err) {
    if (err instanceof SourceError) throw new CliError(err.message);
    throw err;
  }

  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const resumeOut = plan ? createResumeOutput(plan) : undefined;
  const out: Writable = resumeOut ?? (opts.output === '-' ? process.stdout : fs.createWriteStream(opts.output));
  const writer = factory(out);
  const limits: Partial<ScanLimits> = { ...opts.limits };
  if (opts.maxDepth !== undefined) limits.maxArchiveDepth = opts.maxDepth;
  if (opts.maxExpanded !== undefined) limits.maxExpandedBytes = opts.maxExpanded;
  if (opts.maxRatio !== undefined) limits.maxExpansionRatio = opts.maxRatio;
  if (opts.maxMembers !== undefined) limits.maxArchiveMembers = opts.maxMembers;
  if (opts.itemTimeout !== undefined) limits.itemTimeoutMs = opts.itemTimeout;
  const progress = createProgress(process.stderr, opts.progress && !opts.quiet && process.stderr.isTTY === true);
  const run = scan(source, {
    plugins: [...builtinPlugins, ...(opts.extraPlugins ?? [])],
    containers: builtinContainers,
    // Built-in detectors run on the probe workers, beside the bytes they read (docs/performance.md).
    workerDetectorModules: [builtinPluginsModule],
    // Parsers from modules run in supervised child processes: a loop, crash or heap blow-up costs one item.
    ...(opts.isolatePlugins !== false ? { parserModules: [builtinPluginsModule, ...(opts.parserModules ?? [])] } : {}),
    concurrency: opts.concurrency,
    include: opts.include,
    exclude: opts.exclude,
    hash,
    ...(known ? { known, collapseKnownGood: opts.collapseKnown === true } : {}),
    limits,
    signal: controller.signal,
    case: { ...(opts.caseId ? { id: opts.caseId } : {}), ...(opts.examiner ? { examiner: opts.examiner } : {}) },
    recordOptions: { format: opts.format, ...(opts.sourceType ? { sourceType: opts.sourceType } : {}), ...(opts.hashSource ? { hashSource: true } : {}) },
    ...(plan ? { resume: plan.items() } : {}),
  });
  let errors = 0;
  let written = 0;
  try {
    if (plan) checkCompatible(plan.point.header, run.header);
    else if (opts.hashSource) {
      if (source.info.kind === 'folder') {
        // A folder has no single byte stream to hash; --hash hashes every file instead.
        run.header.options['hashSource'] = 'not applicable: the source is a folder (use --hash to hash every file)';
      } else if (fs.statSync(sourcePath).isFile()) {
        try {
          run.header.source = { ...run.header.source, sha256: await hashFile(sourcePath, 'sha256', controller.signal) };
        } catch (err) {
          if (!controller.signal.aborted) throw new CliError(`--hash-source: cannot hash ${sourcePath}: ${(err as Error).message}`);
          // Interrupted before the scan began: no manifest at all rather than an empty file that looks like one.
          if (out !== process.stdout) {
            await endStream(out);
            fs.rmSync(opts.output, { force: true });
          }
          throw new CliError('interrupted while hashing the source (--hash-source); no manifest was written.', EXIT.INTERRUPTED);
        }
      } else {
        run.header.options['hashSource'] = `not applicable: the ${source.info.kind} source is not a single file`;
      }
    }
    if (!plan) await writer.onScanStart?.(run.header);
    for await (const item of run) {
      if (item.errors.some((e) => e.severity === 'error')) errors++;
      await writer.onItem(item);
      written++;
      progress.tick(item.size);
    }
  } catch (err) {
    if (err instanceof ResumeError) throw new CliError(`--resume: ${err.message}`);
    throw err;
  } finally {
    progress.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const summary = await run.summary;
  if (plan) errors += plan.recordedWithErrors;
  if (plan && !summary.complete && written === 0) {
    // Interrupted before anything new was recorded: leave the partial manifest exactly as it was.
    await source.close();
    if (!opts.quiet) process.stderr.write(`Interrupted before any new item was recorded; ${plan.file} is unchanged. Run the same command again to resume.\n`);
    return EXIT.INTERRUPTED;
  }
  await writer.onScanEnd?.(summary);
  if (out !== process.stdout) await endStream(out);
  await source.close();
  known?.close();
  if (!opts.quiet) process.stderr.write(summaryText(summary) + '\n' + (opts.output !== '-' ? `\nManifest written to ${opts.output}\n` : ''));
  if (!opts.quiet && !summary.complete && opts.format === 'ndjson' && opts.output !== '-') {
    process.stderr.write(`The manifest is partial (its last record says complete: false). To finish it: evtriage scan ${sourcePath} --resume ${opts.output} (with the same options).\n`);
  }
  if (!summary.complete) return EXIT.INTERRUPTED;
  return errors > 0 ? EXIT.ITEM_ERRORS : EXIT.OK;
}
