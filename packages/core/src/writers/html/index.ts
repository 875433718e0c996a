/**
 * The self-contained HTML report writer and its parts.
 */
export { createHtmlWriter, reportRow, scriptJson, REPORT_CSP, ROW_FIELDS } from './report-writer.js';
export type { HtmlReportOptions } from './report-writer.js';
export { escapeHtml } from './sections.js';
