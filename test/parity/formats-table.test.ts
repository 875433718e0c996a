/**
 * The README's table of detected formats is the registry's: it must equal
 * what scripts/format-table.mjs prints from the built-in detectors.
 * Fix a failure with: node --conditions=@evtriage/source --import tsx scripts/format-table.mjs --write
 */
import fs from 'node:fs';
import path from 'node:path';
import { builtinDetectors } from '@evtriage/parsers';
import { describe, expect, it } from 'vitest';
import { formatTable, repoRoot, tableInReadme } from '../../scripts/format-table.mjs';

describe('README format table', () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const table: string = formatTable(builtinDetectors);

  it('has the formats markers', () => {
    expect(tableInReadme(readme), 'README.md lacks <!-- formats:start --> / <!-- formats:end -->').toBeDefined();
  });

  it('lists every format the built-in detectors declare, with class, method and detector', () => {
    expect(tableInReadme(readme)).toBe(table);
  });

  it('names each class and method in words and has one row per declared format', () => {
    const declared = builtinDetectors.reduce((n, d) => n + d.meta.formats.length, 0);
    expect(table.split('\n').length - 2).toBe(declared);
    expect(table).toMatch(/\| `luks2` \| LUKS2 encrypted volume \| encrypted \| header field \| `disk-encryption` \|/);
  });
});
