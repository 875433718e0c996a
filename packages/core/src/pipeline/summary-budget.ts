/**
 * Byte budgets of the summary record's tables. The summary is one line of
 * the manifest, and the manifest's readers refuse a line past 64 MiB
 * (`MAX_MANIFEST_LINE_BYTES`): a dump with hundreds of thousands of distinct
 * key descriptions, apps or formats (400,000 DPAPI blobs each naming its own
 * master key made a 98 MB line) would leave its own manifest without a
 * readable summary. Each table keeps its largest rows while their JSON fits
 * the budget; the rest are counted, not listed.
 */
import type { AppSummary, ManifestSummary, OmittedRows } from '../model/manifest.js';

/** JSON bytes one summary table (formats, encrypted, apps, errors) may take. */
export const SUMMARY_TABLE_BYTES = 4 * 1024 * 1024;
/** JSON bytes one app's encrypted rows may take (apps share their table's budget too). */
export const APP_ENCRYPTED_ROWS_BYTES = 64 * 1024;

/**
 * Keeps rows from the front (the table's order: largest first) while their
 * JSON fits `budget` bytes; the first row that does not fit and all after it
 * are counted in `omitted`.
 *
 * @example
 * fitRows([{ n: 5 }, { n: 1 }], 12, (r) => r.n) // => { kept: [{ n: 5 }], omitted: { rows: 1, items: 1 } }
 */
export function fitRows<T>(
  rows: readonly T[],
  budget: number,
  itemsOf: (row: T) => number,
): { kept: T[]; omitted?: OmittedRows } {
  let used = 0;
  let i = 0;
  for (; i < rows.length; i++) {
    // The row's JSON and its comma.
    used += Buffer.byteLength(JSON.stringify(rows[i])) + 1;
    if (used > budget) break;
  }
  if (i === rows.length) return { kept: [...rows] };
  let items = 0;
  for (let j = i; j < rows.length; j++) items += itemsOf(rows[j]!);
  return { kept: rows.slice(0, i), omitted: { rows: rows.length - i, items } };
}

/** Two tallies added; the sum is an estimate when either was. */
export function addOmitted(a: OmittedRows | undefined, b: OmittedRows | undefined): OmittedRows | undefined {
  if (!a || !b) return a ?? b;
  const sum: OmittedRows = { rows: a.rows + b.rows, items: a.items + b.items };
  if (a.estimated || b.estimated) sum.estimated = true;
  return sum;
}

/** Cuts an app's encrypted rows to their budget, keeping the largest; adds what it cuts to `encryptedOmitted`. */
export function fitAppEncrypted(app: AppSummary): void {
  if (!fitRows(app.encrypted, APP_ENCRYPTED_ROWS_BYTES, (e) => e.count).omitted) return;
  const largest = fitRows(
    [...app.encrypted].sort((x, y) => y.count - x.count),
    APP_ENCRYPTED_ROWS_BYTES,
    (e) => e.count,
  );
  app.encrypted = largest.kept;
  app.encryptedOmitted = addOmitted(app.encryptedOmitted, largest.omitted);
}

/**
 * Cuts each table of a summary (already in its order, largest first) to its
 * budget; what it cuts is added to `summary.omitted` (which a merged
 * summary may already hold from its parts).
 */
export function fitTables(summary: ManifestSummary): void {
  const omitted: NonNullable<ManifestSummary['omitted']> = { ...summary.omitted };
  const formats = fitRows(summary.formats, SUMMARY_TABLE_BYTES, (f) => f.count);
  summary.formats = formats.kept;
  const encrypted = fitRows(summary.encrypted, SUMMARY_TABLE_BYTES, (g) => g.count);
  summary.encrypted = encrypted.kept;
  const apps = fitRows(summary.apps, SUMMARY_TABLE_BYTES, (a) => a.files);
  summary.apps = apps.kept;
  const errors = fitRows(summary.errors, SUMMARY_TABLE_BYTES, (e) => e.count);
  summary.errors = errors.kept;
  const cut = { formats: formats.omitted, encrypted: encrypted.omitted, apps: apps.omitted, errors: errors.omitted };
  for (const table of ['formats', 'encrypted', 'apps', 'errors'] as const) {
    const sum = addOmitted(omitted[table], cut[table]);
    if (sum) omitted[table] = sum;
  }
  if (Object.keys(omitted).length > 0) summary.omitted = omitted;
  else delete summary.omitted;
}
