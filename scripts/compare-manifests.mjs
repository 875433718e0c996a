#!/usr/bin/env node
/**
 * Compares the items of two manifests (NDJSON, or JSON with an `items` array), ignoring the
 * header and summary (scan times, tool version) and each item's file `times` (another reader of
 * the evidence moves its access time): the check that an engine change left every item as it was. Items are matched by path; prints the first differences and exits 1 when
 * any item differs, is missing or is extra.
 *
 * Usage: node scripts/compare-manifests.mjs before.ndjson after.ndjson [--show 5]
 */
import fs from 'node:fs';
import readline from 'node:readline';

const [a, b] = process.argv.slice(2).filter((x) => !x.startsWith('--'));
const showAt = process.argv.indexOf('--show');
const show = showAt > 0 ? Number(process.argv[showAt + 1]) : 5;
if (!a || !b) {
  console.error('usage: node scripts/compare-manifests.mjs before.ndjson after.ndjson [--show N]');
  process.exit(2);
}

/** Item lines by path, as canonical JSON (keys sorted) so key order does not count. */
async function itemsOf(file) {
  const out = new Map();
  const head = Buffer.alloc(1);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, head, 0, 1, 0);
  fs.closeSync(fd);
  const add = (item) => {
    const kept = { ...item };
    delete kept.times;
    out.set(kept.path, canonical(kept));
  };
  if (head.toString() === '{' && !isNdjson(file)) {
    for (const item of JSON.parse(fs.readFileSync(file, 'utf8')).items) add(item);
    return out;
  }
  for await (const line of readline.createInterface({ input: fs.createReadStream(file) })) {
    if (!line.trim()) continue;
    const record = JSON.parse(line);
    if (record.type === 'item' || (record.path !== undefined && record.classification !== undefined))
      add(record.item ?? record);
  }
  return out;
}

function isNdjson(file) {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(65536);
  const n = fs.readSync(fd, buf, 0, buf.length, 0);
  fs.closeSync(fd);
  const firstLine = buf.subarray(0, n).toString('utf8').split('\n')[0];
  try {
    JSON.parse(firstLine);
    return true;
  } catch {
    return false;
  }
}

function canonical(value) {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

const before = await itemsOf(a);
const after = await itemsOf(b);
let differ = 0;
let missing = 0;
let extra = 0;
for (const [path, line] of before) {
  const other = after.get(path);
  if (other === undefined) {
    if (missing++ < show) console.log(`missing in ${b}: ${path}`);
  } else if (other !== line) {
    if (differ++ < show)
      console.log(`differs: ${path}\n  before: ${line.slice(0, 600)}\n  after:  ${other.slice(0, 600)}`);
  }
}
for (const path of after.keys()) if (!before.has(path) && extra++ < show) console.log(`extra in ${b}: ${path}`);
console.log(`${before.size} items before, ${after.size} after: ${differ} differ, ${missing} missing, ${extra} extra`);
process.exit(differ + missing + extra > 0 ? 1 : 0);
