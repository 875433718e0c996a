/**
 * `evtriage scan <source>`: triage a folder or archive into a manifest.
 */
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import {
  builtinWriters,
  createJsonWriter,
  HASH_ALGORITHMS,
  builtinSources,
  openSource,
  scan,
  SourceError,
  type HashAlgorithm,
  type Plugin,
  type SourceDefinition,
  type ScanLimits,
} from '@evtriage/core';
import { endStream, hashFile, ResumeError } from '@evtriage/core/internal';
import {
  createKnownMatcher,
  KnownSetError,
  loadKnownSet,
  parseShard,
  type KnownMatcher,
  type ShardSpec,
} from '@evtriage/core';
import {
  builtinContainers,
  builtinDetectorsModule,
  builtinParsersModule,
  builtinAppRulesModule,
  builtinPlugins,
  sevenZipSourceKinds,
} from '@evtriage/parsers';
import { CliError, EXIT } from '../exit-codes.js';
import { setInternalErrorStopper } from '../internal-error.js';
import { guardOutput, isClosedPipe, openOutput, outputProblem } from '../output.js';
import { outputFormat } from '../output-format.js';
import { createProgress } from '../progress.js';
import { summaryText } from '../summary-text.js';
import { checkCompatible, createResumeOutput, planResume, WHY_NOT_RESUMABLE, type ResumePlan } from './resume.js';

export interface ScanCommandOptions {
  output?: string;
  /** -f; when absent, taken from the output's extension (JSON for standard output or no extension). */
  format?: string;
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
  /** Source kinds those plugins provide, asked before the built-in ones. */
  extraSources?: readonly SourceDefinition[];
  /** Module URLs of those plugins' detectors, which run on the supervised probe workers with the built-ins'. */
  detectorModules?: readonly string[];
  /** Module URLs of those plugins' parsers, which run in the parse child processes with the built-ins'. */
  parserModules?: readonly string[];
  appRuleModules?: readonly string[];
  /** false (`--no-isolate-plugins`): every plugin runs in the CLI's own process. */
  isolatePlugins?: boolean;
  /** Limits from the config file. */
  limits?: Partial<ScanLimits>;
  /** Per-item time limit in milliseconds (`limits.itemTimeoutMs`). */
  itemTimeout?: number;
  /** A partial JSON or NDJSON manifest to finish (see commands/resume.ts). */
  resume?: string;
  /** Record the SHA-256 of a source archive file in the header. */
  hashSource?: boolean;
  /** `K/N`: scan part K of N (docs/distributed.md). */
  shard?: string;
  /** Called after each item is written (the queue worker's progress). */
  onItemWritten?: (written: number) => void;
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** Loads the `--known` sets (before the scan starts, so a bad set is reported at once). */
function loadKnown(opts: ScanCommandOptions): KnownMatcher | undefined {
  if (opts.collapseKnown && !opts.known?.length)
    throw new CliError('--collapse-known needs at least one --known good:<file> set.');
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
  const list = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const a of list)
    if (!HASH_ALGORITHMS.includes(a as HashAlgorithm))
      throw new CliError(
        `--hash: unknown algorithm "${a}". Use any of ${HASH_ALGORITHMS.join(', ')}, comma-separated.`,
      );
  return [...new Set(list)] as HashAlgorithm[];
}

/** `--shard K/N`: parts are NDJSON (what `merge` reads) and cannot be resumed. */
function shardOf(opts: ScanCommandOptions): ShardSpec | undefined {
  if (opts.shard === undefined) return undefined;
  let spec: ShardSpec;
  try {
    spec = parseShard(opts.shard);
  } catch (err) {
    throw new CliError(`--shard: ${(err as Error).message}`);
  }
  if (opts.format !== 'ndjson')
    throw new CliError(
      `--shard writes a part for \`evtriage merge\`, which reads NDJSON; add -f ndjson (not ${opts.format}).`,
    );
  if (opts.resume) throw new CliError('--shard and --resume cannot be combined: scan the shard again instead.');
  return spec;
}

export async function runScan(sourcePath: string, given: ScanCommandOptions): Promise<number> {
  let plan: ResumePlan | undefined;
  let opts = {
    ...given,
    format: given.resume ? (given.format ?? 'ndjson') : outputFormat(given.format, given.output, 'json'),
  };
  if (opts.resume) {
    // A resumed manifest keeps its encoding (JSON or NDJSON) and goes back into the partial file unless -o says otherwise.
    if (opts.format !== 'json' && opts.format !== 'ndjson')
      throw new CliError(
        `--resume finishes a JSON or NDJSON manifest; --format ${opts.format} cannot be resumed (make it afterwards with evtriage report).`,
      );
    opts = { ...opts, output: opts.output ?? opts.resume };
    if (opts.output === '-')
      throw new CliError(
        '--resume cannot write to standard output; give -o <file> or leave -o out to finish the partial file in place.',
      );
    guardOutput(opts.resume!, sourcePath);
    plan = await planResume(
      opts.resume!,
      opts.output,
      builtinContainers.flatMap((c) => c.formats),
    );
    const encoding = plan.point.encoding;
    if (given.format && given.format !== encoding)
      throw new CliError(
        `--resume continues ${opts.resume} in its own encoding (${encoding}); leave out --format ${given.format}.`,
      );
    opts = { ...opts, format: encoding };
  }
  if (opts.itemTimeout !== undefined && (!Number.isInteger(opts.itemTimeout) || opts.itemTimeout < 1))
    throw new CliError('--item-timeout must be a whole number of milliseconds, 1 or more.');
  const factory = builtinWriters[opts.format];
  if (!factory)
    throw new CliError(`--format ${opts.format} is not known. Use one of: ${Object.keys(builtinWriters).join(', ')}.`);
  if (!opts.output)
    throw new CliError('give an output file with -o <file> (or -o - to write the manifest to standard output).');
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1 || opts.concurrency > 1024)
    throw new CliError('--concurrency must be a whole number from 1 to 1024.');
  const hash = parseHashList(opts.hash);
  const shard = shardOf(opts);
  const known = loadKnown(opts);
  if (opts.output !== '-') guardOutput(opts.output, sourcePath);

  let source;
  try {
    // A top-level ZIP/TAR is the evidence itself: read whole (no ratio guard), within the member count and
    // the expanded-bytes limit. The ratio guard is for archives found inside it.
    const sourceLimits: Partial<ScanLimits> = {
      ...(opts.maxExpanded !== undefined ? { maxExpandedBytes: opts.maxExpanded } : {}),
      ...(opts.maxMembers !== undefined ? { maxArchiveMembers: opts.maxMembers } : {}),
    };
    source = await openSource(sourcePath, {
      ...(opts.sourceType ? { kind: opts.sourceType } : {}),
      // 7z and RAR sources read through 7-Zip (WebAssembly), which lives with the built-in plugins.
      sources: [...(opts.extraSources ?? []), ...sevenZipSourceKinds, ...builtinSources],
      limits: sourceLimits,
    });
  } catch (err) {
    if (err instanceof SourceError) throw new CliError(err.message);
    throw err;
  }

  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const resumeOut = plan ? createResumeOutput(plan) : undefined;
  const out: Writable = resumeOut ?? openOutput(opts.output);
  resumeOut?.on('error', () => undefined);
  // A resumed JSON document continues after its last kept item.
  const writer =
    plan?.point.encoding === 'json' ? createJsonWriter(out, { continuing: plan.point.items > 0 }) : factory(out);
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
    // Detectors from modules run on the supervised probe workers, beside the bytes they read: a loop, crash or
    // heap blow-up costs that detector's answer on one file (docs/architecture.md, "Where per-item work runs").
    workerDetectorModules: [
      builtinDetectorsModule,
      ...(opts.isolatePlugins !== false ? (opts.detectorModules ?? []) : []),
    ],
    onNote: (message) => {
      if (!opts.quiet) process.stderr.write(`evtriage: note: ${message}\n`);
    },
    // Parsers from modules run in supervised child processes: a loop, crash or heap blow-up costs one item.
    ...(opts.isolatePlugins !== false ? { parserModules: [builtinParsersModule, ...(opts.parserModules ?? [])] } : {}),
    // Readers of device app lists and container metadata run on a supervised thread: a loop or heap blow-up
    // costs one file's warning, never the scan (docs/forensic-soundness.md §6).
    ...(opts.isolatePlugins !== false
      ? { appMetadataModules: [builtinAppRulesModule, ...(opts.appRuleModules ?? [])] }
      : {}),
    concurrency: opts.concurrency,
    include: opts.include,
    exclude: opts.exclude,
    hash,
    ...(known ? { known, collapseKnownGood: opts.collapseKnown === true } : {}),
    limits,
    signal: controller.signal,
    case: { ...(opts.caseId ? { id: opts.caseId } : {}), ...(opts.examiner ? { examiner: opts.examiner } : {}) },
    recordOptions: {
      format: opts.format,
      ...(opts.sourceType ? { sourceType: opts.sourceType } : {}),
      ...(opts.hashSource ? { hashSource: true } : {}),
    },
    ...(plan ? { resume: plan.items() } : {}),
    ...(shard ? { shard } : {}),
  });
  let errors = 0;
  let written = 0;
  let internal: unknown;
  let closed!: () => void;
  const manifestClosed = new Promise<void>((resolve) => (closed = resolve));
  setInternalErrorStopper((err) => {
    internal ??= err;
    controller.abort();
    return manifestClosed;
  });
  /** After an internal error: the summary (counts of what was written) marked incomplete, naming the error. */
  const endIncomplete = async (err: unknown): Promise<void> => {
    try {
      // The scan resolves its summary as it unwinds; a failure before it started never does.
      const partial = await Promise.race([
        run.summary,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no summary')), 10_000).unref()),
      ]);
      await writer.onScanEnd?.({
        ...partial,
        complete: false,
        interruption: `internal error (a bug in evtriage): ${describeError(err)}`,
      });
      if (out !== process.stdout) await endStream(out);
      if (!opts.quiet && opts.output !== '-')
        process.stderr.write(`The manifest ${opts.output} is partial and marked incomplete.\n`);
    } catch {
      // The manifest could not be finished (the error may be in writing it): it stays partial, without a summary.
    }
  };
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
          if (!controller.signal.aborted)
            throw new CliError(`--hash-source: cannot hash ${sourcePath}: ${(err as Error).message}`);
          // Interrupted before the scan began: no manifest at all rather than an empty file that looks like one.
          if (out !== process.stdout) {
            await endStream(out);
            fs.rmSync(opts.output, { force: true });
          }
          throw new CliError(
            'interrupted while hashing the source (--hash-source); no manifest was written.',
            EXIT.INTERRUPTED,
          );
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
      opts.onItemWritten?.(written);
      progress.tick(item.size);
    }
  } catch (err) {
    if (err instanceof ResumeError) throw new CliError(`--resume: ${err.message}`);
    if (isClosedPipe(err)) {
      // The reader of standard output went away (`| head`): stop quietly, as Unix tools do.
      controller.abort();
      await source.close();
      return EXIT.OK;
    }
    if (isWriteError(err)) {
      controller.abort();
      await source.close();
      throw new CliError(`${outputProblem(opts.output, err)} The scan was stopped; the manifest is incomplete.`);
    }
    if (!(err instanceof CliError)) {
      // A bug: exit 70 (bin.ts), never 1, with the manifest ended and marked incomplete.
      await endIncomplete(err);
      await source.close().catch(() => undefined);
    }
    throw err;
  } finally {
    progress.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    setInternalErrorStopper(undefined);
    if (internal === undefined) closed();
  }
  if (internal !== undefined) {
    await endIncomplete(internal);
    await source.close().catch(() => undefined);
    closed();
    return EXIT.INTERNAL;
  }
  const summary = await run.summary;
  if (plan) errors += plan.recordedWithErrors;
  if (plan && !summary.complete && written === 0) {
    // Interrupted before anything new was recorded: leave the partial manifest exactly as it was.
    await source.close();
    if (!opts.quiet)
      process.stderr.write(
        `Interrupted before any new item was recorded; ${plan.file} is unchanged. Run the same command again to resume.\n`,
      );
    return EXIT.INTERRUPTED;
  }
  try {
    await writer.onScanEnd?.(summary);
    if (out !== process.stdout) await endStream(out);
  } catch (err) {
    await source.close();
    if (isClosedPipe(err)) return EXIT.OK;
    if (isWriteError(err)) throw new CliError(`${outputProblem(opts.output, err)} The manifest is incomplete.`);
    throw err;
  }
  await source.close();
  known?.close();
  if (!opts.quiet)
    process.stderr.write(
      summaryText(summary) + '\n' + (opts.output !== '-' ? `\nManifest written to ${opts.output}\n` : ''),
    );
  if (!opts.quiet && !summary.complete && (opts.format === 'ndjson' || opts.format === 'json') && opts.output !== '-') {
    process.stderr.write(
      `The manifest is partial (its summary says complete: false). To finish it: evtriage scan ${sourcePath} --resume ${opts.output} (with the same options).\n`,
    );
  } else if (!opts.quiet && !summary.complete) {
    process.stderr.write(
      `The ${opts.output === '-' ? 'manifest on standard output' : `${opts.format} output`} is partial and cannot be resumed. ${WHY_NOT_RESUMABLE}\n`,
    );
  }
  if (!summary.complete) return EXIT.INTERRUPTED;
  return errors > 0 ? EXIT.ITEM_ERRORS : EXIT.OK;
}

/** An error from writing the output (a system error with a code), as opposed to a bug. */
function isWriteError(err: unknown): err is NodeJS.ErrnoException {
  const e = err as NodeJS.ErrnoException | undefined;
  return typeof e?.code === 'string' && typeof e.syscall === 'string';
}
