/**
 * Evidence sources: where entries come from. A source enumerates entries
 * (deterministically, sorted by name) and gives read-only access to their bytes.
 */
import type { EntryKind, Times } from '../model/evidence-item.js';
import type { SourceInfo } from '../model/manifest.js';
import type { Encryption } from '../model/encryption.js';
import type { MemberLocation } from './zip-member.js';

/** Random read access to one entry's bytes. */
export interface ByteReader {
  readonly size: number;
  /** Reads up to `length` bytes at `position`; shorter only at the end of the entry. */
  read(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** What the container itself says about an entry (ZIP encryption flag, compression method...). */
export interface EntryFacts {
  /**
   * The container says the entry is encrypted: that decides its class, `reason` says where it says so,
   * and `format` is what the item is recorded as (the ciphertext identifies nothing).
   */
  encryption?: Encryption & { reason: string; format: { id: string; name: string } };
  /** Free-form container facts recorded under `details.container`. */
  container?: Record<string, unknown>;
  /**
   * Problems the container reported for this entry (bad name, CRC...), recorded as item errors: warnings unless
   * `severity` says error (the extracted bytes are known to differ from what was archived).
   */
  problems?: ReadonlyArray<{ code: string; message: string; severity?: 'warning' | 'error' }>;
}

export interface SourceEntry {
  /** POSIX path relative to the source root (lossy UTF-8 when the raw name is not UTF-8). */
  path: string;
  /** Base64 of the raw relative path bytes when they are not valid UTF-8. */
  rawPath?: string;
  /** The real path behind a stand-in name (iOS backups). */
  logicalPath?: string;
  kind: EntryKind;
  size: number;
  times: Times;
  mode?: number;
  linkTarget?: string;
  depth: number;
  /** A local file that can be read synchronously and in place (folder sources). */
  localPath?: string | Buffer;
  facts?: EntryFacts;
  /** Set when the entry could not be enumerated properly (lstat failed, unreadable folder). */
  error?: { code: string; message: string };
  /** Opens the bytes; absent for entries that must never be read (FIFOs, devices) or that have none. */
  open?: () => Promise<ByteReader>;
  /**
   * Where the bytes lie in a local archive file (plain stored or deflated ZIP members): a prober may read
   * them there itself, off the main thread (sources/zip-member.ts), with the same result as `open`.
   */
  location?: MemberLocation;
  /**
   * Reads a companion named like the entry plus a suffix (`-wal`), whole; sources without `localPath` may offer it
   * (ZIP, TAR, 7-Zip's: sources/companions.ts). Throws SiblingTooLargeError past `maxBytes`.
   */
  readSibling?: (suffix: string, maxBytes: number) => Promise<Buffer | undefined>;
  /**
   * Opens another file of the same folder in the same source by its name (the next volume of a split archive,
   * `a.7z.002` beside `a.7z.001`): undefined when absent, encrypted or not readable. Offered by ZIP (by path), TAR
   * (in place by offset, streamed by holding: sources/companions.ts) and 7-Zip's sources; a folder entry's
   * `localPath` gives its neighbours already.
   */
  openSibling?: (name: string) => Promise<ByteReader | undefined>;
  /** Called by the pipeline once the entry (and any archive nested in it) is done: streamed sources free kept bytes. */
  release?: () => void;
}

export interface EvidenceSource {
  readonly info: SourceInfo;
  /** Entries in a deterministic order (sorted by name, depth first). */
  entries(signal?: AbortSignal): AsyncIterable<SourceEntry>;
  /** Paths only, cheaply (no content reads), for the enumeration index; absent when listing costs a full pass. */
  listPaths?(signal?: AbortSignal): AsyncIterable<string>;
  /**
   * An archive's member paths (as its entries are named, before the container's prefix), from the listing it makes
   * anyway (a TAR's listing pass, 7-Zip's listing), for the archive's own index (scan-walk.ts, "Siblings inside an
   * archive"). Unlike `listPaths` it may cost the pass `entries()` then reuses, and need not list `entries()` one
   * for one (folders, links); it is never used to count or shard the walk. Rejects with `code: 'ARCHIVE_INDEX_LIMIT'`
   * when the archive kept no complete listing (past INDEX_MAX_MEMBERS).
   */
  memberPaths?(signal?: AbortSignal): AsyncIterable<string>;
  /**
   * Reads one small file by its source path, whole (the app-metadata pre-pass):
   * undefined when absent, not a regular file or larger than `maxBytes`.
   * Absent when the source cannot read by path cheaply.
   */
  readPath?(path: string, maxBytes: number): Promise<Buffer | undefined>;
  /** Releases file handles. */
  close(): Promise<void>;
}
