/**
 * `evtriage verify <manifest> <source>`: shows that the evidence is still
 * what the manifest recorded. It re-hashes the source archive when the header
 * holds its SHA-256 (`--hash-source`), then walks the source again exactly as
 * the scan did (same plugins, filters and limits, so nested archive members
 * are reached the same way) and compares the digests of every item that has
 * them. Both sides stream in the scan's deterministic order, so memory grows
 * only with the number of differences, not with the number of items.
 *
 * A source of a kind a plugin provides (`defineSource`) is reopened with the
 * same `--plugin`; digests do not depend on detectors or parsers, so only the
 * plugins' source kinds are used.
 *
 * Exit codes: 0 every digest matches; 1 some difference (changed, missing or
 * new item, or source hash); 2 could not run (no hashes in the manifest,
 * unreadable manifest or source).
 */
import fs from 'node:fs';
import {
  builtinSources,
  openSource,
  readManifest,
  scan,
  SourceError,
  type EvidenceItem,
  type HashAlgorithm,
  type ManifestHeader,
  type SourceDefinition,
} from '@evtriage/core';
import { hashFile } from '@evtriage/core/internal';
import { builtinContainers, builtinParsersModule, builtinPlugins } from '@evtriage/parsers';
import { CliError, EXIT } from '../exit-codes.js';

export interface VerifyOptions {
  concurrency: number;
  /** Differences printed at most (all are counted). */
  max: number;
  /** Source kinds from plugins, asked before the built-in ones (as in scan). */
  sources?: readonly SourceDefinition[];
}

/** Unmatched items kept while the two streams are out of step, at most. */
const MAX_PENDING = 100_000;

const keyOf = (i: Pick<EvidenceItem, 'path' | 'rawPath'>) => (i.rawPath ? `raw:${i.rawPath}\0${i.path}` : i.path);

/**
 * Items waiting for their partner, by key; a key listed more than once (a
 * hand-edited or hostile manifest) keeps every copy in order, so each is
 * compared or reported, none silently replaced by the next.
 */
class Waiting {
  private byKey = new Map<string, EvidenceItem[]>();
  size = 0;
  add(item: EvidenceItem): void {
    const k = keyOf(item);
    const queue = this.byKey.get(k);
    if (queue) queue.push(item);
    else this.byKey.set(k, [item]);
    this.size++;
  }
  take(k: string): EvidenceItem | undefined {
    const queue = this.byKey.get(k);
    if (!queue) return undefined;
    const item = queue.shift()!;
    if (queue.length === 0) this.byKey.delete(k);
    this.size--;
    return item;
  }
  *values(): Generator<EvidenceItem> {
    for (const queue of this.byKey.values()) yield* queue;
  }
}

export async function runVerify(manifestFile: string, sourcePath: string, opts: VerifyOptions): Promise<number> {
  if (!fs.existsSync(manifestFile))
    throw new CliError(
      `${manifestFile} does not exist. Give the manifest written by evtriage scan, then the source it was made from.`,
    );
  const problems: string[] = [];
  const records = readManifest(manifestFile, (p) => problems.push(`${p.where}: ${p.message}`))[Symbol.asyncIterator]();
  const first = await records.next();
  if (first.done || first.value.type !== 'header')
    throw new CliError(`${manifestFile} does not start with a manifest header; it is not a manifest evtriage wrote.`);
  const header: ManifestHeader = first.value.header;
  const algorithms = ((header.options['hash'] as string[] | undefined) ?? []) as HashAlgorithm[];
  if (algorithms.length === 0 && !header.source.sha256) {
    throw new CliError(
      `${manifestFile} records no digests (the scan ran without --hash or --hash-source), so there is nothing to verify. Scan again with --hash sha256.`,
    );
  }

  let differences = 0;
  const say = (line: string) => {
    differences++;
    if (differences <= opts.max) process.stdout.write(line + '\n');
  };

  if (header.source.sha256) {
    let now: string;
    try {
      now = await hashFile(sourcePath, 'sha256');
    } catch (err) {
      throw new CliError(`cannot hash the source ${sourcePath}: ${(err as Error).message}`);
    }
    if (now === header.source.sha256) process.stdout.write(`source sha256 matches: ${now}\n`);
    else say(`CHANGED source sha256: recorded ${header.source.sha256}, now ${now}`);
  }
  if (algorithms.length === 0) return finish(0, 0);

  // 7z and RAR sources come with the built-in plugins (7-Zip compiled to WebAssembly): loaded only for them.
  const sevenZip =
    header.source.kind === '7z' || header.source.kind === 'rar' || header.source.kind === 'zip'
      ? (await import('@evtriage/parsers')).sevenZipSourceKinds
      : [];
  const sources = [...(opts.sources ?? []), ...sevenZip, ...builtinSources];
  if (!sources.some((s) => s.id === header.source.kind))
    throw new CliError(
      `${manifestFile} was made from a source of kind ${header.source.kind}, which no loaded plugin provides. Give the --plugin (or --config) the scan was given.`,
    );
  let source;
  try {
    source = await openSource(sourcePath, { kind: header.source.kind, sources });
  } catch (err) {
    if (err instanceof SourceError) throw new CliError(err.message);
    throw err;
  }
  const o = header.options;
  const run = scan(source, {
    plugins: builtinPlugins,
    containers: builtinContainers,
    // As in scan: a file that sends a parser into a loop or a crash costs that item, not the verification.
    parserModules: [builtinParsersModule],
    concurrency: opts.concurrency,
    hash: algorithms,
    ...(Array.isArray(o['include']) ? { include: o['include'] as string[] } : {}),
    ...(Array.isArray(o['exclude']) ? { exclude: o['exclude'] as string[] } : {}),
    ...(o['limits'] && typeof o['limits'] === 'object' ? { limits: o['limits'] } : {}),
  });

  // Merge-join in scan order; out-of-step items wait in two maps until their partner turns up.
  const recordedWaiting = new Waiting();
  const currentWaiting = new Waiting();
  let checked = 0;
  let matched = 0;
  const compare = (recorded: EvidenceItem, current: EvidenceItem) => {
    if (!recorded.hashes) return;
    checked++;
    const bad = algorithms.filter(
      (a) => recorded.hashes?.[a] !== undefined && recorded.hashes[a] !== current.hashes?.[a],
    );
    if (bad.length === 0) matched++;
    else
      for (const a of bad)
        say(
          `CHANGED ${a} ${JSON.stringify(recorded.path)}: recorded ${recorded.hashes[a]}, now ${current.hashes?.[a] ?? '(not computed: ' + (current.errors[0]?.message ?? 'no content') + ')'}`,
        );
  };
  const recordedIter = (async function* () {
    for (;;) {
      const r = await records.next();
      if (r.done) return;
      if (r.value.type === 'item') yield r.value.item;
    }
  })()[Symbol.asyncIterator]();
  let recordedDone = false;
  for await (const current of run) {
    const k = keyOf(current);
    const waiting = recordedWaiting.take(k);
    if (waiting) {
      compare(waiting, current);
      continue;
    }
    let paired = false;
    while (!recordedDone) {
      const r = await recordedIter.next();
      if (r.done) {
        recordedDone = true;
        break;
      }
      if (keyOf(r.value) === k) {
        compare(r.value, current);
        paired = true;
        break;
      }
      const early = currentWaiting.take(keyOf(r.value));
      if (early) compare(r.value, early);
      else recordedWaiting.add(r.value);
      if (recordedWaiting.size > MAX_PENDING)
        throw new CliError(
          `more than ${MAX_PENDING} items are out of step between the manifest and the source: the source is not the one scanned, or the options differ.`,
        );
    }
    if (!paired) currentWaiting.add(current);
    if (currentWaiting.size > MAX_PENDING)
      throw new CliError(
        `more than ${MAX_PENDING} items of the source are not in the manifest: the source is not the one scanned, or the options differ.`,
      );
  }
  for (;;) {
    const r = await recordedIter.next();
    if (r.done) break;
    const early = currentWaiting.take(keyOf(r.value));
    if (early) compare(r.value, early);
    else recordedWaiting.add(r.value);
  }
  await source.close();
  for (const r of recordedWaiting.values())
    if (r.hashes)
      say(
        `MISSING ${JSON.stringify(r.path)}: recorded with ${Object.keys(r.hashes).join(', ')}, not in the source now`,
      );
  for (const c of currentWaiting.values()) say(`NEW ${JSON.stringify(c.path)}: in the source, not in the manifest`);
  if (problems.length > 0)
    throw new CliError(
      `${manifestFile} has ${problems.length} invalid record(s), first: ${problems[0]}. Check it with evtriage validate.`,
    );
  return finish(checked, matched);

  function finish(checkedItems: number, matchedItems: number): number {
    if (differences > opts.max) process.stdout.write(`... ${differences - opts.max} more difference(s) not shown\n`);
    process.stdout.write(
      `${differences === 0 ? 'verified' : 'DIFFERENCES'}: ${matchedItems} of ${checkedItems} hashed item(s) match (${algorithms.join(', ') || 'source hash only'}); ${differences} difference(s).\n`,
    );
    return differences === 0 ? EXIT.OK : EXIT.ITEM_ERRORS;
  }
}
