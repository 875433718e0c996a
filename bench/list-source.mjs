/**
 * Listing cost of an evtriage source: open it and iterate its entries without
 * processing them (no probe, no detection), as `unzip -l` lists a ZIP.
 *
 * Usage: node bench/list-source.mjs <path>   (after `tsc -b packages/cli`)
 * Prints one JSON line: { entries, seconds, maxRssKiB }.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const core = await import(path.join(repo, 'packages/core/dist/index.js'));
try {
  await import(path.join(repo, 'packages/parsers/dist/index.js'));
} catch {
  /* optional */
}
const t0 = process.hrtime.bigint();
const source = await core.openSource(process.argv[2]);
let entries = 0;
for await (const e of source.entries()) if (e) entries++;
await source.close();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ entries, seconds, maxRssKiB: process.resourceUsage().maxRSS }));
