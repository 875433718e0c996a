import { describe, expect, it } from 'vitest';
import { REPORT_CSP, scriptJson } from './report-writer.js';

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
