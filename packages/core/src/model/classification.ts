/**
 * Classification: the one status every item gets (analysable, encrypted,
 * opaque, unreadable), its confidence, its reasons, and the statistics behind
 * a statistical decision.
 */
import { z } from 'zod';
import { Reason } from './reason.js';

export const Status = z.enum(['analysable', 'encrypted', 'opaque', 'unreadable']);
export type Status = z.infer<typeof Status>;

/** Words for confidence bands, so reports read as people speak: "encrypted, suspected". */
export const Certainty = z.enum(['certain', 'likely', 'suspected']);
export type Certainty = z.infer<typeof Certainty>;

/** Statistics over sampled blocks of a file. */
export const EntropyFigures = z.object({
  /** Shannon entropy in bits per byte (0-8) over the sampled bytes. */
  shannon: z.number().min(0).max(8),
  /** Pearson chi-square of the byte histogram against uniform (255 degrees of freedom). */
  chiSquare: z.number().min(0),
  /** Upper-tail probability of that chi-square under uniform bytes; near 0 means "not random". */
  chiSquareP: z.number().min(0).max(1),
  /** Compressed size divided by sampled size (deflate, level 1); near 1 means incompressible. */
  compressionRatio: z.number().min(0).optional(),
  /** How many bytes the figures were computed over. */
  sampledBytes: z.number().int().min(0),
  /** How many separate blocks were sampled. */
  blocks: z.number().int().min(0),
});
export type EntropyFigures = z.infer<typeof EntropyFigures>;

export const Classification = z.object({
  status: Status,
  /** 0-1. Structure (a signature, a header field) gives 0.9 or more; statistics alone stay below 0.7. */
  confidence: z.number().min(0).max(1),
  certainty: Certainty,
  reasons: z.array(Reason).min(1),
  entropy: EntropyFigures.optional(),
});
export type Classification = z.infer<typeof Classification>;

/** Maps a numeric confidence to the word used in reports. */
export function certaintyOf(confidence: number): Certainty {
  if (confidence >= 0.9) return 'certain';
  if (confidence >= 0.7) return 'likely';
  return 'suspected';
}
