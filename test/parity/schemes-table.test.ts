/**
 * The README's table of encrypted schemes and key hints is what the built-in plugins give on their fixtures:
 * it must equal what scripts/scheme-table.mjs prints from a scan of packages/parsers/fixtures.
 * Fix a failure with: node --conditions=@evtriage/source --import tsx scripts/scheme-table.mjs --write
 */
import fs from 'node:fs';
import path from 'node:path';
import * as core from '@evtriage/core';
import * as parsers from '@evtriage/parsers';
import { describe, expect, it } from 'vitest';
import { repoRoot, tableInReadme } from '../../scripts/format-table.mjs';
import { SCHEMES_END, SCHEMES_START, schemeRows, schemeTable } from '../../scripts/scheme-table.mjs';

describe('README encrypted-schemes table', () => {
  it('lists every encrypted format and scheme the fixtures give, with its key hint, and every declared one', async () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const rows = await schemeRows(core, parsers);
    const table: string = schemeTable(rows, parsers.builtinDetectors);
    // Every row of an encrypted item names what unlocks it.
    for (const r of rows as Array<{ format: string; kind: string; words: string }>)
      expect(r.kind, `${r.format}: key hint kind`).not.toBe('(none)');
    expect(table).toMatch(/\| `luks2` \| `luks2-[a-z0-9-]+` \| password \|/);
    expect(tableInReadme(readme, SCHEMES_START, SCHEMES_END), 'README.md: run scripts/scheme-table.mjs --write').toBe(
      table,
    );
  }, 300_000);
});
