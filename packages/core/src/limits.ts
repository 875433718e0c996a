/**
 * Named budgets with units. Every length, count or offset read from evidence
 * is checked against one of these; hitting a limit is recorded, never a crash.
 */
export interface ScanLimits {
  /** Bytes read from the start of every file for identification. */
  probeHeadBytes: number;
  /** Bytes read from the end of every file (ZIP end records, PDF trailers). */
  probeTailBytes: number;
  /** Size of each block sampled from the middle of large files for statistics. */
  probeSampleBytes: number;
  /** How many blocks are sampled from the middle. */
  probeSampleCount: number;
  /** Largest item a parser may read whole into memory (SQLite copies, plists). */
  parseMaxBytes: number;
  /** Time one plugin call may take before it is abandoned, in milliseconds. */
  pluginTimeoutMs: number;
  /** Time one item may take through all stages, in milliseconds. */
  itemTimeoutMs: number;
  /** Nested archive depth (the source itself is depth 0). */
  maxArchiveDepth: number;
  /** Total bytes that nested archives may expand to, across the scan. */
  maxExpandedBytes: number;
  /** Largest expanded/compressed ratio accepted for an archive member or stream. */
  maxExpansionRatio: number;
  /** Members read from one archive at most. */
  maxArchiveMembers: number;
  /**
   * Heap cap of each parse child process, in MiB (`--max-old-space-size`): a
   * parser that allocates past it ends its child, and the item gets MEMORY_LIMIT.
   */
  workerHeapMb: number;
}

export const DEFAULT_LIMITS: Readonly<ScanLimits> = Object.freeze({
  probeHeadBytes: 16 * 1024,
  probeTailBytes: 8 * 1024,
  probeSampleBytes: 4 * 1024,
  probeSampleCount: 3,
  parseMaxBytes: 256 * 1024 * 1024,
  pluginTimeoutMs: 10_000,
  itemTimeoutMs: 60_000,
  maxArchiveDepth: 4,
  maxExpandedBytes: 64 * 1024 * 1024 * 1024,
  maxExpansionRatio: 200,
  maxArchiveMembers: 2_000_000,
  workerHeapMb: 512,
});
