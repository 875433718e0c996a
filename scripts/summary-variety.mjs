#!/usr/bin/env node
/**
 * Writes a manifest whose items are all different where the summary tallies them: each of its N items has its own
 * format, app, error code and encryption scheme (with its own key description). Used to measure the memory of the
 * summary pass (`evtriage summary`, the scan's own aggregator) as the number of distinct values grows.
 * The header and the item are those of a real manifest (`evtriage scan ... -f ndjson`); only these fields change.
 * Usage: node scripts/summary-variety.mjs <real.ndjson> <count> <out.ndjson>
 */
import fs from 'node:fs';

const [src, countArg, out] = process.argv.slice(2);
if (!src || !countArg || !out) {
  console.error('usage: summary-variety.mjs <real.ndjson> <count> <out.ndjson>');
  process.exit(2);
}
const lines = fs.readFileSync(src, 'utf8').split('\n');
const header = lines.find((l) => l.startsWith('{"type":"header"'));
const item = lines.find((l) => l.startsWith('{"type":"item"'));
if (!header || !item) throw new Error(`${src}: no header or no item record`);
const base = JSON.parse(item);
const fd = fs.openSync(out, 'w');
fs.writeSync(fd, `${header}\n`);
let chunk = '';
for (let i = 0; i < Number(countArg); i++) {
  const tag = i.toString(36).padStart(5, '0');
  const rec = {
    ...base,
    path: `data/data/com.example.app${tag}/files/blob-${tag}`,
    format: { id: `format-${tag}`, name: `Format ${tag}`, extensionMismatch: false, detector: 'variety' },
    classification: { ...base.classification, status: 'encrypted' },
    encryption: {
      scheme: `scheme-${tag}`,
      scope: 'full',
      keyHint: { kind: 'password', present: 'unknown', description: `The key ${tag} and its password.` },
    },
    app: { id: `com.example.app${tag}`, platform: 'android', rule: 'variety' },
    errors: [{ stage: 'parse', code: `ERROR_${tag.toUpperCase()}`, message: `error ${tag}`, severity: 'error' }],
  };
  chunk += `${JSON.stringify(rec)}\n`;
  if (chunk.length > 1 << 20) {
    fs.writeSync(fd, chunk);
    chunk = '';
  }
}
fs.writeSync(fd, chunk);
fs.closeSync(fd);
