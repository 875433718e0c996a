/**
 * A 7z or RAR archive chosen as the source itself (`evtriage scan evidence.7z`), read by the same 7-Zip opener
 * as a nested one, with the limits of a source archive: no expansion-ratio guard (the archive is the evidence,
 * read whole), the member count and expanded-bytes limits kept. What 7-Zip reports about the archive itself
 * becomes an entry of its own (`evidence.7z!/`), as for a ZIP or TAR source; one it cannot list at all is the
 * source's one item.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_LIMITS, defineSource, SourceError } from '@evtriage/core/contract';
import { openReadOnly } from '@evtriage/core/helpers';
import { zipSource as coreZip } from '@evtriage/core/internal-readers';
import type { EvidenceItem, EvidenceSource, SourceEntry, SourceOpenContext } from '@evtriage/core';
import { sevenZipContainer } from './sevenzip-container.js';
import { fdReader } from './sevenzip-extraction.js';
import { DEFAULT_TIMEOUTS } from './sevenzip-container.js';
import { ZipMethodsSource } from './sevenzip-zip-methods.js';

const SEVENZIP_MAGIC = Buffer.from('377abcaf271c', 'hex');
const RAR_MAGIC = Buffer.from('Rar!\x1a\x07', 'latin1');

function head(file: string): Buffer {
  const fd = openReadOnly(file);
  try {
    const b = Buffer.alloc(8);
    return b.subarray(0, fs.readSync(fd, b, 0, 8, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/** `7z` or `rar` by the file's magic (7-Zip's signature header; RAR 1.5-4 and 5 share their first six bytes). */
function kindOf(file: string, stat: fs.Stats): '7z' | 'rar' | undefined {
  if (!stat.isFile()) return undefined;
  try {
    const h = head(file);
    if (h.subarray(0, 6).equals(SEVENZIP_MAGIC)) return '7z';
    if (h.subarray(0, 6).equals(RAR_MAGIC)) return 'rar';
  } catch {
    // Unreadable: not guessed.
  }
  return undefined;
}

/** Problems 7-Zip reported about the archive itself, then its members. */
class WithArchiveProblems implements EvidenceSource {
  readonly info: EvidenceSource['info'];
  readonly memberPaths?: NonNullable<EvidenceSource['memberPaths']>;
  constructor(
    private readonly inner: EvidenceSource,
    private readonly problems: EvidenceItem['errors'],
    name: string,
    kind: string,
    private readonly prefix = `${name}!/`,
  ) {
    // The kind that opened it (`evtriage verify` reopens the source by it), not 7-Zip's name for the format.
    this.info = { ...inner.info, kind };
    if (inner.memberPaths) this.memberPaths = (signal) => inner.memberPaths!(signal);
    else if (inner.listPaths) this.memberPaths = (signal) => inner.listPaths!(signal);
  }

  async *entries(signal?: AbortSignal): AsyncIterable<SourceEntry> {
    for (const p of this.problems)
      yield {
        path: this.prefix,
        kind: 'other',
        size: 0,
        times: {},
        depth: 0,
        error: { code: p.code, message: p.message },
      };
    yield* this.inner.entries(signal);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The archive file itself as the source's one entry. */
class LoneFileSource implements EvidenceSource {
  readonly info: EvidenceSource['info'];
  constructor(
    file: string,
    kind: string,
    private readonly entry: SourceEntry,
  ) {
    this.info = { path: file, kind };
  }

  async *entries(): AsyncIterable<SourceEntry> {
    const file = this.entry.localPath as string;
    yield {
      ...this.entry,
      open: () => Promise.resolve(fdReader(openReadOnly(file))),
    };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A source archive's limits (no ratio guard: it is the evidence, read whole) and its own expansion budget. */
function sourceLimits(limits: SourceOpenContext['limits']) {
  const all = { ...DEFAULT_LIMITS, ...limits, maxExpansionRatio: Number.POSITIVE_INFINITY };
  let expanded = 0;
  const budget = {
    get expanded() {
      return expanded;
    },
    take(bytes: number) {
      if (expanded + bytes > all.maxExpandedBytes) return false;
      expanded += bytes;
      return true;
    },
  };
  return { all, budget };
}

async function open(p: string, limits: SourceOpenContext['limits']): Promise<EvidenceSource> {
  const stat = fs.statSync(p);
  const kind = kindOf(p, stat);
  if (!kind) throw new SourceError('SOURCE_NOT_ARCHIVE', `${p} is not a 7z or RAR archive (no 7z or RAR signature)`);
  const { all, budget } = sourceLimits(limits);
  const item = {
    path: p,
    errors: [],
    classification: { status: 'analysable', confidence: 1, certainty: 'certain', reasons: [] },
    format: { id: kind },
  } as unknown as EvidenceItem;
  const entry: SourceEntry = {
    path: path.basename(p),
    kind: 'file',
    size: stat.size,
    times: {},
    depth: 0,
    localPath: p,
  };
  try {
    const inner = await sevenZipContainer.open(entry, item, { limits: all, budget, depth: 1 });
    return new WithArchiveProblems(inner, item.errors, path.basename(p), kind);
  } catch {
    // Not listed (headers encrypted, damaged, past a limit): the archive is the one item there is, which the scan
    // identifies (an encrypted one as encrypted) and tries to open as it would inside a folder, recording why not.
    return new LoneFileSource(p, kind, entry);
  }
}

export const sevenZipSourceKind = defineSource({
  id: '7z',
  guess: (p, st) => kindOf(p, st) === '7z',
  open: (p, c) => open(p, c.limits),
});

export const rarSourceKind = defineSource({
  id: 'rar',
  guess: (p, st) => kindOf(p, st) === 'rar',
  open: (p, c) => open(p, c.limits),
});

/**
 * A ZIP chosen as the source: core's ZIP source, its members in methods core does not decode (PPMd, implode,
 * shrink...) read through 7-Zip as inside a source (sevenzip-zip-methods.ts), with a source's limits.
 */
export const zipSourceKind = defineSource({
  id: 'zip',
  guess: (p, st) => coreZip.guess?.(p, st) ?? false,
  async open(p, c) {
    const inner = await coreZip.open(p, c);
    const { all, budget } = sourceLimits(c.limits);
    const entry: SourceEntry = {
      path: path.basename(p),
      kind: 'file',
      size: fs.statSync(p).size,
      times: {},
      depth: 0,
      localPath: p,
    };
    const item = { path: p } as EvidenceItem;
    return new ZipMethodsSource(inner, entry, item, { limits: all, budget, depth: 1 }, DEFAULT_TIMEOUTS, undefined);
  },
});

/** The source kinds this package adds to core's built-in ones (before them: its ZIP kind replaces core's). */
export const sevenZipSourceKinds = [sevenZipSourceKind, rarSourceKind, zipSourceKind] as const;
