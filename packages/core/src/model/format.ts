/**
 * Format: what a file is, which detector said so, and whether its extension agrees.
 */
import { z } from 'zod';

/** Short stable lowercase format id: `sqlite`, `bplist`, `whatsapp-crypt15`, `zip-encrypted`. */
export const FormatId = z.string().regex(/^[a-z0-9][a-z0-9.+-]*$/);
export type FormatId = z.infer<typeof FormatId>;

export const Format = z.object({
  id: FormatId,
  name: z.string(),
  mime: z.string().optional(),
  /** The file's extension as named (lowercase, no dot), if it has one. */
  extension: z.string().optional(),
  /** True when the extension is one this format is not known by. */
  extensionMismatch: z.boolean(),
  /** The detector (plugin id) whose detection won. */
  detector: z.string(),
});
export type Format = z.infer<typeof Format>;
