/**
 * Benchmark inputs: deterministic generators for a realistic extraction-like
 * tree (Android-style app folders, media, caches) with a realistic mix of
 * formats and sizes — SQLite databases (made by the sqlite3 CLI), XML and
 * binary plists (binary ones written by Python's plistlib), JPEG- and
 * PNG-like images, text, JSON, logs, gzip streams, random "encrypted" blobs,
 * ELF-like libraries and empty files — plus the same tree as ZIP (Info-ZIP
 * `zip`) and TAR.GZ (GNU tar). Everything lands in `bench/.data/` (git-ignored)
 * and is reused when present (a `.done` marker records the parameters).
 *
 * The same seed always gives the same bytes: a mulberry32 PRNG drives every
 * choice, mtimes are fixed, and archives are built in sorted order.
 *
 * Usage: node bench/gen.mjs [--files 100000] [--name tree-100k] [--max-size N]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../scripts/mulberry32.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DATA_DIR = path.join(here, '.data');
const FIXED_TIME = new Date('2024-05-01T12:00:00Z');

/** mulberry32: small, fast, deterministic (the same generator the scripts use). */
export const prng = mulberry32;

/** Fills `buf` with PRNG bytes (xorshift32, seeded from the main PRNG). */
export function randomBytes(rand, n) {
  const buf = Buffer.allocUnsafe(n);
  let x = (Math.floor(rand() * 0xffffffff) | 1) >>> 0;
  const words = n >>> 2;
  const u32 = new Uint32Array(buf.buffer, buf.byteOffset, words);
  for (let i = 0; i < words; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    u32[i] = x >>> 0;
  }
  for (let i = words * 4; i < n; i++) buf[i] = Math.floor(rand() * 256);
  return buf;
}

/** Log-uniform integer in [lo, hi]: many small files, a few large ones. */
export function logSize(rand, lo, hi) {
  return Math.round(Math.exp(Math.log(lo) + rand() * (Math.log(hi) - Math.log(lo))));
}

const WORDS =
  'the of message contact call sent received device user account token session photo video location latitude longitude timestamp battery network wifi cellular app version build update sync cache thumbnail draft inbox outbox read unread group chat media attachment voice note status error warning info debug'.split(
    ' ',
  );

export function words(rand, bytes) {
  const parts = [];
  let n = 0;
  while (n < bytes) {
    const w = WORDS[Math.floor(rand() * WORDS.length)];
    parts.push(w);
    n += w.length + 1;
    if (rand() < 0.08) {
      parts.push('\n');
      n++;
    }
  }
  return parts.join(' ').slice(0, bytes);
}

export function textFile(rand, size) {
  return Buffer.from(words(rand, size), 'utf8');
}

export function logFile(rand, size) {
  const lines = [];
  let n = 0;
  let t = 1714564800000;
  while (n < size) {
    t += Math.floor(rand() * 5000);
    const line = `${new Date(t).toISOString()} ${['I', 'D', 'W', 'E'][Math.floor(rand() * 4)]}/${WORDS[Math.floor(rand() * WORDS.length)]}: ${words(rand, 20 + Math.floor(rand() * 80))}`;
    lines.push(line);
    n += line.length + 1;
  }
  return Buffer.from(lines.join('\n').slice(0, size), 'utf8');
}

export function jsonFile(rand, size) {
  const records = [];
  let n = 2;
  let id = 0;
  while (n < size) {
    const r = {
      id: id++,
      type: WORDS[Math.floor(rand() * WORDS.length)],
      ts: 1714564800 + Math.floor(rand() * 1e6),
      body: words(rand, 10 + Math.floor(rand() * 60)),
      read: rand() < 0.5,
    };
    const s = JSON.stringify(r);
    records.push(s);
    n += s.length + 1;
  }
  return Buffer.from(`[${records.join(',')}]`, 'utf8');
}

function xmlPlist(rand, size) {
  const entries = [];
  let n = 200;
  let i = 0;
  while (n < size) {
    const k = `${WORDS[Math.floor(rand() * WORDS.length)]}_${i++}`;
    const v =
      rand() < 0.5
        ? `<integer>${Math.floor(rand() * 1e6)}</integer>`
        : `<string>${words(rand, 8 + Math.floor(rand() * 40))}</string>`;
    const e = `\t<key>${k}</key>\n\t${v}\n`;
    entries.push(e);
    n += e.length;
  }
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n<dict>\n${entries.join('')}</dict>\n</plist>\n`,
    'utf8',
  );
}

function jpegLike(rand, size) {
  const head = Buffer.from(
    'ffd8ffe000104a46494600010101004800480000ffdb004300' +
      '08'.repeat(64) +
      'ffc0001108010001000301220002110103110100ffda000c03010002110311003f00',
    'hex',
  );
  const body = randomBytes(rand, Math.max(0, size - head.length - 2));
  return Buffer.concat([head, body, Buffer.from('ffd9', 'hex')]);
}

function pngLike(rand, size) {
  const sig = Buffer.from('89504e470d0a1a0a0000000d49484452000001000000010008060000005c72a866', 'hex');
  const bodyLen = Math.max(0, size - sig.length - 12 - 12);
  const idatHead = Buffer.alloc(8);
  idatHead.writeUInt32BE(bodyLen, 0);
  idatHead.write('IDAT', 4, 'latin1');
  const iend = Buffer.from('0000000049454e44ae426082', 'hex');
  return Buffer.concat([sig, idatHead, randomBytes(rand, bodyLen), Buffer.alloc(4), iend]);
}

function elfLike(rand, size) {
  const head = Buffer.alloc(64);
  Buffer.from('7f454c46020101000000000000000000', 'hex').copy(head);
  head.writeUInt16LE(3, 16); // ET_DYN
  head.writeUInt16LE(0xb7, 18); // aarch64
  const body = randomBytes(rand, Math.max(0, size - 64));
  // Code is not uniformly random: zero every 4th word for lower entropy.
  for (let i = 0; i + 4 <= body.length; i += 16) body.writeUInt32LE(0, i);
  return Buffer.concat([head, body]);
}

function gzipFile(rand, size) {
  return zlib.gzipSync(logFile(rand, size * 4), { level: 1 });
}

/** Templates made once by real tools: SQLite databases and binary plists. */
function makeTemplates(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const marker = path.join(dir, '.done');
  if (fs.existsSync(marker)) return loadTemplates(dir);
  const dbs = [
    [
      'sms.db',
      'CREATE TABLE message(ROWID INTEGER PRIMARY KEY, text TEXT, handle_id INTEGER, date INTEGER, is_read INTEGER);',
      'message',
      "(text, handle_id, date, is_read) VALUES ('message ' || value, value % 40, 700000000 + value * 37, value % 2)",
      20,
    ],
    [
      'contacts2.db',
      'CREATE TABLE raw_contacts(_id INTEGER PRIMARY KEY, display_name TEXT, account_type TEXT); CREATE TABLE data(_id INTEGER PRIMARY KEY, raw_contact_id INTEGER, mimetype TEXT, data1 TEXT);',
      'data',
      "(raw_contact_id, mimetype, data1) VALUES (value % 100, 'vnd.android.cursor.item/phone_v2', '+4470000' || value)",
      400,
    ],
    [
      'history.db',
      'CREATE TABLE urls(id INTEGER PRIMARY KEY, url TEXT, title TEXT, visit_count INTEGER, last_visit_time INTEGER);',
      'urls',
      "(url, title, visit_count, last_visit_time) VALUES ('https://example.org/page/' || value, 'page ' || value, value % 9, 13300000000000000 + value)",
      1500,
    ],
    [
      'cache.db',
      'CREATE TABLE cache(key TEXT PRIMARY KEY, value BLOB, expires INTEGER);',
      'cache',
      "(key, value, expires) VALUES ('k' || value, randomblob(200), value)",
      600,
    ],
    [
      'settings.db',
      'CREATE TABLE system(_id INTEGER PRIMARY KEY, name TEXT UNIQUE, value TEXT);',
      'system',
      "(name, value) VALUES ('setting_' || value, value)",
      60,
    ],
    [
      'msgstore.db',
      'CREATE TABLE messages(_id INTEGER PRIMARY KEY, key_remote_jid TEXT, data TEXT, timestamp INTEGER, media_wa_type INTEGER); CREATE INDEX m1 ON messages(key_remote_jid);',
      'messages',
      "(key_remote_jid, data, timestamp, media_wa_type) VALUES ((value % 50) || '@s.whatsapp.net', 'hello ' || value, 1700000000000 + value, value % 3)",
      3000,
    ],
  ];
  for (const [name, schema, table, insert, rows] of dbs) {
    const file = path.join(dir, name);
    fs.rmSync(file, { force: true });
    const sql = `PRAGMA page_size=4096; ${schema} WITH RECURSIVE c(value) AS (SELECT 1 UNION ALL SELECT value+1 FROM c WHERE value < ${rows}) INSERT INTO ${table}${insert.replace(/ VALUES \((.*)\)$/, ' SELECT $1')} FROM c;`;
    execFileSync('sqlite3', [file, sql]);
  }
  const py = `
import plistlib, sys, os
d = sys.argv[1]
for i, n in enumerate([3, 12, 40, 150, 600]):
    obj = {'CFBundleIdentifier': 'com.example.app%d' % i, 'Version': i, 'Items': [{'name': 'item %d' % k, 'count': k, 'flag': k % 2 == 0, 'data': bytes([k % 256]) * 16} for k in range(n)]}
    with open(os.path.join(d, 'bplist%d.plist' % i), 'wb') as f:
        plistlib.dump(obj, f, fmt=plistlib.FMT_BINARY, sort_keys=True)
`;
  execFileSync('python3', ['-c', py, dir]);
  fs.writeFileSync(marker, 'ok\n');
  return loadTemplates(dir);
}

function loadTemplates(dir) {
  const names = fs.readdirSync(dir).sort();
  return {
    sqlite: names.filter((n) => n.endsWith('.db')).map((n) => fs.readFileSync(path.join(dir, n))),
    bplist: names.filter((n) => n.startsWith('bplist')).map((n) => fs.readFileSync(path.join(dir, n))),
  };
}

/** The mix: share of the file count, the extension(s) and how to make the bytes. */
function kinds(templates, maxSize) {
  const cap = (n) => Math.min(n, maxSize);
  const pick = (rand, list) => list[Math.floor(rand() * list.length)];
  return [
    { share: 0.16, ext: ['txt', 'cfg', 'ini', ''], make: (r) => textFile(r, logSize(r, 32, cap(32 * 1024))) },
    { share: 0.08, ext: ['log'], make: (r) => logFile(r, logSize(r, 256, cap(64 * 1024))) },
    { share: 0.12, ext: ['json'], make: (r) => jsonFile(r, logSize(r, 64, cap(32 * 1024))) },
    { share: 0.07, ext: ['plist', 'xml'], make: (r) => xmlPlist(r, logSize(r, 300, cap(16 * 1024))) },
    { share: 0.05, ext: ['plist'], make: (r) => pick(r, templates.bplist) },
    { share: 0.05, ext: ['db', 'sqlite', 'sqlitedb'], make: (r) => pick(r, templates.sqlite) },
    { share: 0.12, ext: ['jpg', 'jpeg', 'thumb'], make: (r) => jpegLike(r, logSize(r, 2048, cap(256 * 1024))) },
    { share: 0.05, ext: ['png'], make: (r) => pngLike(r, logSize(r, 256, cap(128 * 1024))) },
    { share: 0.1, ext: ['bin', 'enc', 'dat', ''], make: (r) => randomBytes(r, logSize(r, 64, cap(64 * 1024))) },
    { share: 0.06, ext: ['gz'], make: (r) => gzipFile(r, logSize(r, 256, cap(64 * 1024))) },
    { share: 0.04, ext: ['so', 'odex'], make: (r) => elfLike(r, logSize(r, 4096, cap(512 * 1024))) },
    { share: 0.03, ext: ['tmp', 'lock', ''], make: () => Buffer.alloc(0) },
    {
      share: 0.07,
      ext: ['cache', '0', '1', ''],
      make: (r) =>
        r() < 0.5 ? randomBytes(r, logSize(r, 128, cap(64 * 1024))) : textFile(r, logSize(r, 64, cap(8 * 1024))),
    },
  ];
}

const APP_SUBDIRS = ['databases', 'shared_prefs', 'files', 'cache', 'app_webview/Default', 'no_backup'];

/** Folder for file number `i`: ~64 files per folder, Android-like paths. */
function folderOf(i, perFolder) {
  const f = Math.floor(i / perFolder);
  const app = Math.floor(f / APP_SUBDIRS.length);
  if (f % 10 === 7) return `media/0/DCIM/Camera/${String(f).padStart(5, '0')}`;
  if (f % 10 === 8)
    return `media/0/Android/data/com.vendor.app${String(app % 400).padStart(3, '0')}/cache/${String(f).padStart(5, '0')}`;
  return `data/data/com.vendor.app${String(app).padStart(4, '0')}/${APP_SUBDIRS[f % APP_SUBDIRS.length]}/${String(f).padStart(5, '0')}`;
}

/**
 * Writes the tree (reusing it when its marker matches) and returns facts about it.
 * @param {{ files: number, name: string, seed?: number, maxSize?: number }} opts
 */
export function generateTree(opts) {
  const { files, name, seed = 20240501, maxSize = Number.MAX_SAFE_INTEGER } = opts;
  const root = path.join(DATA_DIR, name);
  const marker = path.join(DATA_DIR, `${name}.done`);
  const want = JSON.stringify({ files, seed, maxSize, version: 2 });
  if (fs.existsSync(marker)) {
    const facts = JSON.parse(fs.readFileSync(marker, 'utf8'));
    if (facts.params === want) return { root, ...facts };
  }
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  const templates = makeTemplates(path.join(DATA_DIR, 'templates'));
  const mix = kinds(templates, maxSize);
  const rand = prng(seed);
  const perFolder = 64;
  let bytes = 0;
  let made = '';
  const t0 = Date.now();
  for (let i = 0; i < files; i++) {
    const folder = folderOf(i, perFolder);
    if (folder !== made) {
      fs.mkdirSync(path.join(root, folder), { recursive: true });
      made = folder;
    }
    let x = rand();
    let k = mix[mix.length - 1];
    for (const m of mix) {
      if (x < m.share) {
        k = m;
        break;
      }
      x -= m.share;
    }
    const ext = k.ext[Math.floor(rand() * k.ext.length)];
    const data = k.make(rand);
    const file = path.join(root, folder, `f${String(i).padStart(7, '0')}${ext ? '.' + ext : ''}`);
    fs.writeFileSync(file, data);
    bytes += data.length;
    if (i % 50000 === 49999)
      process.stderr.write(
        `  generated ${i + 1} files (${(bytes / 1048576).toFixed(0)} MiB, ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`,
      );
  }
  // Fixed times so archives are reproducible.
  execFileSync('find', [root, '-exec', 'touch', '-h', '-d', FIXED_TIME.toISOString(), '{}', '+']);
  const facts = { params: want, files, bytes };
  fs.writeFileSync(marker, JSON.stringify(facts));
  return { root, ...facts };
}

/** The tree as ZIP (`zip -r -1 -X`, sorted names) and TAR.GZ (GNU tar `--sort=name`), reused when present. */
export function generateArchives(tree) {
  const zip = `${tree.root}.zip`;
  const tgz = `${tree.root}.tar.gz`;
  const marker = `${tree.root}.archives.done`;
  if (
    fs.existsSync(marker) &&
    fs.readFileSync(marker, 'utf8') === tree.params &&
    fs.existsSync(zip) &&
    fs.existsSync(tgz)
  )
    return { zip, tgz };
  fs.rmSync(zip, { force: true });
  fs.rmSync(tgz, { force: true });
  process.stderr.write('  writing ZIP...\n');
  // Names sorted, fed on stdin: the same archive every time.
  const list = execFileSync('sh', ['-c', 'find . -type f | LC_ALL=C sort'], { cwd: tree.root, maxBuffer: 1 << 30 });
  execFileSync('zip', ['-q', '-1', '-X', '-@', zip], { cwd: tree.root, input: list, maxBuffer: 1 << 30 });
  process.stderr.write('  writing TAR.GZ...\n');
  execFileSync('tar', [
    '--sort=name',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    `--mtime=${FIXED_TIME.toISOString()}`,
    '-czf',
    tgz,
    '-C',
    tree.root,
    '.',
  ]);
  fs.writeFileSync(marker, tree.params);
  return { zip, tgz };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const get = (k, d) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : d;
  };
  const tree = generateTree({
    files: Number(get('--files', 100000)),
    name: get('--name', 'tree-100k'),
    ...(get('--max-size') ? { maxSize: Number(get('--max-size')) } : {}),
  });
  console.log(JSON.stringify(tree));
  if (args.includes('--archives')) console.log(JSON.stringify(generateArchives(tree)));
}
