import { describe, expect, it } from 'vitest';
import { REPORT_CSP, scriptJson } from './report-writer.js';
import type { ManifestSummary } from '../../model/manifest.js';
import { renderSections } from './sections.js';

describe('scriptJson', () => {
  it('cannot close the script element or open a comment, and parses back to the same value', () => {
    const v = { path: 'a</script><script>alert(1)</script><!--x', sep: '\u2028\u2029' };
    const s = scriptJson(v);
    expect(s).not.toMatch(/<|\u2028|\u2029/);
    expect(JSON.parse(s)).toEqual(v);
  });
});

describe('REPORT_CSP', () => {
  it('allows nothing by default and the inline style and script only by hash', () => {
    expect(REPORT_CSP).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; script-src 'sha256-[A-Za-z0-9+/]+=*';/,
    );
    expect(REPORT_CSP).not.toContain('unsafe');
  });
});

describe('the summary tables', () => {
  it('say which rows the summary record left out', () => {
    const summary: ManifestSummary = {
      type: 'summary',
      finishedAt: '2026-01-01T00:00:00.000Z',
      complete: true,
      counts: { enumerated: 5, items: 5, itemsWithErrors: 0, bytes: 5 },
      byStatus: {
        analysable: { count: 0, bytes: 0 },
        encrypted: { count: 5, bytes: 5 },
        opaque: { count: 0, bytes: 0 },
        unreadable: { count: 0, bytes: 0 },
      },
      formats: [],
      encrypted: [],
      apps: [],
      errors: [],
      omitted: { encrypted: { rows: 5, items: 5 }, formats: { rows: 200_000, items: 300_000, estimated: true } },
    };
    expect(renderSections(undefined, summary)).toContain(
      "leave out rows (the totals count them): their smallest, past the summary record's size budget, and values first seen once a table held 50,000 rows: 5 encrypted row(s) of 5 item(s), about 200,000 formats row(s) of 300,000 item(s).",
    );
    expect(renderSections(undefined, { ...summary, omitted: undefined })).not.toContain('id="omitted"');
  });
});
