/**
 * Encryption: the scheme protecting an item and what would unlock it.
 */
import { z } from 'zod';

export const KeyHint = z.object({
  /** What unlocks it, in words: "the 32-byte key in data/data/com.whatsapp/files/key". */
  description: z.string(),
  /** Kind of secret. */
  kind: z.enum(['password', 'key-file', 'keystore', 'hardware', 'unknown']),
  /** Whether the secret is present in this extraction: `yes` with where, `no` when it cannot be, `unknown` otherwise. */
  present: z.enum(['yes', 'no', 'unknown']),
  /** Source-relative paths where the key material was found. */
  foundAt: z.array(z.string()).optional(),
  /** Path patterns (relative to the source) where the key would be, for the post-pass. */
  lookFor: z.array(z.string()).optional(),
});
export type KeyHint = z.infer<typeof KeyHint>;

export const Encryption = z.object({
  /** Short scheme id: `whatsapp-crypt15`, `zipcrypto`, `winzip-aes`, `sqlcipher`, `pdf-rc4-128`... */
  scheme: z.string().min(1),
  /** `full`: the content is locked; `partial`: some fields or entries are (e.g. message bodies, some ZIP members). */
  scope: z.enum(['full', 'partial']).default('full'),
  keyHint: KeyHint.optional(),
});
export type Encryption = z.infer<typeof Encryption>;
