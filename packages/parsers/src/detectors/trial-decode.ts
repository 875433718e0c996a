/**
 * Trial decoding: the check behind weak magic. A two-byte zlib header, an
 * LZMA properties byte or no header at all (raw DEFLATE) is hit by chance in
 * random bytes; decoding the first KiB tells a real stream from a chance
 * match, and headerless compressed data from ciphertext. Output is bounded,
 * so a bomb costs at most `maxOutput` bytes.
 * Reference: RFC 1950 (zlib), RFC 1951 (DEFLATE).
 */
import zlib from 'node:zlib';

/** Decode at most this much input: enough for a chance match in random bytes to fail (the first KiB and more). */
export const TRIAL_INPUT_BYTES = 4096;
const MAX_OUTPUT_BYTES = 256 * 1024;

export interface TrialResult {
  /** The input decoded without error (to its end, or up to the cut). */
  ok: boolean;
  /** Bytes of input tried. */
  input: number;
  /** Bytes produced (at most the output bound; `capped` when it was reached). */
  output: number;
  capped: boolean;
  /** The stream ended within the bytes tried. */
  ended: boolean;
  error?: string;
}

/**
 * Inflates the start of `bytes` as raw DEFLATE or zlib. `complete` says the
 * bytes are the whole file: then the stream must also end.
 */
export function trialInflate(bytes: Uint8Array, kind: 'raw' | 'zlib', complete: boolean): TrialResult {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, TRIAL_INPUT_BYTES));
  const options = { maxOutputLength: MAX_OUTPUT_BYTES };
  const inflate = kind === 'raw' ? zlib.inflateRawSync : zlib.inflateSync;
  try {
    // Z_FINISH first: a stream that ends inside the input decodes whole.
    const out = inflate(input, options);
    return { ok: true, input: input.length, output: out.length, capped: false, ended: true };
  } catch (finishError) {
    if (isCapped(finishError)) return { ok: true, input: input.length, output: MAX_OUTPUT_BYTES, capped: true, ended: false };
    if (complete && input.length === bytes.length) return failed(input.length, finishError);
    // Cut short by the trial window: decode what there is, without requiring the end.
    try {
      const out = inflate(input, { ...options, finishFlush: zlib.constants.Z_SYNC_FLUSH });
      return { ok: out.length > 0, input: input.length, output: out.length, capped: false, ended: false };
    } catch (syncError) {
      if (isCapped(syncError)) return { ok: true, input: input.length, output: MAX_OUTPUT_BYTES, capped: true, ended: false };
      return failed(input.length, syncError);
    }
  }
}

function isCapped(error: unknown): boolean {
  return (error as { code?: string })?.code === 'ERR_BUFFER_TOO_LARGE';
}

function failed(input: number, error: unknown): TrialResult {
  return { ok: false, input, output: 0, capped: false, ended: false, error: error instanceof Error ? error.message : String(error) };
}
