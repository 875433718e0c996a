/**
 * Reasons and diagnostics: why the tool decided what it decided about a file,
 * and what went wrong while it looked. Every decision carries at least one reason
 * so an analyst can defend it.
 */
import { z } from 'zod';

/** A figure recorded with a reason (entropy, an offset, a header field's value). */
export const Figure = z.union([z.number(), z.string(), z.boolean()]);
export type Figure = z.infer<typeof Figure>;

/** One reason behind a decision: a stable code, a sentence, and who said it. */
export const Reason = z.object({
  /** Stable SCREAMING_SNAKE code, e.g. `SIGNATURE_MATCH`, `ZIP_ENTRY_ENCRYPTED`. */
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  /** One human sentence an analyst can read aloud. */
  message: z.string(),
  /** The plugin (or engine stage) that gave the reason, e.g. `sqlite`, `engine:classify`. */
  by: z.string(),
  /** Figures that back the reason (offsets, header values, statistics). */
  figures: z.record(z.string(), Figure).optional(),
});
export type Reason = z.infer<typeof Reason>;

/** Pipeline stages; an error names the stage it happened in. */
export const Stage = z.enum([
  'enumerate',
  'probe',
  'identify',
  'classify',
  'parse',
  'attribute',
  'hash',
  'container',
  'post',
]);
export type Stage = z.infer<typeof Stage>;

/** A problem with one item. Never thrown away, never fatal to the scan. */
export const ItemError = z.object({
  stage: Stage,
  /** Stable SCREAMING_SNAKE code with a prefix, e.g. `E_READ`, `PLUGIN_THREW`. */
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  message: z.string(),
  /** The plugin involved, when there is one. */
  plugin: z.string().optional(),
  severity: z.enum(['error', 'warning', 'info']).default('error'),
});
export type ItemError = z.infer<typeof ItemError>;
