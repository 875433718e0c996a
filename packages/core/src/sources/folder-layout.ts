/**
 * Folder layouts: a source kind that is a folder with a known layout (an
 * iTunes/Finder backup) declares how to recognise it from the names in a
 * folder and how to annotate the entries under it, so the same layout is
 * understood wherever it sits — as the source itself, or as a folder inside
 * a folder source (`MobileSync/Backup/<udid>/` in a computer image). The
 * folder walk knows no format: it asks the layouts it was given (those of the
 * source definitions passed to `openSource`, see definition.ts).
 */
import type { SourceEntry } from './source.js';

/** What a recognised layout folder offers the walk. */
export interface FolderLayoutIndex {
  /**
   * Adds what the layout knows to an entry under the folder: its real
   * (logical) path, container facts, encryption. `inside` is the entry's
   * path relative to the layout folder; `prefix` is the layout folder's path
   * in the source ('' at the top), to prefix logical paths with.
   */
  annotate(
    entry: SourceEntry,
    inside: string,
    prefix: string,
    readStored: (inside: string, maxBytes: number) => Promise<Buffer | undefined>,
  ): void;
  /** The logical path behind a stored path (relative to the layout folder), for the path index. */
  logicalOf(inside: string): string | undefined;
  /** The stored path (relative to the layout folder) of a logical path, for reads by real path. */
  storedOf(logical: string): string | undefined;
}

export interface FolderLayout {
  id: string;
  /** Whether a folder holding these names is one (names only: no extra file-system calls). */
  matches(names: ReadonlySet<string>): boolean;
  /** Reads the layout's own index files (small) from the folder. */
  open(absDir: string): FolderLayoutIndex;
}
