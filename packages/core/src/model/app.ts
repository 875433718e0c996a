/**
 * App attribution: which installed app a file belongs to, and by which rule.
 */
import { z } from 'zod';

export const Platform = z.enum(['android', 'ios']);
export type Platform = z.infer<typeof Platform>;

export const AppCategory = z.enum([
  'messaging',
  'social',
  'browser',
  'email',
  'media',
  'maps',
  'system',
  'productivity',
  'finance',
  'security',
  'other',
]);
export type AppCategory = z.infer<typeof AppCategory>;

export const App = z.object({
  /** Android package name or iOS bundle id, e.g. `com.whatsapp`, `net.whatsapp.WhatsApp`. */
  id: z.string().min(1),
  name: z.string().optional(),
  platform: Platform,
  category: AppCategory.optional(),
  /** The catalogue entry this app belongs to, when known (one entry covers Android and iOS ids). */
  catalogueId: z.string().optional(),
  /** The path rule or metadata that attributed it. */
  rule: z.string(),
  /** The identifier the path named when it differs from `id`: an app-group or extension id folded into its owning app. */
  via: z.string().optional(),
});
export type App = z.infer<typeof App>;
