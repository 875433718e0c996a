/**
 * The config reference in docs/writing-a-plugin.md is the schema's: it must
 * equal what scripts/config-reference.mjs prints from the zod schema the CLI
 * validates config files with, and name every key.
 * Fix a failure with: node --conditions=@evtriage/source --import tsx scripts/config-reference.mjs --write
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../packages/cli/src/plugins/config.js';
import { configReference, DOC, referenceInDoc } from '../../scripts/config-reference.mjs';

describe('config reference', () => {
  const doc = fs.readFileSync(DOC, 'utf8');
  const table: string = configReference(configJsonSchema());

  it('is in the plugin guide between its markers, as generated', () => {
    expect(
      referenceInDoc(doc),
      'docs/writing-a-plugin.md lacks <!-- config:start --> / <!-- config:end -->',
    ).toBeDefined();
    expect(referenceInDoc(doc)).toBe(table);
  });

  it('has a row with a meaning for every key, nested keys dotted', () => {
    const keys = [...table.matchAll(/^\| `([^`]+)` \| [^|]+ \| (.+) \|$/gm)].map((m) => [
      m[1],
      m[2]!.trim().length > 0,
    ]);
    expect(keys.map((k) => k[0])).toEqual(
      expect.arrayContaining(['plugins', 'scan.hash', 'scan.limits.maxArchiveDepth', 'scan.limits.pluginTimeoutMs']),
    );
    expect(keys.every((k) => k[1])).toBe(true);
    expect(table).toContain('| `scan.concurrency` | integer, ≥ 1, ≤ 1024 |');
  });
});
