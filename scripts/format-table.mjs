// Prints the README's table of detected formats from the built-in detector
// registry (format id, name, class, how it is decided, detector), or, with
// --write, puts it into README.md between <!-- formats:start --> and
// <!-- formats:end -->. test/parity/formats-table.test.ts fails when the
// README's table differs from what this prints.
// Run: node --conditions=@evtriage/source --import tsx scripts/format-table.mjs [--write]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const START = '<!-- formats:start -->';
export const END = '<!-- formats:end -->';

const HOW = {
  signature: 'signature (magic bytes)',
  'header-field': 'header field',
  structure: 'structure',
  statistics: 'statistics (entropy, chi-square, compressibility)',
  path: 'path and name',
  library: 'magic-number library (file-type, libmagic)',
};

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The markdown table for a list of detectors: one row per declared format, sorted by
 * format id then detector id.
 *
 * @example
 * formatTable(builtinDetectors).split('\n')[0] // '| format id | name | class | how detected | detector |'
 */
export function formatTable(detectors) {
  const rows = [];
  for (const d of detectors) {
    for (const f of d.meta.formats)
      rows.push({ id: f.id, name: f.name, status: f.status, how: HOW[f.how] ?? f.how, detector: d.meta.id });
  }
  rows.sort((a, b) => (a.id === b.id ? (a.detector < b.detector ? -1 : 1) : a.id < b.id ? -1 : 1));
  const lines = ['| format id | name | class | how detected | detector |', '|---|---|---|---|---|'];
  for (const r of rows)
    lines.push(`| \`${cell(r.id)}\` | ${cell(r.name)} | ${r.status} | ${cell(r.how)} | \`${r.detector}\` |`);
  return lines.join('\n');
}

/** The text between the markers (the formats table's by default) in a README, or undefined when a marker is missing. */
export function tableInReadme(readme, start = START, end = END) {
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) return undefined;
  return readme.slice(a + start.length, b).trim();
}

/** The README with the table put between the markers (the markers are appended when absent). */
export function withTable(readme, table, start = START, end = END) {
  if (tableInReadme(readme, start, end) === undefined)
    return `${readme.replace(/\n*$/, '\n')}\n${start}\n${table}\n${end}\n`;
  const a = readme.indexOf(start) + start.length;
  const b = readme.indexOf(end);
  return `${readme.slice(0, a)}\n${table}\n${readme.slice(b)}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { builtinDetectors } = await import('@evtriage/parsers');
  const table = formatTable(builtinDetectors);
  if (process.argv.includes('--write')) {
    const file = path.join(repoRoot, 'README.md');
    fs.writeFileSync(file, withTable(fs.readFileSync(file, 'utf8'), table));
    console.error(`README.md: ${table.split('\n').length - 2} formats between the markers`);
  } else console.log(table);
}
