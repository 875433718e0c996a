/**
 * Opening a source from a path: the kind is detected from the path (folder,
 * archive by extension and magic) unless the caller names it.
 */
import fs from 'node:fs';
import type { ScanLimits } from '../limits.js';
import type { SourceKind } from '../model/manifest.js';
import { FolderSource } from './folder.js';
import type { EvidenceSource } from './source.js';

export class SourceError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'SourceError';
    this.code = code;
  }
}

/** What a caller may pass to a source as it opens (archive sources apply the member and ratio limits). */
export interface SourceOpenOptions {
  limits?: Partial<ScanLimits>;
}

/** Opens a source of one kind at a path. Kinds register here, so new sources need no change to callers. */
export type SourceFactory = (path: string, options?: SourceOpenOptions) => Promise<EvidenceSource>;

const factories = new Map<SourceKind, SourceFactory>([['folder', async (p) => new FolderSource(p)]]);
/** Guessers run in order; the first kind returned wins. */
const guessers: Array<(path: string, stat: fs.Stats) => SourceKind | undefined> = [];

export function registerSourceKind(
  kind: SourceKind,
  factory: SourceFactory,
  guess?: (path: string, stat: fs.Stats) => SourceKind | undefined,
): void {
  factories.set(kind, factory);
  if (guess) guessers.unshift(guess);
}

export function sourceKinds(): SourceKind[] {
  return [...factories.keys()];
}

/** Detects the kind of source at a path, or throws a SourceError saying what to do. */
export function detectSourceKind(path: string): SourceKind {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new SourceError(
        'SOURCE_NOT_FOUND',
        `${path} does not exist. Give the path of an extraction folder or archive.`,
      );
    if (code === 'EACCES')
      throw new SourceError(
        'SOURCE_UNREADABLE',
        `${path} cannot be read (permission denied). Run as a user who may read it.`,
      );
    throw new SourceError('SOURCE_UNREADABLE', `${path} cannot be read: ${(err as Error).message}`);
  }
  for (const g of guessers) {
    const kind = g(path, stat);
    if (kind) return kind;
  }
  if (stat.isDirectory()) return 'folder';
  throw new SourceError(
    'SOURCE_KIND_UNKNOWN',
    `${path} is not a folder or an archive evtriage can read (${[...factories.keys()].join(', ')}). Use --source-type to say what it is.`,
  );
}

export async function openSource(
  path: string,
  kind?: SourceKind,
  options?: SourceOpenOptions,
): Promise<EvidenceSource> {
  const k = kind ?? detectSourceKind(path);
  const factory = factories.get(k);
  if (!factory)
    throw new SourceError(
      'SOURCE_KIND_UNSUPPORTED',
      `source type ${k} is not supported; supported: ${[...factories.keys()].join(', ')}`,
    );
  if (k === 'folder') {
    try {
      fs.readdirSync(path);
    } catch (err) {
      throw new SourceError('SOURCE_UNREADABLE', `${path} cannot be listed: ${(err as Error).message}`);
    }
  }
  return factory(path, options);
}
