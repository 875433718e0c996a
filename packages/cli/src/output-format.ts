/**
 * The output format when `-f` is not given: taken from the output file's
 * extension, the same way for `scan` and `report`.
 */
import path from 'node:path';
import { CliError } from './exit-codes.js';

export const FORMAT_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.html': 'html',
  '.htm': 'html',
  '.csv': 'csv',
  '.jsonld': 'case',
  '.xml': 'dfxml',
  '.dfxml': 'dfxml',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.json': 'json',
};

/**
 * `given` if set; else the format the output's extension names; else
 * `fallback` for standard output or a name without extension. An extension
 * that names no format is refused: guessing would write, say, JSON into
 * `report.txt` and the analyst would not know.
 */
export function outputFormat(given: string | undefined, output: string | undefined, fallback: string): string {
  if (given) return given;
  if (!output || output === '-') return fallback;
  const ext = path.extname(output).toLowerCase();
  if (!ext) return fallback;
  const format = FORMAT_BY_EXTENSION[ext];
  if (format) return format;
  const known = [...new Set(Object.keys(FORMAT_BY_EXTENSION))].join(', ');
  throw new CliError(
    `cannot tell the output format from the extension "${ext}" of ${output}. Name the file with one of ${known}, or give the format with -f.`,
  );
}
