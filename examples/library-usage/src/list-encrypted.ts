/**
 * Library usage: scan a folder (or archive) from a script, without the CLI,
 * and list the encrypted items with their scheme and what would unlock them.
 *
 *   node --conditions=@evtriage/source --import tsx src/list-encrypted.ts <folder>
 *
 * (Inside this repository the two flags run the TypeScript sources; with the
 * published packages a plain `node list-encrypted.js <folder>` does.)
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  builtinSources,
  openSource,
  scan,
  type EvidenceItem,
  type Plugin,
  type SourceDefinition,
} from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '@evtriage/parsers';

/** One encrypted item, as this script reports it. */
export interface EncryptedItem {
  path: string;
  format: string;
  scheme: string;
  certainty: string;
  /** What would unlock it, and whether it is in the extraction. */
  unlock: string;
}

/** Third-party additions: plugins beside the built-in ones, source kinds asked before the built-in ones. */
export interface Extensions {
  plugins?: readonly Plugin[];
  sources?: readonly SourceDefinition[];
}

/**
 * Scans `location` with the built-in plugins and source kinds (plus any given) and returns the encrypted items, in scan order.
 *
 * @example
 * for (const e of await listEncrypted('extraction/')) console.log(e.path, e.scheme);
 */
export async function listEncrypted(location: string, extensions: Extensions = {}): Promise<EncryptedItem[]> {
  // Source kinds are passed like plugins: a third-party kind goes first, so it is asked before the plain folder.
  const source = await openSource(location, { sources: [...(extensions.sources ?? []), ...builtinSources] });
  try {
    const run = scan(source, {
      plugins: [...builtinPlugins, ...(extensions.plugins ?? [])],
      containers: builtinContainers,
    });
    const found: EncryptedItem[] = [];
    for await (const item of run) if (item.classification.status === 'encrypted') found.push(describe(item));
    const summary = await run.summary;
    if (!summary.complete) throw new Error(`the scan of ${location} did not complete`);
    return found;
  } finally {
    await source.close();
  }
}

function describe(item: EvidenceItem): EncryptedItem {
  const hint = item.encryption?.keyHint;
  const where =
    hint?.present === 'yes'
      ? `present at ${hint.foundAt?.join(', ')}`
      : hint?.present === 'no'
        ? 'not in the extraction'
        : 'unknown whether present';
  return {
    path: item.path,
    format: item.format?.id ?? 'unknown',
    scheme: item.encryption?.scheme ?? 'unknown',
    certainty: item.classification.certainty,
    unlock: hint ? `${hint.kind}: ${hint.description} (${where})` : 'no hint',
  };
}

async function main(args: string[]): Promise<number> {
  const location = args[0];
  if (!location) {
    process.stderr.write('usage: list-encrypted <folder-or-archive>\n');
    return 2;
  }
  const items = await listEncrypted(location);
  for (const e of items) process.stdout.write(`${e.path}\t${e.format}\t${e.scheme}\t${e.certainty}\t${e.unlock}\n`);
  process.stderr.write(`${items.length} encrypted item(s) in ${location}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`list-encrypted: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
