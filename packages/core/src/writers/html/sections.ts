/**
 * The parts of the HTML report rendered as static HTML from the manifest
 * header and summary: header, totals (cards, bar charts, table), encrypted
 * items by scheme and by app with key hints, apps, formats, errors, and the
 * empty shell of the item table the client script fills.
 *
 * Charts are inline SVG horizontal bars with a text label and value on every
 * bar, `role="img"` with a title and description, and the same figures in a
 * table beside them: readable without colour, by screen readers, and in
 * print. (A charting library such as uPlot draws on canvas and is built for
 * time series; four categorical bars are clearer, lighter and more
 * accessible as SVG.)
 */
import type { Status } from '../../model/classification.js';
import type { KeyHint } from '../../model/encryption.js';
import type { ManifestHeader, ManifestSummary } from '../../model/manifest.js';
import { formatBytes } from '../../format/bytes.js';

const STATUSES: readonly Status[] = ['analysable', 'encrypted', 'opaque', 'unreadable'];
const STATUS_WORDS: Record<Status, string> = {
  analysable: 'can be read and parsed',
  encrypted: 'locked: needs a key or password',
  opaque: 'readable bytes, format not understood',
  unreadable: 'could not be read',
};
const FORMATS_SHOWN = 25;

/**
 * Escapes text for HTML element content and quoted attributes.
 *
 * @example
 * escapeHtml('<b>"x" & y</b>') // => '&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;'
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const h = (v: string | number | undefined | null) => (v === undefined || v === null ? '' : escapeHtml(String(v)));

// Made on first use: creating it costs ~60 ms (ICU's locale data), which every scan paid on loading core.
let nf: Intl.NumberFormat | undefined;
const num = (n: number) => (nf ??= new Intl.NumberFormat('en')).format(n);

const pct = (part: number, whole: number) =>
  whole > 0 ? `${((100 * part) / whole).toFixed(part * 1000 < whole && part > 0 ? 2 : 1)}%` : '0%';

function barChart(
  id: string,
  title: string,
  desc: string,
  rows: Array<{ status: Status; value: number; label: string }>,
): string {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowH = 34;
  const labelW = 110;
  const barW = 250;
  const width = labelW + barW + 150;
  const height = rows.length * rowH + 8;
  let bars = '';
  rows.forEach((r, i) => {
    const y = 6 + i * rowH;
    const w = r.value > 0 ? Math.max(2, Math.round((barW * r.value) / max)) : 0;
    bars += `<text x="0" y="${y + 18}">${h(r.status)}</text>`;
    bars += `<rect x="${labelW}" y="${y + 3}" width="${barW}" height="22" fill="#eef1f5"/>`;
    if (w > 0) bars += `<rect class="bar-${r.status}" x="${labelW}" y="${y + 3}" width="${w}" height="22"/>`;
    bars += `<text class="val" x="${labelW + barW + 8}" y="${y + 18}">${h(r.label)}</text>`;
  });
  return `<figure><figcaption id="${id}-t">${h(title)}</figcaption>
<svg class="bars" role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet"><desc id="${id}-d">${h(desc)}</desc>${bars}</svg></figure>`;
}

/** Keys held by a keystore or hardware are never in a file dump, whatever was looked for. */
function neverInDump(hint: KeyHint | undefined): boolean {
  return hint?.kind === 'keystore' || hint?.kind === 'hardware';
}

function keyPresent(hint: KeyHint | undefined): string {
  if (!hint) return '<span class="key-unknown">no hint</span>';
  if (hint.present === 'yes') return '<span class="key-yes">yes — in this extraction</span>';
  if (neverInDump(hint)) return '<span class="key-no">no — never in a file dump (needs the device)</span>';
  if (hint.present === 'no') return '<span class="key-no">no — looked for, not found</span>';
  return '<span class="key-unknown">unknown</span>';
}

function paths(list: readonly string[], shown = 3): string {
  if (list.length === 0) return '';
  const head = list
    .slice(0, shown)
    .map((p) => `<div class="path">${h(p)}</div>`)
    .join('');
  if (list.length <= shown) return head;
  return `${head}<details><summary>${list.length - shown} more</summary>${list
    .slice(shown)
    .map((p) => `<div class="path">${h(p)}</div>`)
    .join('')}</details>`;
}

function headerBlock(header: ManifestHeader | undefined, s: ManifestSummary): string {
  const facts: Array<[string, string]> = [];
  if (header?.case.id) facts.push(['Case', header.case.id]);
  if (header?.case.examiner) facts.push(['Examiner', header.case.examiner]);
  if (header) facts.push(['Source', `${header.source.path} (${header.source.kind})`]);
  if (header?.source.sha256) facts.push(['Source SHA-256', header.source.sha256]);
  if (header) facts.push(['Scan started', header.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')]);
  facts.push(['Scan finished', s.finishedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')]);
  facts.push(['Items', `${num(s.counts.items)} (${formatBytes(s.counts.bytes)})`]);
  if (header) facts.push(['Tool', `${header.tool.name} ${header.tool.version}`]);
  return `<header class="top">
<h1>Evidence triage report${header?.case.id ? ` — ${h(header.case.id)}` : ''}</h1>
<div class="sub">What is in this extraction, what can be read, what is locked and what would unlock it.</div>
<dl>${facts.map(([k, v]) => `<div><dt>${h(k)}</dt><dd>${h(v)}</dd></div>`).join('')}</dl>
</header>
<nav class="toc" aria-label="Sections"><a href="#totals">Totals</a><a href="#encrypted">Encrypted</a><a href="#apps">Apps</a><a href="#formats">Formats</a><a href="#errors">Errors</a><a href="#items">All items</a></nav>`;
}

function totalsBlock(s: ManifestSummary): string {
  const total = s.counts.items;
  const bytes = s.counts.bytes;
  const st = (k: Status) => s.byStatus[k] ?? { count: 0, bytes: 0 };
  const cards = [
    `<div class="card total"><div class="k">All items</div><div class="v">${num(total)}</div><div class="b">${formatBytes(bytes)}${s.counts.itemsWithErrors ? ` · ${num(s.counts.itemsWithErrors)} with errors` : ''}</div></div>`,
  ]
    .concat(
      STATUSES.map(
        (k) =>
          `<div class="card ${k}"><div class="k">${k}</div><div class="v" data-status-count="${k}">${num(st(k).count)}</div><div class="b">${formatBytes(st(k).bytes)} · ${pct(st(k).count, total)} of items</div></div>`,
      ),
    )
    .join('');
  const countChart = barChart(
    'chart-count',
    'Items by status',
    `Bar chart of item counts: ${STATUSES.map((k) => `${k} ${st(k).count}`).join(', ')}.`,
    STATUSES.map((k) => ({ status: k, value: st(k).count, label: `${num(st(k).count)} (${pct(st(k).count, total)})` })),
  );
  const bytesChart = barChart(
    'chart-bytes',
    'Bytes by status',
    `Bar chart of bytes: ${STATUSES.map((k) => `${k} ${formatBytes(st(k).bytes)}`).join(', ')}.`,
    STATUSES.map((k) => ({
      status: k,
      value: st(k).bytes,
      label: `${formatBytes(st(k).bytes)} (${pct(st(k).bytes, bytes)})`,
    })),
  );
  const table = `<div class="wrap"><table id="status-table"><caption>Totals per status</caption><thead><tr><th scope="col">Status</th><th scope="col">Meaning</th><th scope="col" class="num">Items</th><th scope="col" class="num">% of items</th><th scope="col" class="num">Bytes</th><th scope="col" class="num">% of bytes</th></tr></thead><tbody>
${STATUSES.map((k) => `<tr data-status="${k}"><th scope="row"><span class="st st-${k}">${k}</span></th><td>${STATUS_WORDS[k]}</td><td class="num" data-count="${st(k).count}">${num(st(k).count)}</td><td class="num">${pct(st(k).count, total)}</td><td class="num" data-bytes="${st(k).bytes}">${formatBytes(st(k).bytes)}</td><td class="num">${pct(st(k).bytes, bytes)}</td></tr>`).join('\n')}
</tbody><tfoot><tr><th scope="row">Total</th><td></td><td class="num" data-count="${total}">${num(total)}</td><td class="num">100%</td><td class="num" data-bytes="${bytes}">${formatBytes(bytes)}</td><td class="num">100%</td></tr></tfoot></table></div>`;
  const banner = s.complete
    ? ''
    : `<p class="banner" role="alert">This scan is INCOMPLETE (${h(s.interruption ?? 'stopped early')}): ${num(s.counts.items)} of ${num(s.counts.enumerated)} enumerated entries were recorded.</p>`;
  const cut = Object.entries(s.omitted ?? {}).flatMap(([table, o]) =>
    o ? [`${o.estimated ? 'about ' : ''}${num(o.rows)} ${table} row(s) of ${num(o.items)} item(s)`] : [],
  );
  const omitted =
    cut.length === 0
      ? ''
      : `<p class="banner" id="omitted">The tables below leave out rows (the totals count them): their smallest, past the summary record's size budget, and values first seen once a table held 50,000 rows: ${h(cut.join(', '))}.</p>`;
  return `<section id="totals" aria-labelledby="totals-h"><h2 id="totals-h">Totals</h2>${banner}${omitted}<div class="cards">${cards}</div><div class="charts">${countChart}${bytesChart}</div>${table}</section>`;
}

function encryptedBlock(s: ManifestSummary): string {
  if (s.encrypted.length === 0)
    return `<section id="encrypted" aria-labelledby="enc-h"><h2 id="enc-h">Encrypted items</h2><p>No item was classified as encrypted.</p></section>`;
  const groups = [...s.encrypted].sort((a, b) => b.count - a.count);
  const byScheme = `<div class="wrap"><table id="encrypted-schemes"><caption>By scheme and key: what each lock is and whether its key is here</caption><thead><tr><th scope="col">Scheme</th><th scope="col" class="num">Items</th><th scope="col" class="num">Bytes</th><th scope="col">What would unlock it</th><th scope="col">Key in this extraction?</th><th scope="col">Examples</th></tr></thead><tbody>
${groups
  .map((g) => {
    const hint = g.keyHint;
    const where = hint?.foundAt?.length
      ? `<div class="why">found at:</div>${paths(hint.foundAt, 2)}`
      : hint?.lookFor?.length
        ? `<div class="why">look for: ${h(hint.lookFor.slice(0, 3).join(', '))}</div>`
        : '';
    return `<tr><th scope="row">${h(g.scheme)}</th><td class="num">${num(g.count)}</td><td class="num">${formatBytes(g.bytes)}</td><td>${hint ? `${h(hint.description)} <span class="why">(${h(hint.kind)})</span>` : '<span class="key-unknown">no hint</span>'}</td><td>${keyPresent(hint)}${where}</td><td class="examples">${paths(g.examples)}</td></tr>`;
  })
  .join('\n')}
</tbody></table></div>`;
  const appRows = s.apps.flatMap((a) => a.encrypted.map((e) => ({ a, e }))).sort((x, y) => y.e.count - x.e.count);
  const byApp = appRows.length
    ? `<div class="wrap"><table id="encrypted-apps"><caption>By app</caption><thead><tr><th scope="col">App</th><th scope="col">Scheme</th><th scope="col" class="num">Items</th><th scope="col">What would unlock it</th><th scope="col">Key in this extraction?</th></tr></thead><tbody>
${appRows.map(({ a, e }) => `<tr><th scope="row">${h(a.name ?? a.id)}<div class="why">${h(a.id)} · ${h(a.platform)}</div></th><td>${h(e.scheme)}</td><td class="num">${num(e.count)}</td><td>${e.keyHint ? h(e.keyHint.description) : '<span class="key-unknown">no hint</span>'}</td><td>${keyPresent(e.keyHint)}</td></tr>`).join('\n')}
</tbody></table></div>`
    : '<p class="note">No encrypted item was attributed to an app.</p>';
  const total = groups.reduce((n, g) => n + g.count, 0);
  const present = groups.filter((g) => g.keyHint?.present === 'yes');
  const withKey = present.reduce((n, g) => n + g.count, 0);
  // Triage first: what can be unlocked from this extraction, before the full scheme table.
  const first = present.length
    ? `<div class="wrap"><table id="encrypted-key-present"><caption>Key present in this extraction: unlock these first</caption><thead><tr><th scope="col">Scheme</th><th scope="col" class="num">Items</th><th scope="col">Key found at</th><th scope="col">Paths</th></tr></thead><tbody>
${present.map((g) => `<tr><th scope="row">${h(g.scheme)}</th><td class="num">${num(g.count)}</td><td>${paths(g.keyHint?.foundAt ?? [], 2)}</td><td class="examples">${paths(g.examples)}</td></tr>`).join('\n')}
</tbody></table></div>`
    : '<p class="note">No encrypted item has its key in this extraction.</p>';
  const notFound = groups.filter((g) => g.keyHint?.present === 'no' && !neverInDump(g.keyHint));
  const never = groups.filter((g) => neverInDump(g.keyHint));
  const list = (gs: typeof groups) => gs.map((g) => `${h(g.scheme)} ×${num(g.count)}`).join(', ');
  const apart = `${notFound.length ? `<p class="note" id="keys-not-found">Keys looked for and not found in this extraction: ${list(notFound)}.</p>` : ''}${never.length ? `<p class="note" id="keys-never-in-dump">Keys never in a file dump (Android Keystore, Secure Enclave; they need the device): ${list(never)}.</p>` : ''}`;
  return `<section id="encrypted" aria-labelledby="enc-h"><h2 id="enc-h">Encrypted items</h2><p class="note">${num(total)} encrypted item(s) in ${num(groups.length)} row(s) by scheme and key; for ${num(withKey)} of them the key is in this extraction.</p>${first}${byScheme}${apart}${byApp}</section>`;
}

function appsBlock(s: ManifestSummary): string {
  if (s.apps.length === 0)
    return `<section id="apps" aria-labelledby="apps-h"><h2 id="apps-h">Apps</h2><p>No item was attributed to an app.</p></section>`;
  const apps = [...s.apps].sort((a, b) => b.files - a.files);
  return `<section id="apps" aria-labelledby="apps-h"><h2 id="apps-h">Apps</h2><p class="note">${num(apps.length)} app(s) with data or installed. "No parser" means the app has files but no parser recognised an artifact in them.</p><div class="wrap"><table id="apps-table"><caption>Per-app totals</caption><thead><tr><th scope="col">App</th><th scope="col">Platform</th><th scope="col">Category</th><th scope="col" class="num">Files</th><th scope="col" class="num">Bytes</th>${STATUSES.map((k) => `<th scope="col" class="num">${k}</th>`).join('')}<th scope="col">Artifacts</th></tr></thead><tbody>
${apps
  .map((a) => {
    const arts = a.artifacts.length
      ? a.artifacts
          .map(
            (x) =>
              `${h(x.id)}${x.count > 1 ? ` ×${x.count}` : ''}${
                Object.keys(x.counts).length
                  ? ` <span class="why">(${h(
                      Object.entries(x.counts)
                        .map(([k, v]) => `${num(v)} ${k}`)
                        .join(', '),
                    )})</span>`
                  : ''
              }`,
          )
          .join('<br>')
      : a.unparsed && a.files > 0
        ? '<span class="why">no parser</span>'
        : '';
    return `<tr><th scope="row">${h(a.name ?? a.id)}<div class="why">${h(a.id)}${a.installed === true ? ' · installed' : a.installed === false ? ' · not in package list' : ''}</div></th><td>${h(a.platform)}</td><td>${h(a.category ?? '')}</td><td class="num">${num(a.files)}</td><td class="num">${formatBytes(a.bytes)}</td>${STATUSES.map((k) => `<td class="num">${a.byStatus[k] ? num(a.byStatus[k]) : ''}</td>`).join('')}<td>${arts}</td></tr>`;
  })
  .join('\n')}
</tbody></table></div></section>`;
}

function formatsBlock(s: ManifestSummary): string {
  const formats = [...s.formats].sort((a, b) => b.count - a.count || b.bytes - a.bytes);
  const row = (f: ManifestSummary['formats'][number]) =>
    `<tr><th scope="row">${h(f.id)}</th><td>${h(f.name)}</td><td class="num">${num(f.count)}</td><td class="num">${formatBytes(f.bytes)}</td></tr>`;
  const head = `<thead><tr><th scope="col">Format</th><th scope="col">Name</th><th scope="col" class="num">Items</th><th scope="col" class="num">Bytes</th></tr></thead>`;
  const rest = formats.slice(FORMATS_SHOWN);
  return `<section id="formats" aria-labelledby="formats-h"><h2 id="formats-h">Formats</h2><div class="wrap"><table id="formats-table"><caption>${num(formats.length)} format(s), most frequent first</caption>${head}<tbody>
${formats.slice(0, FORMATS_SHOWN).map(row).join('\n')}
</tbody></table></div>${rest.length ? `<details><summary>${num(rest.length)} more format(s)</summary><div class="wrap"><table><caption>Less frequent formats</caption>${head}<tbody>${rest.map(row).join('\n')}</tbody></table></div></details>` : ''}</section>`;
}

function errorsBlock(s: ManifestSummary): string {
  if (s.errors.length === 0)
    return `<section id="errors" aria-labelledby="errors-h"><h2 id="errors-h">Errors</h2><p>No item carries an error.</p></section>`;
  const errs = [...s.errors].sort((a, b) => b.count - a.count);
  return `<section id="errors" aria-labelledby="errors-h"><h2 id="errors-h">Errors</h2><p class="note">${num(s.counts.itemsWithErrors)} item(s) carry at least one error or warning; each is still in the item list.</p><div class="wrap"><table id="errors-table"><caption>Errors by stage and code</caption><thead><tr><th scope="col">Stage</th><th scope="col">Code</th><th scope="col" class="num">Items</th><th scope="col">Examples</th></tr></thead><tbody>
${errs.map((e) => `<tr><td>${h(e.stage)}</td><th scope="row">${h(e.code)}</th><td class="num">${num(e.count)}</td><td class="examples">${paths(e.examples)}</td></tr>`).join('\n')}
</tbody></table></div></section>`;
}

function itemsBlock(s: ManifestSummary): string {
  const sortable = (key: string, label: string, cls = '') =>
    `<th scope="col"${cls ? ` class="${cls}"` : ''} data-sort="${key}" aria-sort="none"><button type="button" class="sort">${label}</button></th>`;
  return `<section id="items" aria-labelledby="items-h"><h2 id="items-h">All items</h2>
<p class="printnote">Printed: the current page of the item list. The CSV export holds every item.</p>
<p id="items-loading">Loading ${num(s.counts.items)} items… (this list needs JavaScript; every other section works without it)</p>
<div id="items-ui" hidden>
<form class="controls" role="search" aria-label="Filter items">
<label for="f-q">Search path<input type="search" id="f-q" placeholder="e.g. whatsapp or .db" autocomplete="off"></label>
<label for="f-status">Status<select id="f-status"><option value="">All statuses</option></select></label>
<label for="f-app">App<select id="f-app"><option value="">All apps</option></select></label>
<label for="f-format">Format<select id="f-format"><option value="">All formats</option></select></label>
<label class="inline" for="f-errors"><input type="checkbox" id="f-errors"> with errors only</label>
<label class="inline" for="f-key"><input type="checkbox" id="f-key"> encrypted, key present in this extraction</label>
<button type="button" id="f-reset">Clear filters</button>
</form>
<p id="items-count" class="count" role="status" aria-live="polite"></p>
<div class="wrap"><table id="items-table"><caption class="skip">All items (filtered), one page</caption><thead><tr>${sortable('path', 'Path / why')}${sortable('status', 'Status')}${sortable('size', 'Size', 'num')}${sortable('format', 'Format')}${sortable('app', 'App')}<th scope="col">Encryption</th>${sortable('modified', 'Modified', 'num')}${sortable('errors', 'Errors', 'num')}</tr></thead><tbody id="items-body"></tbody></table></div>
<div class="pager" role="navigation" aria-label="Pages of the item list">
<button type="button" id="p-first">« First</button><button type="button" id="p-prev">‹ Previous</button><span id="p-status"></span><button type="button" id="p-next">Next ›</button><button type="button" id="p-last">Last »</button>
<label for="p-size">Rows per page <select id="p-size"><option>50</option><option selected>100</option><option>250</option><option>1000</option></select></label>
</div>
</div>
</section>`;
}

/** The report body: header, navigation, sections and the item table shell. */
export function renderSections(header: ManifestHeader | undefined, summary: ManifestSummary): string {
  return `${headerBlock(header, summary)}
<main>
${totalsBlock(summary)}
${encryptedBlock(summary)}
${appsBlock(summary)}
${formatsBlock(summary)}
${errorsBlock(summary)}
${itemsBlock(summary)}
</main>
<footer>Generated by ${h(header ? `${header.tool.name} ${header.tool.version}` : 'evtriage')} on ${h(summary.finishedAt)}. Self-contained: this file loads nothing from the network.</footer>`;
}
