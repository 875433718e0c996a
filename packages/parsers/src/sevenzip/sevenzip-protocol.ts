/**
 * Messages between the 7-Zip thread (sevenzip-worker.ts) and the opener (sevenzip-runner.ts). The archive is
 * named by its host folder and file name: the thread mounts that folder (NODEFS) and only reads it.
 */
/** Where the archive is: its host folder and name. */
export interface ArchiveAt {
  dir: string;
  name: string;
  /**
   * 7-Zip's handler to open it with (`-t`), when 7-Zip left to itself would list something else: a `.deb` or RPM
   * opened without it lists what is inside its payload (7-Zip opens the main stream within), not the archive.
   */
  handler?: string;
}

export type SevenZipRequest =
  | ({
      type: 'list';
      /** Members whose lines are kept for the reply; those past it are only counted (`SevenZipReply.members`). */
      keepMembers: number;
    } & ArchiveAt)
  | ({
      type: 'extract';
      /** Host folder the members are written into (private to the scan). */
      out: string;
      /** Paths as 7-Zip listed them: exactly these are extracted (no wildcards). */
      paths: readonly string[];
    } & ArchiveAt);

export interface SevenZipReply {
  /** 7-Zip's exit code (0 fine, 1 warning, 2 fatal error, 7 bad command line, 8 out of memory). */
  code: number;
  /** Set when 7-Zip did not return but threw (an Emscripten exception): the instance is replaced. */
  threw?: string;
  stdout: string;
  stderr: string;
  /** Of a listing: how many members 7-Zip printed, kept or not. */
  members?: number;
}
