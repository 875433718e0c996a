/**
 * Runtime schemas for what plugins hand back to the engine: a detector's
 * detections and a parser's diagnostics. The engine checks every answer
 * against these (a plugin is untrusted code as far as the manifest is
 * concerned); the test kit checks them too, so a plugin author sees the same
 * verdict in CI as the engine gives at scan time.
 */
import { z } from 'zod';
import { EntropyFigures, Status } from '../model/classification.js';
import { Encryption } from '../model/encryption.js';
import { FormatId } from '../model/format.js';
import { Figure } from '../model/reason.js';
import { EVIDENCE_BASES } from './types.js';

/** SCREAMING_SNAKE, as every reason and diagnostic code in the manifest. */
export const PluginCode = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'codes are SCREAMING_SNAKE, e.g. ACME_MAGIC');

/** A reason as a plugin gives it (the engine adds `by`). */
export const PluginReasonSchema = z
  .object({
    code: PluginCode,
    message: z.string().min(1),
    figures: z.record(z.string(), Figure).optional(),
  })
  .strict();

/** A reason in a detection: the message may be left to the template `meta.reasons` declares. */
export const DetectionReasonSchema = z
  .object({
    code: PluginCode,
    message: z.string().min(1).optional(),
    figures: z.record(z.string(), Figure).optional(),
  })
  .strict();

/**
 * One detection as a detector must return it. Strict: unknown keys are a
 * mistake in the plugin (a misspelt `encrpytion` would otherwise vanish).
 *
 * @example
 * const checked = DetectionSchema.safeParse(await detector.detect(probe, ctx));
 * if (!checked.success) console.error(checked.error.issues);
 */
export const DetectionSchema = z
  .object({
    format: z
      .object({
        id: FormatId,
        name: z.string().min(1),
        mime: z.string().optional(),
        extensions: z.array(z.string()).optional(),
      })
      .strict(),
    status: Status,
    confidence: z.number().min(0).max(1),
    reasons: z.array(DetectionReasonSchema).min(1, 'a detection needs at least one reason'),
    encryption: Encryption.optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    entropy: EntropyFigures.optional(),
    basis: z.enum(EVIDENCE_BASES).optional(),
  })
  .strict();

/** A detector's whole answer: nothing, one detection or several. */
export const DetectResultSchema = z.union([z.undefined(), z.null(), DetectionSchema, z.array(DetectionSchema)]);

/**
 * A diagnostic as a parser reports it through `ctx.report`: a `message`, or
 * `data` for the placeholders of the template `meta.diagnostics` declares.
 */
export const DiagnosticSchema = z
  .object({
    code: PluginCode,
    severity: z.enum(['error', 'warning', 'info']),
    message: z.string().optional(),
    data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict();

/** The first problem of a failed check, as a short phrase naming the field (`reasons.0.code: ...`). */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  return `${where}${issue.message}`;
}
