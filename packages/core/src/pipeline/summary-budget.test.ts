/**
 * The summary record stays one readable line however varied the dump: each
 * table keeps its largest rows within its byte budget and counts the rest.
 * Before the budgets, 400,000 encrypted items each naming its own key (a
 * DPAPI master key, an OpenPGP key id) in one app made a 98 MB summary line,
 * which every reader of the manifest refuses (past 64 MiB), and the rows of
 * one app were searched one by one for each item (40,000 items: 161 s).
 */
import { describe, expect, it } from 'vitest';
import { EvidenceItem } from '../model/evidence-item.js';
import { ManifestSummary } from '../model/manifest.js';
import { MAX_MANIFEST_LINE_BYTES } from '../writers/reader.js';
import { mergeSummaries } from '../writers/merge.js';
import { SummaryAggregator } from './summary.js';
import { APP_ENCRYPTED_ROWS_BYTES, fitRows, SUMMARY_TABLE_BYTES } from './summary-budget.js';

/** A schema-valid encrypted item of app `com.example` whose key hint names key `n`. */
function lockedWithKey(n: number, format = 'dpapi-blob'): EvidenceItem {
  return EvidenceItem.parse({
    path: `data/data/com.example/files/blob-${n}`,
    kind: 'file',
    size: 100,
    times: {},
    depth: 0,
    format: { id: format, name: format, extensionMismatch: false, detector: 'test' },
    classification: {
      status: 'encrypted',
      confidence: 0.9,
      certainty: 'certain',
      reasons: [{ code: 'TEST', message: 'built by the test', by: 'test' }],
    },
    encryption: {
      scheme: 'dpapi',
      scope: 'full',
      keyHint: {
        kind: 'password',
        present: 'unknown',
        // As the DPAPI detectors write it: the master key's GUID, then where such keys live.
        description: `The DPAPI master key ${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000 (under AppData/Roaming/Microsoft/Protect/<SID>/) and the user's Windows password.`,
      },
    },
    app: { id: 'com.example', platform: 'android', rule: 'test' },
    errors: [],
  });
}

const sum = (xs: Array<{ count: number }>) => xs.reduce((n, x) => n + x.count, 0);

describe('fitRows', () => {
  it('keeps rows from the front while their UTF-8 JSON fits, and counts the rest', () => {
    const rows = [
      { n: 5, s: 'é' },
      { n: 3, s: 'a' },
      { n: 1, s: 'b' },
    ];
    // {"n":5,"s":"é"} is 16 bytes in UTF-8 (15 characters), plus its comma.
    expect(fitRows(rows, 17, (r) => r.n)).toEqual({ kept: [rows[0]], omitted: { rows: 2, items: 4 } });
    expect(fitRows(rows, 16, (r) => r.n)).toEqual({ kept: [], omitted: { rows: 3, items: 9 } });
    expect(fitRows(rows, 1000, (r) => r.n)).toEqual({ kept: rows });
  });
});

describe('summary tables within their budgets', () => {
  const ITEMS = 30_000;
  const agg = new SummaryAggregator();
  // Format ids of 150 bytes: 30,000 of them pass the table's budget too.
  for (let i = 0; i < ITEMS; i++) agg.add(lockedWithKey(i, `format-${i}-${'x'.repeat(140)}`));
  const summary = agg.finish({ complete: true });
  const line = JSON.stringify(summary);

  it('30,000 distinct keys in one app: every item counted once, in a row kept or in the omitted tally', () => {
    expect(ManifestSummary.parse(JSON.parse(line))).toBeTruthy();
    expect(summary.byStatus['encrypted']?.count).toBe(ITEMS);
    expect(sum(summary.encrypted) + summary.omitted!.encrypted!.items).toBe(ITEMS);
    expect(summary.encrypted.length + summary.omitted!.encrypted!.rows).toBe(ITEMS);
    expect(sum(summary.formats) + summary.omitted!.formats!.items).toBe(ITEMS);
    const [app] = summary.apps;
    expect(app?.files).toBe(ITEMS);
    expect(sum(app!.encrypted) + app!.encryptedOmitted!.items).toBe(ITEMS);
    expect(app!.encrypted.length + app!.encryptedOmitted!.rows).toBe(ITEMS);
  });

  it('each table within its budget, the line far below what readers accept', () => {
    expect(Buffer.byteLength(JSON.stringify(summary.encrypted))).toBeLessThanOrEqual(SUMMARY_TABLE_BYTES);
    expect(Buffer.byteLength(JSON.stringify(summary.formats))).toBeLessThanOrEqual(SUMMARY_TABLE_BYTES);
    expect(Buffer.byteLength(JSON.stringify(summary.apps[0]!.encrypted))).toBeLessThanOrEqual(APP_ENCRYPTED_ROWS_BYTES);
    expect(Buffer.byteLength(line)).toBeLessThan(MAX_MANIFEST_LINE_BYTES / 4);
  });

  it('the largest rows are the ones kept', () => {
    const agg2 = new SummaryAggregator();
    for (let i = 0; i < 2_000; i++) agg2.add(lockedWithKey(i));
    // Key 1999 seen 50 times more: its row must survive the app's cut.
    for (let r = 0; r < 50; r++) agg2.add(lockedWithKey(1_999));
    const [app] = agg2.finish({ complete: true }).apps;
    expect(app!.encryptedOmitted).toBeDefined();
    expect(app!.encrypted[0]!.count).toBe(51);
    expect(app!.encrypted[0]!.keyHint!.description).toContain('000007cf-');
  });

  it('merged shards add their omitted tallies and are cut again', () => {
    const merged = mergeSummaries([summary, summary]);
    expect(merged.byStatus['encrypted']?.count).toBe(2 * ITEMS);
    expect(sum(merged.formats) + merged.omitted!.formats!.items).toBe(2 * ITEMS);
    expect(sum(merged.encrypted) + merged.omitted!.encrypted!.items).toBe(2 * ITEMS);
    const app = merged.apps[0]!;
    expect(sum(app.encrypted) + app.encryptedOmitted!.items).toBe(2 * ITEMS);
    expect(Buffer.byteLength(JSON.stringify(merged))).toBeLessThan(MAX_MANIFEST_LINE_BYTES / 4);
  });
});

describe('summary memory bounded by the rows kept', () => {
  // Lowered bounds: 300 rows a table, 200 apps' encrypted rows, 500 unkept values counted exactly.
  const bounds = { rows: 300, appEncryptedRows: 200, exactDistinct: 500 };

  /** An item whose format, app, error code and key are all its own (as scripts/summary-variety.mjs writes). */
  function distinct(n: number): EvidenceItem {
    const item = lockedWithKey(n, `format-${n}`);
    return {
      ...item,
      app: { id: `com.example.app${n}`, platform: 'android', rule: 'test' },
      errors: [{ stage: 'parse', code: `ERROR_${n}`, message: 'x', severity: 'error' }],
    };
  }

  it('values first seen once a table is full are counted, not kept: exact rows below the sketch', () => {
    const agg = new SummaryAggregator(bounds);
    for (let i = 0; i < 700; i++) agg.add(distinct(i));
    // Repeats of a kept value and of an unkept one.
    agg.add(distinct(5));
    agg.add(distinct(650));
    const s = agg.finish({ complete: true });
    expect(ManifestSummary.parse(JSON.parse(JSON.stringify(s)))).toBeTruthy();
    for (const [table, rows] of [
      ['formats', s.formats],
      ['encrypted', s.encrypted],
      ['errors', s.errors],
    ] as const) {
      expect(rows).toHaveLength(300);
      // 400 values not kept, one of them seen twice.
      expect(s.omitted![table]).toEqual({ rows: 400, items: 401 });
      expect(sum(rows) + s.omitted![table]!.items).toBe(702);
    }
    expect(s.apps).toHaveLength(300);
    expect(s.omitted!.apps).toEqual({ rows: 400, items: 401 });
    expect(s.apps.reduce((n, a) => n + a.files, 0) + s.omitted!.apps!.items).toBe(702);
    // The first 200 apps' encrypted rows kept; the next 100 kept apps count theirs as omitted.
    const kept = s.apps.filter((a) => a.encrypted.length > 0);
    expect(kept).toHaveLength(200);
    const unrowed = s.apps.filter((a) => a.encryptedOmitted);
    expect(unrowed).toHaveLength(100);
    expect(unrowed.every((a) => a.encryptedOmitted!.rows === 1 && !a.encryptedOmitted!.estimated)).toBe(true);
  });

  it('past the exact count the omitted rows are marked estimated, and never more than their items', () => {
    const agg = new SummaryAggregator(bounds);
    for (let i = 0; i < 3_000; i++) agg.add(distinct(i));
    const s = agg.finish({ complete: true });
    const o = s.omitted!.formats!;
    expect(o.items).toBe(2_700);
    expect(o.estimated).toBe(true);
    expect(o.rows).toBeLessThanOrEqual(2_700);
    expect(Math.abs(o.rows - 2_700) / 2_700).toBeLessThan(0.04);
    // A merged summary stays marked.
    expect(mergeSummaries([s, s]).omitted!.formats!.estimated).toBe(true);
  });

  it('an encrypted archive retracted when its first member is locked leaves no unkept item behind', () => {
    const agg = new SummaryAggregator(bounds);
    for (let i = 0; i < 300; i++) agg.add(distinct(i));
    const archive = { ...distinct(1_000), path: 'locked.zip' };
    agg.add(archive);
    agg.add({ ...distinct(1_001), path: 'locked.zip!/a' });
    const s = agg.finish({ complete: true });
    expect(s.omitted!.encrypted!.items).toBe(1);
    expect(sum(s.encrypted) + s.omitted!.encrypted!.items).toBe(301);
  });
});
