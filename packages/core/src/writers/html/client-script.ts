/**
 * The report's only script (inlined; allowed by its hash in the
 * Content-Security-Policy): loads the embedded item rows (plain JSON, or
 * gzip + base64 decoded with the browser's DecompressionStream), and drives
 * the item table: filter by status, app and format, search by path, sort,
 * and paginate so 100,000+ items stay responsive (only one page is in the DOM).
 * Plain ES2019, no library, no network (the CSP forbids it anyway).
 *
 * Row layout (see ROW_FIELDS in report-writer.ts): [path, status, certainty,
 * size, format, app, scheme, keyPresent, modified, errors, reason, hashes].
 */
export const CLIENT_SCRIPT = `(function () {
'use strict';
var P = 0, ST = 1, CE = 2, SZ = 3, FO = 4, AP = 5, SC = 6, KP = 7, MT = 8, ER = 9, RE = 10, HS = 11;
var $ = function (id) { return document.getElementById(id); };
var meta = JSON.parse($('report-meta').textContent);
var rows = [], lower = null, view = [];
var state = { status: '', app: '', format: '', q: '', errors: false, keyPresent: false, sort: '', dir: 1, page: 0, size: 100 };
var nf = new Intl.NumberFormat('en');
var lastFilterMs = 0;

function bytes(n) {
  var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0, v = n;
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return i === 0 ? v + ' B' : v.toFixed(v >= 100 ? 0 : 1) + ' ' + u[i];
}
function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function b64ToBytes(s) {
  var bin = atob(s), out = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
function load() {
  var d = $('items-data');
  if (d.getAttribute('data-encoding') === 'json') return Promise.resolve(JSON.parse(d.textContent));
  if (typeof DecompressionStream === 'undefined') return Promise.reject(new Error('this browser cannot decompress the embedded item list (DecompressionStream is missing); open the report in a current Chrome, Edge, Firefox or Safari, or use the CSV export'));
  var stream = new Blob([b64ToBytes(d.textContent.replace(/\\s+/g, ''))]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text().then(JSON.parse);
}
function fill(select, options) {
  options.forEach(function (o) { var e = el('option', '', o[1]); e.value = o[0]; select.appendChild(e); });
}
function setup() {
  var s = meta.summary || { formats: [], apps: [], byStatus: {} };
  fill($('f-status'), ['analysable', 'encrypted', 'opaque', 'unreadable'].map(function (k) {
    var c = s.byStatus && s.byStatus[k] ? s.byStatus[k].count : 0; return [k, k + ' (' + nf.format(c) + ')'];
  }));
  var apps = (s.apps || []).slice().sort(function (a, b) { return b.files - a.files; });
  fill($('f-app'), [['-', '(no app)']].concat(apps.map(function (a) { return [a.id, (a.name ? a.name + ' — ' : '') + a.id + ' (' + nf.format(a.files) + ')']; })));
  fill($('f-format'), (s.formats || []).map(function (f) { return [f.id, f.id + ' — ' + f.name + ' (' + nf.format(f.count) + ')']; }));
  var t = null;
  $('f-q').addEventListener('input', function () { clearTimeout(t); t = setTimeout(function () { state.q = $('f-q').value.toLowerCase(); apply(); }, 120); });
  ['status', 'app', 'format'].forEach(function (k) { $('f-' + k).addEventListener('change', function () { state[k] = this.value; apply(); }); });
  $('f-errors').addEventListener('change', function () { state.errors = this.checked; apply(); });
  $('f-key').addEventListener('change', function () { state.keyPresent = this.checked; apply(); });
  $('f-reset').addEventListener('click', function () {
    state.status = state.app = state.format = state.q = ''; state.errors = state.keyPresent = false;
    $('f-status').value = $('f-app').value = $('f-format').value = $('f-q').value = ''; $('f-errors').checked = $('f-key').checked = false; apply();
  });
  $('p-prev').addEventListener('click', function () { state.page--; render(); });
  $('p-next').addEventListener('click', function () { state.page++; render(); });
  $('p-first').addEventListener('click', function () { state.page = 0; render(); });
  $('p-last').addEventListener('click', function () { state.page = Infinity; render(); });
  $('p-size').addEventListener('change', function () { state.size = Number(this.value); state.page = 0; render(); });
  Array.prototype.forEach.call(document.querySelectorAll('#items th[data-sort] button'), function (b) {
    b.addEventListener('click', function () {
      var k = b.parentNode.getAttribute('data-sort');
      if (state.sort === k) state.dir = -state.dir; else { state.sort = k; state.dir = k === 'size' || k === 'errors' ? -1 : 1; }
      apply();
    });
  });
}
var SORT = { path: P, status: ST, size: SZ, format: FO, app: AP, modified: MT, errors: ER };
function apply() {
  var t0 = Date.now();
  if (state.q && !lower) lower = rows.map(function (r) { return String(r[P]).toLowerCase(); });
  var out = [];
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i];
    if (state.status && r[ST] !== state.status) continue;
    if (state.app && (state.app === '-' ? r[AP] !== '' : r[AP] !== state.app)) continue;
    if (state.format && r[FO] !== state.format) continue;
    if (state.errors && !(r[ER] > 0)) continue;
    if (state.keyPresent && !(r[ST] === 'encrypted' && r[KP] === 'yes')) continue;
    if (state.q && lower[i].indexOf(state.q) < 0) continue;
    out.push(i);
  }
  if (state.sort) {
    var c = SORT[state.sort], d = state.dir;
    out.sort(function (a, b) { var x = rows[a][c], y = rows[b][c]; return (x < y ? -1 : x > y ? 1 : a - b) * d; });
  }
  view = out; state.page = 0; lastFilterMs = Date.now() - t0;
  Array.prototype.forEach.call(document.querySelectorAll('#items th[data-sort]'), function (th) {
    th.setAttribute('aria-sort', th.getAttribute('data-sort') === state.sort ? (state.dir > 0 ? 'ascending' : 'descending') : 'none');
  });
  render();
}
function render() {
  var t0 = Date.now();
  var pages = Math.max(1, Math.ceil(view.length / state.size));
  if (state.page >= pages) state.page = pages - 1;
  if (state.page < 0) state.page = 0;
  var from = state.page * state.size, to = Math.min(view.length, from + state.size);
  var tb = $('items-body'), frag = document.createDocumentFragment();
  for (var i = from; i < to; i++) {
    var r = rows[view[i]], tr = el('tr');
    var td = el('td'); td.appendChild(el('div', 'path', r[P])); if (r[RE]) td.appendChild(el('div', 'why', r[RE]));
    if (r[HS]) String(r[HS]).split('\\n').forEach(function (line) { td.appendChild(el('div', 'hash', line)); });
    tr.appendChild(td);
    td = el('td'); td.appendChild(el('span', 'st st-' + r[ST], r[ST])); if (r[CE] && r[CE] !== 'certain') td.appendChild(el('div', 'why', r[CE])); tr.appendChild(td);
    tr.appendChild(el('td', 'num', bytes(r[SZ])));
    tr.appendChild(el('td', '', r[FO]));
    tr.appendChild(el('td', '', r[AP]));
    td = el('td', '', r[SC]); if (r[SC]) { var k = el('div', 'why key-' + (r[KP] || 'unknown'), 'key present: ' + (r[KP] || 'unknown')); td.appendChild(k); } tr.appendChild(td);
    tr.appendChild(el('td', 'num', r[MT] ? String(r[MT]).replace('T', ' ').replace(/\\.\\d+Z$|Z$/, ' UTC') : ''));
    tr.appendChild(el('td', 'num', r[ER] || ''));
    frag.appendChild(tr);
  }
  if (to === from) { var e = el('tr'), c = el('td', 'empty', 'No item matches these filters.'); c.colSpan = 8; e.appendChild(c); frag.appendChild(e); }
  tb.replaceChildren(frag);
  $('p-status').textContent = view.length ? 'Page ' + nf.format(state.page + 1) + ' of ' + nf.format(pages) : '';
  $('items-count').textContent = (view.length ? 'Showing ' + nf.format(from + 1) + '–' + nf.format(to) + ' of ' : '') + nf.format(view.length) + ' matching item' + (view.length === 1 ? '' : 's') + ' (' + nf.format(rows.length) + ' in total)';
  $('p-prev').disabled = $('p-first').disabled = state.page === 0;
  $('p-next').disabled = $('p-last').disabled = state.page >= pages - 1;
  // How long the last update took (filter+sort, and drawing the page), for the benchmark in bench/report-browser.mjs.
  document.documentElement.setAttribute('data-update-ms', String(lastFilterMs + Date.now() - t0));
  lastFilterMs = 0;
}
setup();
load().then(function (r) { rows = r; $('items-loading').hidden = true; $('items-ui').hidden = false; apply(); document.documentElement.setAttribute('data-items-ready', String(rows.length)); })
  .catch(function (err) { $('items-loading').textContent = 'The item list could not be loaded: ' + err.message; document.documentElement.setAttribute('data-items-error', err.message); });
})();
`;
