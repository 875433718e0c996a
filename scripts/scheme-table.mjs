// Prints the README's table of encrypted schemes and their key hints, as the built-in plugins give them on the
// fixtures they ship (packages/parsers/fixtures, scanned through the real pipeline): one row per format and
// scheme, with the key hint's kind and words from the first fixture (by path) that gives it, then the encrypted
// formats the detectors declare that no fixture gives. With --write, puts it into README.md between
// <!-- schemes:start --> and <!-- schemes:end -->. test/parity/schemes-table.test.ts fails when they differ.
// Run: node --conditions=@evtriage/source --import tsx scripts/scheme-table.mjs [--write]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, withTable } from './format-table.mjs';

export const SCHEMES_START = '<!-- schemes:start -->';
export const SCHEMES_END = '<!-- schemes:end -->';
export const FIXTURES = path.join(repoRoot, 'packages', 'parsers', 'fixtures');

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The encrypted items of a scan of the fixtures, one per format and scheme: the first by path, and how many give it.
 */
export async function schemeRows(core, parsers, folder = FIXTURES) {
  const run = core.scan(new core.FolderSource(folder), {
    plugins: parsers.builtinPlugins,
    containers: parsers.builtinContainers,
    // The table must not depend on the machine's speed or load: a parser that checks a password (a KDBX
    // key derivation, a PDF's user password) would otherwise leave its item "encrypted" when it ran past the
    // per-plugin time limit on a busy machine.
    limits: { ...core.DEFAULT_LIMITS, pluginTimeoutMs: 600_000, itemTimeoutMs: 1_200_000 },
  });
  const found = [];
  for await (const item of run)
    if (item.classification.status === 'encrypted')
      found.push({
        path: item.path,
        format: item.format?.id ?? '(none)',
        scheme: item.encryption?.scheme ?? '(none)',
        kind: item.encryption?.keyHint?.kind ?? '(none)',
        words: item.encryption?.keyHint?.description ?? '',
      });
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const rows = new Map();
  for (const f of found) {
    const key = `${f.format}\u0000${f.scheme}`;
    const row = rows.get(key);
    if (row) row.fixtures++;
    else rows.set(key, { ...f, fixtures: 1 });
  }
  return [...rows.values()].sort((a, b) =>
    a.format === b.format ? (a.scheme < b.scheme ? -1 : 1) : a.format < b.format ? -1 : 1,
  );
}

/** The markdown table: the rows, then the declared encrypted formats no fixture gives. */
export function schemeTable(rows, detectors) {
  const given = new Set(rows.map((r) => r.format));
  const lines = ['| format id | scheme | key | what unlocks it | fixtures (first) |', '|---|---|---|---|---|'];
  for (const r of rows)
    lines.push(
      `| \`${cell(r.format)}\` | \`${cell(r.scheme)}\` | ${cell(r.kind)} | ${cell(r.words)} | ${r.fixtures} (\`${cell(r.path)}\`) |`,
    );
  const declared = new Set();
  for (const d of detectors) for (const f of d.meta.formats) if (f.status === 'encrypted') declared.add(f.id);
  for (const id of [...declared].filter((f) => !given.has(f)).sort())
    lines.push(`| \`${cell(id)}\` | (per file) | (per file) | declared by its detector; no fixture gives it | 0 |`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const core = await import('@evtriage/core');
  const parsers = await import('@evtriage/parsers');
  const table = schemeTable(await schemeRows(core, parsers), parsers.builtinDetectors);
  if (process.argv.includes('--write')) {
    const file = path.join(repoRoot, 'README.md');
    fs.writeFileSync(file, withTable(fs.readFileSync(file, 'utf8'), table, SCHEMES_START, SCHEMES_END));
    console.error(`README.md: ${table.split('\n').length - 2} schemes between the markers`);
  } else console.log(table);
}
