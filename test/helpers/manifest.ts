/**
 * Reads the manifests the CLI writes in tests, typed as the model describes them (the tests
 * then assert on the values; the schema itself is checked by `evtriage validate` and the model tests).
 */
import fs from 'node:fs';
import type { ItemRecord, Manifest, ManifestHeader, ManifestLine, ManifestSummary } from '@evtriage/core';

/** A JSON-document manifest. */
export function readJsonManifest(file: string): Manifest {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
}

/** The records of NDJSON text, one a line. */
export function parseNdjson(text: string): ManifestLine[] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as ManifestLine);
}

/** A finished NDJSON manifest split into its header, items and summary. */
export function readNdjsonManifest(file: string): {
  header: ManifestHeader;
  items: ItemRecord[];
  summary: ManifestSummary;
} {
  const records = parseNdjson(fs.readFileSync(file, 'utf8'));
  const header = records[0];
  if (header?.type !== 'header') throw new Error(`${file}: the first line is not a header`);
  const summary = records.at(-1);
  if (summary?.type !== 'summary') throw new Error(`${file}: the last line is not a summary`);
  return { header, items: records.filter((r): r is ItemRecord => r.type === 'item'), summary };
}
