/**
 * CSV export: one row per item with the main fields, for spreadsheets and
 * tools that import tables.
 *
 * - RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): CRLF line ends, a
 *   header row, fields quoted when they hold `"`, `,`, CR or LF, and `"`
 *   doubled inside quotes. UTF-8 without a byte-order mark.
 * - Safe against spreadsheet formula injection (OWASP "CSV Injection"): a
 *   text cell that starts with `=`, `+`, `-`, `@`, TAB or CR gets a leading
 *   `'`, so Excel, LibreOffice and Sheets show it as text instead of running
 *   it. Evidence paths are attacker-controlled (`=HYPERLINK(...)` is a valid
 *   file name). Numeric columns are written by the tool, never neutralised.
 */
import type { Writable } from 'node:stream';
import type { EvidenceItem } from '../model/evidence-item.js';
import { writeChunk, type ManifestWriter } from './writer.js';

/** The columns, in order, with how each is read from an item. `number` columns are never neutralised. */
const COLUMNS: ReadonlyArray<{
  name: string;
  numeric?: boolean;
  get: (i: EvidenceItem) => string | number | boolean | undefined;
}> = [
  { name: 'path', get: (i) => i.path },
  { name: 'logical_path', get: (i) => i.logicalPath },
  { name: 'raw_path_base64', get: (i) => i.rawPath },
  { name: 'kind', get: (i) => i.kind },
  { name: 'size', numeric: true, get: (i) => i.size },
  { name: 'depth', numeric: true, get: (i) => i.depth },
  { name: 'status', get: (i) => i.classification.status },
  { name: 'certainty', get: (i) => i.classification.certainty },
  { name: 'confidence', numeric: true, get: (i) => i.classification.confidence },
  { name: 'reason_code', get: (i) => i.classification.reasons[0]?.code },
  { name: 'reason', get: (i) => i.classification.reasons[0]?.message },
  { name: 'format_id', get: (i) => i.format?.id },
  { name: 'format_name', get: (i) => i.format?.name },
  { name: 'mime', get: (i) => i.format?.mime },
  { name: 'extension_mismatch', get: (i) => i.format?.extensionMismatch },
  { name: 'app_id', get: (i) => i.app?.id },
  { name: 'app_name', get: (i) => i.app?.name },
  { name: 'platform', get: (i) => i.app?.platform },
  { name: 'encryption_scheme', get: (i) => i.encryption?.scheme },
  { name: 'encryption_scope', get: (i) => (i.encryption?.scheme ? i.encryption.scope : undefined) },
  { name: 'key_hint', get: (i) => i.encryption?.keyHint?.description },
  { name: 'key_present', get: (i) => i.encryption?.keyHint?.present },
  { name: 'key_found_at', get: (i) => i.encryption?.keyHint?.foundAt?.join(' | ') },
  { name: 'artifact', get: (i) => i.artifact?.id },
  {
    name: 'artifact_counts',
    get: (i) =>
      i.artifact
        ? Object.entries(i.artifact.counts)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')
        : undefined,
  },
  { name: 'known', get: (i) => (i.known ? `${i.known.status} (${i.known.set})` : undefined) },
  { name: 'entropy', numeric: true, get: (i) => i.classification.entropy?.shannon },
  { name: 'modified', get: (i) => i.times.modified },
  { name: 'accessed', get: (i) => i.times.accessed },
  { name: 'changed', get: (i) => i.times.changed },
  { name: 'created', get: (i) => i.times.created },
  { name: 'md5', get: (i) => i.hashes?.md5 },
  { name: 'sha1', get: (i) => i.hashes?.sha1 },
  { name: 'sha256', get: (i) => i.hashes?.sha256 },
  { name: 'link_target', get: (i) => i.linkTarget },
  { name: 'errors', numeric: true, get: (i) => i.errors.length },
  {
    name: 'error_codes',
    get: (i) => (i.errors.length ? i.errors.map((e) => `${e.stage}:${e.code}`).join(' ') : undefined),
  },
];

/** The CSV header names, in column order. */
export const CSV_COLUMNS: readonly string[] = COLUMNS.map((c) => c.name);

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: neutralised against formula injection (text only) and quoted per RFC 4180.
 *
 * @example
 * csvField('=1+1') // => "'=1+1"
 * csvField('a,"b"') // => '"a,""b"""'
 */
export function csvField(value: string | number | boolean | undefined, numeric = false): string {
  if (value === undefined) return '';
  let s = String(value);
  if (!numeric && FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV row (with its CRLF) for an item. */
export function csvRow(item: EvidenceItem): string {
  return COLUMNS.map((c) => csvField(c.get(item), c.numeric === true)).join(',') + '\r\n';
}

/**
 * A CSV writer: the header row first, then one row per item as it arrives.
 * The manifest header and summary have no place in a table and are left out
 * (the JSON manifest or the HTML report carries them).
 *
 * @example
 * const w = createCsvWriter(fs.createWriteStream('items.csv'));
 */
export function createCsvWriter(out: Writable): ManifestWriter {
  let started = false;
  const start = () => {
    started = true;
    return writeChunk(out, CSV_COLUMNS.join(',') + '\r\n');
  };
  return {
    onScanStart: () => start(),
    onItem: async (item: EvidenceItem) => {
      if (!started) await start();
      await writeChunk(out, csvRow(item));
    },
    onScanEnd: async () => {
      if (!started) await start();
    },
  };
}
