/**
 * Built-in manifest writers by name; `--format` picks one.
 */
import type { Writable } from 'node:stream';
import { createCaseWriter } from './case.js';
import { createCsvWriter } from './csv.js';
import { createDfxmlWriter } from './dfxml.js';
import { createHtmlWriter } from './html/report-writer.js';
import { createJsonWriter } from './json.js';
import { createNdjsonWriter } from './ndjson.js';
import type { ManifestWriter } from './writer.js';

export type WriterFactory = (out: Writable) => ManifestWriter;

export const builtinWriters: Record<string, WriterFactory> = {
  json: createJsonWriter,
  ndjson: createNdjsonWriter,
  csv: createCsvWriter,
  case: createCaseWriter,
  dfxml: createDfxmlWriter,
  html: (out) => createHtmlWriter(out),
};
