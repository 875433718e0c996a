/**
 * The HTML report: one self-contained file an analyst, a case officer or a
 * prosecutor can open from a USB stick on an air-gapped workstation.
 *
 * - No network and no external assets: CSS and the one script are inline;
 *   a `Content-Security-Policy` of `default-src 'none'` allows exactly those
 *   two by their SHA-256 hashes (CSP Level 2 hash sources,
 *   https://www.w3.org/TR/CSP3/#grammardef-hash-source), so nothing else can
 *   load or run, whatever the evidence paths contain.
 * - Everything but the item table is rendered here as HTML (readable with
 *   scripts off, printable): case and source header, totals per status as
 *   cards and bar charts (inline SVG with text labels on every bar, each
 *   backed by a table), encrypted items by scheme and by app with key hints,
 *   apps, formats, errors.
 * - The item table is data: rows embedded as JSON in a
 *   `<script type="application/json">` with `<` escaped, gzip-compressed and
 *   base64-encoded when larger than {@link HtmlReportOptions.compressAbove};
 *   the script filters, searches, sorts and shows one page at a time.
 *
 * Memory stays bounded for any number of items: the summary comes last but
 * belongs at the top, so rows are spooled to a temporary file as they arrive
 * and streamed (through gzip and base64 when large) into the report once the
 * summary is known; the temp file is removed afterwards.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';
import type { EvidenceItem } from '../../model/evidence-item.js';
import type { ManifestHeader, ManifestSummary } from '../../model/manifest.js';
import { endStream, writeChunk, type ManifestWriter } from '../writer.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { renderSections, escapeHtml } from './sections.js';
import { REPORT_CSS } from './styles.js';

export interface HtmlReportOptions {
  /** Embed the item rows gzip + base64 when their JSON exceeds this many bytes (default 1 MiB). */
  compressAbove?: number;
  /** Folder for the temporary row spool (default: the OS temp folder). */
  tmpDir?: string;
}

/** Columns of one embedded row, in order (the client script reads them by position). */
export const ROW_FIELDS = [
  'path',
  'status',
  'certainty',
  'size',
  'format',
  'app',
  'scheme',
  'keyPresent',
  'modified',
  'errors',
  'reason',
  'hashes',
] as const;

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
/** The policy: nothing but the inline style and script, identified by hash. */
export const REPORT_CSP = `default-src 'none'; style-src ${sha256(REPORT_CSS)}; script-src ${sha256(CLIENT_SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;

const REASON_MAX = 240;

/** The embedded row of an item (the format key matches the summary's format tally). */
export function reportRow(item: EvidenceItem): unknown[] {
  const reason = item.classification.reasons[0]?.message ?? '';
  return [
    item.path,
    item.classification.status,
    item.classification.certainty,
    item.size,
    item.format?.id ?? (item.kind === 'file' ? 'unknown' : item.kind),
    item.app?.id ?? '',
    item.encryption?.scheme ?? '',
    item.encryption?.keyHint?.present ?? '',
    item.times.modified ?? '',
    item.errors.length,
    reason.length > REASON_MAX ? reason.slice(0, REASON_MAX - 1) + '…' : reason,
    // Whole digests, "algorithm digest" per line (`--hash`): the item table shows them under the path.
    Object.entries(item.hashes ?? {})
      .map(([algorithm, digest]) => `${algorithm} ${String(digest)}`)
      .join('\n'),
  ];
}

/** JSON safe inside a `<script>` element: no `<` (so no `</script>` or `<!--`), no U+2028/2029. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * An HTML report writer. Rows go to a temporary spool file as items arrive;
 * the page is written when the summary arrives.
 *
 * @example
 * const w = createHtmlWriter(fs.createWriteStream('report.html'));
 */
export function createHtmlWriter(out: Writable, options: HtmlReportOptions = {}): ManifestWriter {
  const compressAbove = options.compressAbove ?? 1024 * 1024;
  let header: ManifestHeader | undefined;
  let dir: string | undefined;
  let spool: fs.WriteStream | undefined;
  let spoolBytes = 0;
  let count = 0;

  const open = () => {
    dir = fs.mkdtempSync(path.join(options.tmpDir ?? os.tmpdir(), 'evtriage-report-'));
    spool = fs.createWriteStream(path.join(dir, 'rows.json'));
    // A failed write reaches writeChunk's callback and endStream; the event itself must not end the process.
    spool.on('error', () => undefined);
  };

  return {
    onScanStart: async (h: ManifestHeader) => {
      header = h;
      if (!spool) open();
    },
    onItem: async (item: EvidenceItem) => {
      if (!spool) open();
      const chunk = (count === 0 ? '' : ',\n') + scriptJson(reportRow(item));
      count++;
      spoolBytes += Buffer.byteLength(chunk);
      await writeChunk(spool!, chunk);
    },
    onScanEnd: async (summary: ManifestSummary) => {
      if (!spool) open();
      await endStream(spool!);
      const spoolFile = path.join(dir!, 'rows.json');
      try {
        const compressed = spoolBytes > compressAbove;
        await writeChunk(out, pageHead(header, summary, count));
        await writeChunk(
          out,
          `<script type="application/json" id="items-data" data-encoding="${compressed ? 'gzip-base64' : 'json'}" data-count="${count}">`,
        );
        if (compressed) await streamGzipBase64(spoolFile, out);
        else {
          await writeChunk(out, '[');
          for await (const chunk of fs.createReadStream(spoolFile, { encoding: 'utf8', highWaterMark: 1 << 20 }))
            await writeChunk(out, chunk as string);
          await writeChunk(out, ']');
        }
        await writeChunk(out, `</script>\n<script>${CLIENT_SCRIPT}</script>\n</body>\n</html>\n`);
      } finally {
        fs.rmSync(dir!, { recursive: true, force: true });
      }
    },
  };
}

/** Streams `[` + spool + `]` through gzip and base64 into `out` (base64 in 3-byte-aligned pieces). */
async function streamGzipBase64(spoolFile: string, out: Writable): Promise<void> {
  const gzip = zlib.createGzip({ level: 6 });
  const feed = (async () => {
    await writeChunk(gzip, '[');
    for await (const chunk of fs.createReadStream(spoolFile, { highWaterMark: 1 << 20 }))
      await writeBuffer(gzip, chunk as Buffer);
    await writeChunk(gzip, ']');
    gzip.end();
  })();
  let carry = Buffer.alloc(0);
  for await (const chunk of gzip) {
    const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const whole = buf.length - (buf.length % 3);
    if (whole > 0) await writeChunk(out, buf.subarray(0, whole).toString('base64'));
    carry = Buffer.from(buf.subarray(whole));
  }
  await feed;
  if (carry.length) await writeChunk(out, carry.toString('base64'));
}

function writeBuffer(out: Writable, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(buf, (err) => (err ? reject(err) : undefined))) resolve();
    else out.once('drain', resolve);
  });
}

function pageHead(header: ManifestHeader | undefined, summary: ManifestSummary, count: number): string {
  const title = `Triage report${header?.case.id ? ` — ${header.case.id}` : ''}${header ? ` — ${header.source.path}` : ''}`;
  const meta = { header: header ?? null, summary, items: count, rowFields: ROW_FIELDS };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(`${header?.tool.name ?? 'evtriage'} ${header?.tool.version ?? ''}`.trim())}">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<a class="skip" href="#items">Skip to the item list</a>
${renderSections(header, summary)}
<script type="application/json" id="report-meta">${scriptJson(meta)}</script>
`;
}
