import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appCatalogue } from './catalogue.js';
import {
  APPS_DETAILS_END,
  APPS_DETAILS_START,
  APPS_TABLE_END,
  APPS_TABLE_START,
  catalogueDetails,
  catalogueTable,
} from './catalogue-doc.js';

const read = (rel: string) => fs.readFileSync(new URL(rel, import.meta.url), 'utf8');
const block = (text: string, start: string, end: string) =>
  text.slice(text.indexOf(start) + start.length, text.indexOf(end)).trim();

describe('app catalogue docs parity', () => {
  it('docs/apps.md has the generated table and details (run scripts/write-apps-doc.ts after changing the catalogue)', () => {
    const doc = read('../../../../docs/apps.md');
    expect(block(doc, APPS_TABLE_START, APPS_TABLE_END)).toBe(catalogueTable());
    expect(block(doc, APPS_DETAILS_START, APPS_DETAILS_END)).toBe(catalogueDetails());
  });

  it('lists every catalogued app once in the table', () => {
    const rows = catalogueTable().split('\n').slice(2);
    expect(rows).toHaveLength(appCatalogue.length);
    for (const e of appCatalogue) expect(rows.filter((r) => r.startsWith(`| ${e.name} |`))).toHaveLength(1);
  });

  it('keeps the README table in step when the README carries the generated block', () => {
    const readme = read('../../../../README.md');
    const hasBlock = readme.includes(APPS_TABLE_START);
    expect(hasBlock ? block(readme, APPS_TABLE_START, APPS_TABLE_END) : catalogueTable()).toBe(catalogueTable());
  });
});
