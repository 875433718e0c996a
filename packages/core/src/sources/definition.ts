/**
 * Source definitions: a kind of evidence source (a folder, an archive, a
 * backup layout) declared as a value and passed to `openSource` in a list,
 * the way detectors, parsers and container openers are passed to `scan`.
 * There is no registry: the list the caller passes is all `openSource` knows
 * (`builtinSources` when none is given).
 */
import type fs from 'node:fs';
import type { ScanLimits } from '../limits.js';
import type { FolderLayout } from './folder-layout.js';
import type { EvidenceSource } from './source.js';

/** What `openSource` hands a source definition as it opens one. */
export interface SourceOpenContext {
  /** Limits the caller gave (archive sources apply the member and expanded-bytes limits). */
  limits?: Partial<ScanLimits>;
  /** The folder layouts of every source in the list, for a source that walks folders (an iOS backup in a folder). */
  layouts: readonly FolderLayout[];
}

export interface SourceDefinition {
  readonly kind: 'source';
  /** The kind's name (`--source-type <id>`), unique in a list; a source it opens records its own `info.kind`. */
  readonly id: string;
  /**
   * Whether the path is one of these, from its stat and at most a small head
   * read (never a walk). `openSource` asks the sources in list order and the
   * first yes wins, so a specific kind goes before a general one (the plain
   * folder is last in `builtinSources`). Absent: opened only when named.
   */
  guess?(path: string, stat: fs.Stats): boolean;
  /** Opens the source at `path`, read-only; throws a SourceError saying what to do when it cannot. */
  open(path: string, context: SourceOpenContext): Promise<EvidenceSource>;
  /**
   * The same layout recognised as a sub-folder of a folder source (a backup
   * under `MobileSync/Backup/<udid>/` in a computer image), when it has one.
   */
  readonly folderLayout?: FolderLayout;
}

/**
 * Declares a source kind (an identity helper, like defineDetector).
 *
 * @example
 * export const acmeDump = defineSource({
 *   id: 'acme-dump',
 *   guess: (p, st) => st.isDirectory() && fs.existsSync(path.join(p, 'ACME.idx')),
 *   open: async (p) => new AcmeDumpSource(p),
 * });
 * const source = await openSource(dir, { sources: [acmeDump, ...builtinSources] });
 */
export function defineSource(definition: Omit<SourceDefinition, 'kind'>): SourceDefinition {
  return { kind: 'source', ...definition };
}
