/**
 * Rewrites the generated blocks of docs/apps.md (and of README.md, when it
 * has the apps-table markers) from the app catalogue.
 * Usage: `npx tsx --conditions=@evtriage/source scripts/write-apps-doc.ts`
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  APPS_DETAILS_END,
  APPS_DETAILS_START,
  APPS_TABLE_END,
  APPS_TABLE_START,
  catalogueDetails,
  catalogueTable,
  replaceBlock,
} from '../packages/parsers/src/apps/catalogue-doc.js';

for (const rel of ['../docs/apps.md', '../README.md']) {
  const file = fileURLToPath(new URL(rel, import.meta.url));
  let text = fs.readFileSync(file, 'utf8');
  if (!text.includes(APPS_TABLE_START)) continue;
  text = replaceBlock(text, APPS_TABLE_START, APPS_TABLE_END, catalogueTable());
  if (text.includes(APPS_DETAILS_START))
    text = replaceBlock(text, APPS_DETAILS_START, APPS_DETAILS_END, catalogueDetails());
  fs.writeFileSync(file, text);
  process.stdout.write(`wrote ${file}\n`);
}
