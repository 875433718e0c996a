/**
 * The manifest's JSON Schema, generated from the zod model (the single source
 * of truth) for consumers that do not use TypeScript. Checked in as
 * `packages/core/manifest.schema.json`; a test fails when it is stale.
 */
import { z } from 'zod';
import { Manifest, ManifestLine } from './manifest.js';

export function manifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(z.object({ document: Manifest, line: ManifestLine }), { io: 'input', unrepresentable: 'any' }),
    $id: 'https://evtriage.invalid/schema/manifest-1.json',
    title: 'evtriage triage manifest',
    description: '`document` is the JSON encoding; each NDJSON line is one `line` (header, item or summary).',
  };
}
