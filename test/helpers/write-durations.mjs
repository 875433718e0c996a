/**
 * Writes test/durations.json (the order test/helpers/sequencer.ts starts test files in) from the JSON report of
 * a whole run: `vitest run --reporter=json --outputFile=run.json`, then `node test/helpers/write-durations.mjs
 * run.json` (or the reports of several runs that together ran every file). Only files of a second or more are listed; the others are quick in any order. Seconds are those
 * of that run (on a loaded machine they are longer): only their order matters.
 */
import fs from 'node:fs';
import path from 'node:path';

const reports = process.argv.slice(2);
if (reports.length === 0) {
  console.error('usage: node test/helpers/write-durations.mjs <vitest JSON report>...');
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, '../..');
// Several reports (a project each, say) are read as one run.
const testResults = reports.flatMap((r) => JSON.parse(fs.readFileSync(r, 'utf8')).testResults);
const seconds = Object.fromEntries(
  testResults
    .map((f) => [
      path.relative(root, f.name).split(path.sep).join('/'),
      Math.round((f.endTime - f.startTime) / 100) / 10,
    ])
    .filter(([name, s]) => s >= 1 && !name.startsWith('..'))
    .sort((a, b) => b[1] - a[1]),
);
const out = path.join(root, 'test/durations.json');
fs.writeFileSync(
  out,
  JSON.stringify(
    { note: 'Written by test/helpers/write-durations.mjs; read by test/helpers/sequencer.ts.', seconds },
    null,
    2,
  ) + '\n',
);
console.log(`${out}: ${Object.keys(seconds).length} files`);
