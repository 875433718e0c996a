/**
 * The command-line program: a thin layer that turns arguments into calls to @evtriage/core.
 */
import { Command, InvalidArgumentError } from 'commander';
// The version alone, not the core index: `evtriage --version` and `--help` load no scan machinery.
import { TOOL_VERSION } from '@evtriage/core/version';
// Each command's module loads when that command runs (a scan loads parsers, schemas and libmagic; help loads none).
import type { PluginFlags } from './plugins/setup.js';
import type { ScanCommandOptions } from './commands/scan.js';
import type { DiffCommandOptions } from './commands/diff.js';
import type { ReportCommandOptions } from './commands/report.js';
import type { VerifyOptions } from './commands/verify.js';
import type { MergeCommandOptions } from './commands/merge.js';
import { registerQueueCommands } from './queue/commands.js';

function intArg(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number.`);
    return n;
  };
}
const collect = (v: string, prev: string[]) => [...prev, v];
/** A byte count: a whole number, optionally with K, M, G or T (powers of 1024). */
function bytesArg(name: string) {
  return (v: string) => {
    const m = /^(\d+)\s*([KMGT])?i?B?$/i.exec(v.trim());
    if (!m) throw new InvalidArgumentError(`${name} must be a byte count such as 1000000, 512M or 64G.`);
    return Number(m[1]) * 1024 ** ' KMGT'.indexOf((m[2] ?? ' ').toUpperCase());
  };
}

/** Builds the program; `setExit` receives the exit code of the command that ran. */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('evtriage')
    .description(
      'Triage a mobile-device extraction: what is there, what can be read, what is locked and what would unlock it.',
    )
    .version(TOOL_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    // Before any subcommand is added, so they inherit it: errors throw, bin.ts maps them to exit codes.
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`evtriage: ${str.replace(/^error: /, '')}`) });

  program
    .command('scan')
    .description('scan an extraction folder or archive and write a triage manifest')
    .argument(
      '<source>',
      'extraction folder, ZIP, TAR (plain or compressed: .gz, .xz, .zst, .bz2, .lzma, .lz), a lone compressed file, or iOS backup folder',
    )
    .option('-o, --output <file>', 'manifest file to write (- for standard output)')
    .option(
      '-f, --format <format>',
      'output format: json or ndjson (manifests), html (report), csv, case (CASE/UCO JSON-LD), dfxml (default: from the output extension, else json)',
    )
    .option('-c, --concurrency <n>', 'files processed at once', intArg('--concurrency'), 64)
    .option('--include <glob>', 'only entries whose path matches (repeatable)', collect, [])
    .option('--exclude <glob>', 'skip entries whose path matches (repeatable)', collect, [])
    .option('--hash <list>', 'digests to compute, comma-separated: md5,sha1,sha256')
    .option(
      '--known <set>',
      'known-file hash set, good:<file> or bad:<file> (NSRL RDS SQLite, or a list of MD5/SHA-1/SHA-256); repeatable; enables the digests it needs',
      collect,
      [],
    )
    .option(
      '--collapse-known',
      'count known-good items in the summary only, leaving them out of the format, app and encrypted tables',
    )
    .option('--case-id <id>', 'case identifier recorded in the manifest header')
    .option('--examiner <name>', 'examiner recorded in the manifest header')
    .option(
      '--source-type <type>',
      'override source detection: folder, zip, tar, tar.gz, tar.xz, tar.zst, tar.bz2, tar.lzma, tar.lz, tar.lz4, tar.Z, tar.lzo, 7z, rar, ios-backup',
    )
    .option('--max-depth <n>', 'how deep to open archives inside archives (default 4)', intArg('--max-depth'))
    .option(
      '--max-expanded <bytes>',
      'bytes archives inside the source may expand to in all, and the most one member or stream of a source archive may expand to, e.g. 64G (default 64G; zip-bomb guard)',
      bytesArg('--max-expanded'),
    )
    .option(
      '--max-ratio <n>',
      'largest expanded/compressed ratio accepted for a member or stream over 1 MiB of an archive inside the source (default 200; the source archive itself is read whole)',
      intArg('--max-ratio'),
    )
    .option('--max-members <n>', 'members read from one archive at most (default 2000000)', intArg('--max-members'))
    .option(
      '--item-timeout <ms>',
      'time one item may take through all stages before it is recorded with ITEM_TIMEOUT (default 60000)',
      intArg('--item-timeout'),
    )
    .option(
      '--resume <partial>',
      'finish an interrupted JSON or NDJSON manifest without redoing the items it records (in place unless -o names another file)',
    )
    .option('--hash-source', 'record the SHA-256 of the source archive file in the manifest header')
    .option('--no-progress', 'no progress display on stderr')
    .option('-q, --quiet', 'no progress and no summary on stderr')
    .option(
      '--plugin <module-or-path>',
      'load detectors/parsers/app rules from a module or file (repeatable)',
      collect,
      [],
    )
    .option(
      '--config <file>',
      'config file naming plugins and scan defaults (default: evtriage.config.{json,mjs,js} in the current folder)',
    )
    .option(
      '--shard <K/N>',
      'scan only part K of N of the source (contiguous runs of its walk), for `evtriage merge` (docs/distributed.md)',
    )
    .option(
      '--no-isolate-plugins',
      'run --plugin detectors on the main thread and every parser in the CLI process instead of worker threads and ' +
        'child processes (a synchronous hang or crash then stops the scan)',
    )
    .action(async (source: string, opts: ScanCommandOptions & PluginFlags, cmd: Command) => {
      // A probe worker loads the detectors while this thread loads the scan's modules; a scan refused at once
      // (no source, no output folder) needs none (a source plugin taking other names only starts a little later).
      const prestart = await import('./prestart.js');
      if (prestart.worthPrestart(source, opts.output, opts.resume)) await prestart.prestartScan();
      const { applyScanDefaults, setupPlugins } = await import('./plugins/setup.js');
      const { runScan } = await import('./commands/scan.js');
      setExit(await runScan(source, applyScanDefaults(opts, await setupPlugins(opts), cmd)));
    });

  program
    .command('plugins')
    .description('list every detector, parser and app rule set with its version and formats')
    .option('--json', 'print JSON')
    .option('--plugin <module-or-path>', 'also load plugins from a module or file (repeatable)', collect, [])
    .option(
      '--config <file>',
      'config file naming plugins (default: evtriage.config.{json,mjs,js} in the current folder)',
    )
    .action(async (opts: { json?: boolean } & PluginFlags) => {
      const { setupPlugins } = await import('./plugins/setup.js');
      const { runPlugins } = await import('./commands/plugins.js');
      setExit(runPlugins(opts, (await setupPlugins(opts)).loaded));
    });

  program
    .command('validate')
    .description('check a manifest (JSON or NDJSON) against the schema')
    .argument('<manifest>', 'manifest file')
    .option('--max <n>', 'problems to print at most', intArg('--max'), 20)
    .action(async (file: string, opts: { max: number }) =>
      setExit(await (await import('./commands/validate.js')).runValidate(file, opts)),
    );

  program
    .command('summary')
    .description('print the summary tables of a saved manifest')
    .argument('<manifest>', 'manifest file')
    .action(async (file: string) => setExit(await (await import('./commands/summary.js')).runSummary(file)));

  program
    .command('report')
    .description('convert a saved manifest into a report or interchange format (HTML, CSV, CASE/UCO, DFXML)')
    .argument('<manifest>', 'manifest file (JSON or NDJSON)')
    .option('-o, --output <file>', 'file to write (- for standard output)')
    .option(
      '-f, --format <format>',
      'html, csv, case, dfxml, json or ndjson (default: from the output extension, else html)',
    )
    .option('-q, --quiet', 'print nothing on stderr')
    .action(async (file: string, opts: ReportCommandOptions) =>
      setExit(await (await import('./commands/report.js')).runReport(file, opts)),
    );

  program
    .command('diff')
    .description(
      'compare two manifests of the same source: items added, removed, and changed (classification, format, hash, size, app, encryption)',
    )
    .argument('<a>', 'the earlier manifest')
    .argument('<b>', 'the later manifest')
    .option('--json', 'one JSON object per difference, then the totals')
    .option('--max <n>', 'differences to print at most', intArg('--max'))
    .action(async (a: string, b: string, opts: DiffCommandOptions) =>
      setExit(await (await import('./commands/diff.js')).runDiff(a, b, opts)),
    );

  program
    .command('verify')
    .description('re-hash the source and compare with the digests a manifest recorded (exit 1 on any difference)')
    .argument('<manifest>', 'manifest written by evtriage scan with --hash and/or --hash-source')
    .argument('<source>', 'the folder or archive it was made from')
    .option('-c, --concurrency <n>', 'files processed at once', intArg('--concurrency'), 64)
    .option('--max <n>', 'differences to print at most (all are counted)', intArg('--max'), 50)
    .option(
      '--plugin <module-or-path>',
      'load source kinds (and plugins) from a module or file, as the scan did (repeatable)',
      collect,
      [],
    )
    .option(
      '--config <file>',
      'config file naming plugins (default: evtriage.config.{json,mjs,js} in the current folder)',
    )
    .action(async (manifest: string, source: string, opts: VerifyOptions & PluginFlags) => {
      const { setupPlugins } = await import('./plugins/setup.js');
      const { sources } = await setupPlugins(opts);
      const { runVerify } = await import('./commands/verify.js');
      setExit(await runVerify(manifest, source, { ...opts, sources: sources.map((s) => s.source) }));
    });

  program
    .command('merge')
    .description('merge the parts of a sharded scan (scan --shard K/N) into the manifest one scan would have written')
    .argument('<parts...>', 'the NDJSON parts, in any order')
    .option('-o, --output <file>', 'manifest file to write (- for standard output)')
    .option('-f, --format <format>', 'ndjson or json (default: from the output extension, else ndjson)')
    .option('-q, --quiet', 'print nothing on stderr')
    .action(async (parts: string[], opts: MergeCommandOptions) =>
      setExit(await (await import('./commands/merge.js')).runMerge(parts, opts)),
    );

  registerQueueCommands(program, setExit);
  return program;
}
