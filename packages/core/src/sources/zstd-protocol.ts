/** Messages between zstd-decoder.ts and its thread (zstd-worker.ts). */

export type ZstdRequest =
  /** A new stream: a fresh decoder (no reply). */
  | { type: 'start' }
  /** Compressed bytes; `final` after the stream's last bytes. */
  | { type: 'push'; bytes: Uint8Array; final: boolean };

export type ZstdReply =
  /** What the bytes decoded to, and how many of them were used (fewer when the output grew large). */
  | { type: 'output'; chunks: Uint8Array[]; used: number }
  /** The decoder refused the data; `chunks` is what it produced before. */
  | { type: 'error'; chunks: Uint8Array[]; message: string };
