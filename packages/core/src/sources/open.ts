/**
 * Opening a source from a path: the kind is detected from the path (folder,
 * archive by extension and magic) unless the caller names it, among the
 * source definitions the caller passes (`builtinSources` by default).
 */
import fs from 'node:fs';
import type { ScanLimits } from '../limits.js';
import { builtinSources } from './builtin.js';
import type { SourceDefinition } from './definition.js';
import { SourceError } from './source-error.js';
import type { EvidenceSource } from './source.js';

export { SourceError } from './source-error.js';

/** What a caller may pass as a source opens. */
export interface SourceOpenOptions {
  /** The kind (a source definition's id); detected from the path when absent. */
  kind?: string;
  /** The source kinds known, asked in order (default `builtinSources`); pass `[...mine, ...builtinSources]` to add kinds. */
  sources?: readonly SourceDefinition[];
  /** Limits archive sources apply (member count, expanded bytes). */
  limits?: Partial<ScanLimits>;
}

const ids = (sources: readonly SourceDefinition[]) => sources.map((s) => s.id).join(', ');

function statOf(path: string): fs.Stats {
  try {
    return fs.statSync(path);
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
}

/** Detects the kind of source at a path (the id of the first source whose guess says yes), or throws a SourceError saying what to do. */
export function detectSourceKind(path: string, sources: readonly SourceDefinition[] = builtinSources): string {
  const stat = statOf(path);
  const found = sources.find((s) => s.guess?.(path, stat) === true);
  if (found) return found.id;
  throw new SourceError(
    'SOURCE_KIND_UNKNOWN',
    `${path} is not a folder or an archive evtriage can read (${ids(sources)}). Use --source-type to say what it is.`,
  );
}

/** Opens the source at a path, of the kind named or detected. */
export async function openSource(path: string, options: SourceOpenOptions = {}): Promise<EvidenceSource> {
  const sources = options.sources ?? builtinSources;
  const kind = options.kind ?? detectSourceKind(path, sources);
  const definition = sources.find((s) => s.id === kind);
  if (!definition)
    throw new SourceError(
      'SOURCE_KIND_UNSUPPORTED',
      `source type ${kind} is not supported; supported: ${ids(sources)}`,
    );
  const layouts = sources.flatMap((s) => (s.folderLayout ? [s.folderLayout] : []));
  return definition.open(path, { ...(options.limits ? { limits: options.limits } : {}), layouts });
}
