/**
 * Conversion benchmark: generates a manifest of --items items (default
 * 100,000; NDJSON and JSON, deterministic, cached in bench/.data/convert/),
 * then converts it with `evtriage report` to every export format (html, csv,
 * case, dfxml) and prints time, output size and the peak RSS of each
 * conversion, measured in the converting process itself
 * (`process.resourceUsage().maxRSS`, via a preload), so the figure is the
 * memory the writers and the streaming reader need.
 *
 * The same is measured for `evtriage validate` and `evtriage diff` (the NDJSON
 * manifest against its JSON twin: no difference expected).
 *
 * Runs alone (needs only a build: `npx tsc -b packages/cli`):
 *   node bench/convert.mjs [--items 100000] [--formats html,csv,case,dfxml,validate,diff] [--input ndjson|json] [--limit-mb 300] [--keep]
 * (--keep leaves the outputs in bench/.data/convert/.)
 * Exits 1 when a conversion's peak RSS exceeds --limit-mb (default 300 MB),
 * or when an output does not hold every item.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { args, opt } from './options.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const BIN = path.join(repo, 'packages/cli/dist/bin.js');
const CORE = path.join(repo, 'packages/core/dist/index.js');
const N = Number(opt('--items', 100_000));
const FORMATS = opt('--formats', 'html,csv,case,dfxml,validate,diff').split(',');
const INPUT = opt('--input', 'ndjson');
const LIMIT_MB = Number(opt('--limit-mb', 300));
const DIR = path.join(here, '.data', 'convert');

for (const f of [BIN, CORE])
  if (!fs.existsSync(f)) {
    console.error(`convert: ${path.relative(repo, f)} is missing; build first: npx tsc -b packages/cli`);
    process.exit(2);
  }
const core = { ...(await import(CORE)), ...(await import(CORE.replace(/index\.js$/, 'internal.js'))) };

const hex = (s, alg) => createHash(alg).update(s).digest('hex');
const STATUSES = [
  'analysable',
  'analysable',
  'analysable',
  'analysable',
  'encrypted',
  'opaque',
  'analysable',
  'unreadable',
];

/** One synthetic item: realistic paths, formats, apps, encryption with key hints, archive members, errors. */
function makeItem(n) {
  const app = n % 3 === 0 ? `com.example.app${n % 211}` : undefined;
  const status = STATUSES[n % STATUSES.length];
  const dir = app ? `data/data/${app}/${n % 2 ? 'databases' : 'files'}` : `sdcard/DCIM/Camera/${Math.floor(n / 1000)}`;
  const depth = n % 50 === 1 ? 1 : 0;
  const name =
    status === 'encrypted'
      ? `msgstore-${n}.db.crypt15`
      : n % 5 === 0
        ? `db-${n}.db`
        : n % 7 === 0
          ? `note ${n}, "quoted".txt`
          : `IMG_${n}.jpg`;
  const p = depth ? `sdcard/Download/archive-${n - 1}.zip!/${name}` : `${dir}/${name}`;
  const format =
    status === 'encrypted'
      ? {
          id: 'whatsapp-crypt15',
          name: 'WhatsApp crypt15 backup',
          extensionMismatch: false,
          detector: 'whatsapp-crypt',
        }
      : name.endsWith('.db')
        ? {
            id: 'sqlite',
            name: 'SQLite database',
            mime: 'application/vnd.sqlite3',
            extension: 'db',
            extensionMismatch: false,
            detector: 'sqlite',
          }
        : name.endsWith('.txt')
          ? {
              id: 'text',
              name: 'Plain text',
              mime: 'text/plain',
              extension: 'txt',
              extensionMismatch: false,
              detector: 'text',
            }
          : {
              id: 'jpeg',
              name: 'JPEG image',
              mime: 'image/jpeg',
              extension: 'jpg',
              extensionMismatch: false,
              detector: 'file-type',
            };
  const item = {
    path: p,
    kind: 'file',
    size: (n * 7919) % 5_000_000,
    times: {
      modified: new Date(1_700_000_000_000 + n * 1000).toISOString(),
      accessed: new Date(1_700_000_000_000 + n * 1000).toISOString(),
    },
    depth,
    hashes: { md5: hex(`m${n}`, 'md5'), sha1: hex(`s${n}`, 'sha1'), sha256: hex(`x${n}`, 'sha256') },
    format,
    classification: {
      status,
      confidence: status === 'opaque' ? 0.6 : 0.95,
      certainty: status === 'opaque' ? 'suspected' : 'certain',
      reasons: [
        {
          code: status === 'encrypted' ? 'CRYPT15_HEADER' : 'SIGNATURE_MATCH',
          message: `Synthetic reason for item ${n}: header matched at offset 0.`,
          by: 'bench',
        },
      ],
      ...(status === 'opaque'
        ? { entropy: { shannon: 7.9991, chiSquare: 250.1, chiSquareP: 0.55, sampledBytes: 65536, blocks: 4 } }
        : {}),
    },
    ...(app
      ? {
          app: {
            id: app,
            name: `Example ${n % 211}`,
            platform: 'android',
            category: 'messaging',
            rule: 'android-data-dir',
          },
        }
      : {}),
    ...(status === 'encrypted'
      ? {
          encryption: {
            scheme: 'whatsapp-crypt15',
            scope: 'full',
            keyHint: {
              description: 'The 32-byte key in data/data/com.whatsapp/files/encrypted_backup.key',
              kind: 'key-file',
              present: n % 2 ? 'yes' : 'no',
              ...(n % 2 ? { foundAt: ['data/data/com.whatsapp/files/encrypted_backup.key'] } : {}),
            },
          },
        }
      : {}),
    errors:
      status === 'unreadable'
        ? [{ stage: 'probe', code: 'E_READ', message: 'EIO: i/o error, read', severity: 'error' }]
        : [],
  };
  return item;
}

function generate() {
  fs.mkdirSync(DIR, { recursive: true });
  const nd = path.join(DIR, `manifest-${N}.ndjson`);
  const js = path.join(DIR, `manifest-${N}.json`);
  if (fs.existsSync(nd) && fs.existsSync(js)) return { nd, js };
  const t = Date.now();
  const header = {
    type: 'header',
    schemaVersion: core.MANIFEST_SCHEMA_VERSION,
    tool: { name: 'evtriage', version: core.TOOL_VERSION },
    contractVersion: core.CONTRACT_VERSION,
    plugins: [],
    source: { path: `synthetic-${N}`, kind: 'folder' },
    options: {},
    case: { id: 'BENCH-CONVERT', examiner: 'bench' },
    startedAt: '2026-01-01T00:00:00.000Z',
  };
  const agg = new core.SummaryAggregator();
  const fnd = fs.openSync(nd + '.tmp', 'w');
  const fjs = fs.openSync(js + '.tmp', 'w');
  fs.writeSync(fnd, JSON.stringify(header) + '\n');
  fs.writeSync(fjs, `{"header":${JSON.stringify(header)},\n"items":[\n`);
  let bufN = '';
  let bufJ = '';
  for (let n = 0; n < N; n++) {
    const item = makeItem(n);
    agg.enumerated++;
    agg.add(item);
    const s = JSON.stringify(item);
    bufN += `{"type":"item",${s.slice(1)}\n`;
    bufJ += (n ? ',\n' : '') + s;
    if (bufN.length > 1 << 20) {
      fs.writeSync(fnd, bufN);
      fs.writeSync(fjs, bufJ);
      bufN = bufJ = '';
    }
  }
  const summary = { ...agg.finish({ complete: true }), finishedAt: '2026-01-01T01:00:00.000Z' };
  fs.writeSync(fnd, bufN + JSON.stringify(summary) + '\n');
  fs.writeSync(fjs, bufJ + `\n],\n"summary":${JSON.stringify(summary)}}\n`);
  fs.closeSync(fnd);
  fs.closeSync(fjs);
  fs.renameSync(nd + '.tmp', nd);
  fs.renameSync(js + '.tmp', js);
  console.log(
    `generated ${N} items in ${((Date.now() - t) / 1000).toFixed(1)} s: ${path.relative(repo, nd)} (${(fs.statSync(nd).size / 2 ** 20).toFixed(0)} MiB), ${path.relative(repo, js)}`,
  );
  return { nd, js };
}

/** Occurrences of `needle` in a file, read in chunks (latin1 keeps byte offsets; needles are ASCII). */
async function countInFile(file, needle) {
  let n = 0;
  let carry = '';
  for await (const chunk of fs.createReadStream(file, { encoding: 'latin1', highWaterMark: 1 << 22 })) {
    const text = carry + chunk;
    for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
    carry = text.slice(Math.max(0, text.length - needle.length + 1));
  }
  return n;
}

/** The item count the HTML report declares on its embedded data. */
async function htmlCount(file) {
  let head = '';
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    head += chunk;
    const m = /id="items-data"[^>]*data-count="(\d+)"/.exec(head);
    if (m) return Number(m[1]);
    if (head.length > 1 << 26) break;
  }
  return NaN;
}

const { nd, js } = generate();
const input = INPUT === 'json' ? js : nd;
const preload = path.join(DIR, 'rss-preload.mjs');
fs.writeFileSync(
  preload,
  "process.on('exit', () => process.stderr.write(`\\nMAXRSS_KB=${process.resourceUsage().maxRSS}\\n`));\n",
);
const EXT = { html: 'html', csv: 'csv', case: 'jsonld', dfxml: 'xml' };
const rows = [];
let failed = false;
for (const format of FORMATS) {
  const out = path.join(DIR, `out-${N}.${EXT[format] ?? format}`);
  // validate and diff are the manifest commands that read whole manifests: measured the same way.
  const cmd =
    format === 'validate'
      ? ['validate', input]
      : format === 'diff'
        ? ['diff', nd, js]
        : ['report', input, '-o', out, '-f', format, '-q'];
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', preload, BIN, ...cmd], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const secs = Number(process.hrtime.bigint() - t) / 1e9;
  const rss = Number(/MAXRSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  if (r.status !== 0) {
    console.error(`convert: ${format} failed (exit ${r.status}): ${r.stderr.slice(0, 2000)}`);
    failed = true;
    continue;
  }
  const secsText = secs.toFixed(1);
  if (format === 'validate' || format === 'diff') {
    const ok =
      format === 'validate'
        ? r.stdout.includes(`valid manifest, ${N} items`)
        : r.stdout.includes(`0 added, 0 removed, 0 changed, ${N} unchanged`);
    if (!ok) {
      console.error(`convert: ${format} did not report what was expected: ${r.stdout.slice(0, 500)}`);
      failed = true;
    }
    if (rss > LIMIT_MB) {
      console.error(`convert: ${format} peak RSS ${rss.toFixed(0)} MB exceeds --limit-mb ${LIMIT_MB}`);
      failed = true;
    }
    rows.push({
      format: format === 'diff' ? 'diff ndjson json' : `validate ${INPUT}`,
      seconds: secsText,
      itemsPerSecond: Math.round(N / secs),
      outputMiB: '-',
      peakRssMB: rss.toFixed(0),
    });
    console.log(JSON.stringify(rows.at(-1)));
    continue;
  }
  // Every item is in the output (structural counts, streamed: outputs can exceed a string's maximum length).
  const count =
    format === 'csv'
      ? (await countInFile(out, '\r\n')) - 1
      : format === 'dfxml'
        ? await countInFile(out, '<fileobject>')
        : format === 'case'
          ? await countInFile(out, '"@type":"uco-observable:File","uco-core:description"')
          : await htmlCount(out);
  if (count !== N) {
    console.error(`convert: ${format} output holds ${count} items, expected ${N}`);
    failed = true;
  }
  if (rss > LIMIT_MB) {
    console.error(`convert: ${format} peak RSS ${rss.toFixed(0)} MB exceeds --limit-mb ${LIMIT_MB}`);
    failed = true;
  }
  rows.push({
    format,
    seconds: secs.toFixed(1),
    itemsPerSecond: Math.round(N / secs),
    outputMiB: (fs.statSync(out).size / 2 ** 20).toFixed(1),
    peakRssMB: rss.toFixed(0),
  });
  console.log(JSON.stringify(rows.at(-1)));
  if (!args.includes('--keep')) fs.rmSync(out);
}
console.log(
  `\nevtriage report: ${N.toLocaleString('en')} items from ${INPUT} (${(fs.statSync(input).size / 2 ** 20).toFixed(0)} MiB)`,
);
console.table(rows);
process.exit(failed ? 1 : 0);
