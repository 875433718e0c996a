/**
 * A mobile-style benchmark tree: what a phone extraction looks like, not a
 * uniform mix. Android app folders (`data/data/<pkg>/{databases,shared_prefs,
 * files,cache,app_webview,...}`), iOS app containers
 * (`private/var/mobile/Containers/Data/Application/<UUID>/{Library/Preferences,
 * Library/Caches,Library/Application Support,Documents,tmp}`) and the media
 * folders of both (camera photos, screenshots, thumbnails, chat images, videos).
 * Most files are small (preferences, cache entries, small blobs); a few are
 * large (camera photos, videos, message databases), as on a phone.
 *
 * Real bytes from real writers wherever one exists:
 * - SQLite databases by SQLite itself (better-sqlite3, the parsers' dependency):
 *   several tables, and for some databases the WAL kept with its `-wal` and
 *   `-shm` companions (copied while the connection is still open, as an
 *   extraction of a running phone would find them);
 * - binary and XML plists by Python's `plistlib`;
 * - JPEGs by `cjpeg` (libjpeg-turbo-progs) and PNGs by `pnmtopng` (netpbm)
 *   from generated pixels; each copy gets a unique JPEG COM segment / PNG tEXt
 *   chunk so no two files are identical;
 * - zlib and raw DEFLATE caches by Node's zlib.
 * Written from published layouts (no encoder at hand): MP4 videos
 * (ISO/IEC 14496-12 boxes: ftyp, mdat of random bytes, moov/mvhd), Android
 * `shared_prefs` XML (the `<map>` format of Android's XmlUtils), OkHttp
 * DiskLruCache entries, `Cookies.binarycookies` (magic `cook`), LevelDB
 * CURRENT/LOCK/LOG files.
 *
 * Deterministic: one seeded PRNG (mulberry32) drives every choice and every
 * byte we write; mtimes are fixed. The one exception is SQLite's own WAL
 * salts, which SQLite draws at random: `-wal` and `-shm` files differ in those
 * bytes between generations (same sizes); every other file is byte-identical.
 * Cached in bench/.data/<name>/ with a `<name>.done` marker recording the
 * parameters, like bench/gen.mjs.
 *
 * Usage: node bench/gen-mobile.mjs [--files 100000] [--name mobile-100k] [--seed N]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { DATA_DIR, jsonFile, logFile, logSize, prng, randomBytes, textFile, words } from './gen.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const FIXED_TIME = new Date('2024-05-01T12:00:00Z');
// better-sqlite3 is a dependency of @evtriage/parsers; resolve it from there.
const Database = createRequire(path.join(repo, 'packages/parsers/package.json'))('better-sqlite3');
const VERSION = 1;

const pick = (rand, list) => list[Math.floor(rand() * list.length)];
const int = (rand, lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const hex = (rand, n) =>
  randomBytes(rand, Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);
function uuid(rand) {
  const h = hex(rand, 32).toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---------------------------------------------------------------- images

/** Pixels for an image: smooth gradients, a few flat blocks, noise of the given amplitude (PPM P6). */
function ppm(rand, w, h, noise, blocks) {
  const head = Buffer.from(`P6\n${w} ${h}\n255\n`, 'latin1');
  const px = Buffer.alloc(w * h * 3);
  const c0 = [rand() * 255, rand() * 255, rand() * 255];
  const dx = [rand() - 0.5, rand() - 0.5, rand() - 0.5].map((v) => (v * 300) / w);
  const dy = [rand() - 0.5, rand() - 0.5, rand() - 0.5].map((v) => (v * 300) / h);
  const rects = Array.from({ length: blocks }, () => [
    int(rand, 0, w),
    int(rand, 0, h),
    int(rand, 8, w / 2),
    int(rand, 8, h / 4),
    [int(rand, 0, 255), int(rand, 0, 255), int(rand, 0, 255)],
  ]);
  const noiseBytes = randomBytes(rand, w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const n = ((noiseBytes[y * w + x] - 128) * noise) / 128;
      for (let c = 0; c < 3; c++) px[i + c] = Math.max(0, Math.min(255, c0[c] + dx[c] * x + dy[c] * y + n));
    }
  }
  for (const [rx, ry, rw, rh, col] of rects) {
    for (let y = ry; y < Math.min(h, ry + rh); y++) {
      for (let x = rx; x < Math.min(w, rx + rw); x++) px.set(col, (y * w + x) * 3);
    }
  }
  return Buffer.concat([head, px]);
}

/** Image templates, made once by cjpeg and pnmtopng (cached in <data>/mobile-templates). */
function imageTemplates(dir, seed) {
  const marker = path.join(dir, '.done');
  const want = JSON.stringify({ seed, version: VERSION });
  const spec = {
    thumb: [
      [160, 120, 20, 4],
      [256, 192, 30, 2],
      [320, 240, 12, 6],
      [96, 96, 25, 1],
    ],
    chat: [
      [800, 600, 25, 6],
      [1280, 960, 18, 8],
      [1024, 768, 30, 3],
    ],
    camera: [
      [2016, 1512, 22, 3],
      [2560, 1920, 16, 5],
      [1600, 1200, 30, 2],
    ],
    screenshot: [
      [540, 1170, 4, 40],
      [720, 1560, 2, 60],
      [390, 844, 6, 30],
    ],
    icon: [
      [48, 48, 10, 2],
      [96, 96, 8, 3],
      [192, 192, 5, 4],
    ],
  };
  if (!(fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === want)) {
    for (const [tool, pkg] of [
      ['cjpeg', 'libjpeg-turbo-progs'],
      ['pnmtopng', 'netpbm'],
      ['python3', 'python3'],
    ]) {
      try {
        execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      } catch {
        throw new Error(`the mobile tree needs ${tool} (Debian package ${pkg}): apt-get install -y ${pkg}`);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const rand = prng(seed ^ 0x5eed);
    for (const [kind, sizes] of Object.entries(spec)) {
      sizes.forEach(([w, h, noise, blocks], i) => {
        const pixels = ppm(rand, w, h, noise, blocks);
        const png = kind === 'screenshot' || kind === 'icon';
        const out = execFileSync(png ? 'pnmtopng' : 'cjpeg', png ? [] : ['-quality', String(int(rand, 80, 95))], {
          input: pixels,
          maxBuffer: 1 << 28,
        });
        fs.writeFileSync(path.join(dir, `${kind}-${i}.${png ? 'png' : 'jpg'}`), out);
      });
    }
    fs.writeFileSync(marker, want);
  }
  const t = {};
  for (const kind of Object.keys(spec)) {
    t[kind] = fs
      .readdirSync(dir)
      .filter((n) => n.startsWith(`${kind}-`))
      .sort()
      .map((n) => fs.readFileSync(path.join(dir, n)));
  }
  return t;
}

/** A JPEG template made unique: a COM segment right after SOI. */
function uniqueJpeg(rand, tpl) {
  const body = Buffer.concat([Buffer.from(`evtriage-bench ${hex(rand, 16)} `), randomBytes(rand, int(rand, 8, 200))]);
  const seg = Buffer.alloc(4);
  seg.writeUInt16BE(0xfffe, 0);
  seg.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([tpl.subarray(0, 2), seg, body, tpl.subarray(2)]);
}

/** A PNG template made unique: a tEXt chunk right after IHDR (8-byte signature + 25-byte IHDR). */
function uniquePng(rand, tpl) {
  const data = Buffer.from(`Comment\0evtriage-bench ${hex(rand, 24)}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(zlib.crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return Buffer.concat([tpl.subarray(0, 33), chunk, tpl.subarray(33)]);
}

function box(type, ...parts) {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/** An MP4 from the ISO/IEC 14496-12 layout: ftyp, mdat (random payload), moov with an mvhd. */
function mp4(rand, size) {
  const ftyp = box('ftyp', Buffer.from('mp42\0\0\0\0isommp42', 'latin1'));
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(0, 0); // version 0, flags
  mvhd.writeUInt32BE(3797000000, 4); // creation (seconds since 1904)
  mvhd.writeUInt32BE(3797000000, 8);
  mvhd.writeUInt32BE(1000, 12); // timescale
  mvhd.writeUInt32BE(int(rand, 2000, 90000), 16); // duration
  mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
  mvhd.writeUInt16BE(0x0100, 24); // volume 1.0
  [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].forEach((v, i) => mvhd.writeUInt32BE(v, 36 + i * 4));
  mvhd.writeUInt32BE(3, 96); // next track id
  const moov = box('moov', box('mvhd', mvhd));
  const mdat = box('mdat', randomBytes(rand, Math.max(0, size - ftyp.length - moov.length - 8)));
  return Buffer.concat([ftyp, mdat, moov]);
}

// ---------------------------------------------------------------- small formats

function sharedPrefs(rand) {
  const lines = ["<?xml version='1.0' encoding='utf-8' standalone='yes' ?>", '<map>'];
  const n = Math.round(logSize(rand, 2, 120));
  for (let i = 0; i < n; i++) {
    const name = `${pick(rand, WORDS2)}_${pick(rand, WORDS2)}${i}`;
    const t = rand();
    if (t < 0.45) lines.push(`    <string name="${name}">${xmlEscape(words(rand, int(rand, 4, 120)))}</string>`);
    else if (t < 0.65) lines.push(`    <boolean name="${name}" value="${rand() < 0.5}" />`);
    else if (t < 0.8) lines.push(`    <int name="${name}" value="${int(rand, 0, 100000)}" />`);
    else if (t < 0.95) lines.push(`    <long name="${name}" value="${1700000000000 + int(rand, 0, 1e9)}" />`);
    else lines.push(`    <set name="${name}">\n        <string>${pick(rand, WORDS2)}</string>\n    </set>`);
  }
  lines.push('</map>', '');
  return Buffer.from(lines.join('\n'), 'utf8');
}

const WORDS2 = `
    pref last sync token user id enabled count time version flag consent analytics push device install session
    theme locale account server cursor
  `
  .trim()
  .split(/\s+/);

function xmlEscape(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function okHttpJournal(rand, keys) {
  const lines = ['libcore.io.DiskLruCache', '1', '201105', '2', ''];
  for (const k of keys) lines.push(`DIRTY ${k}`, `CLEAN ${k} ${int(rand, 200, 900)} ${int(rand, 100, 90000)}`);
  return Buffer.from(lines.join('\n') + '\n', 'latin1');
}

function httpHeaders(rand) {
  // The PRNG is drawn in this order: version, path word, key, header count, max-age.
  const url = `https://api.example.com/v${int(rand, 1, 3)}/${pick(rand, WORDS2)}/${hex(rand, 12)}`;
  const headers = int(rand, 4, 12);
  const maxAge = int(rand, 60, 86400);
  const lines = [url, 'GET', '0', 'HTTP/1.1 200 OK', String(headers), 'content-type: application/json'];
  return Buffer.from(`${lines.join('\n')}\ncache-control: max-age=${maxAge}\n`, 'latin1');
}

function binaryCookies(rand) {
  const n = int(rand, 1, 4);
  const head = Buffer.alloc(8 + 4 * n);
  head.write('cook', 0, 'latin1');
  head.writeUInt32BE(n, 4);
  const pages = [];
  for (let i = 0; i < n; i++) {
    const p = randomBytes(rand, int(rand, 200, 2000));
    head.writeUInt32BE(p.length, 8 + 4 * i);
    pages.push(p);
  }
  return Buffer.concat([head, ...pages, randomBytes(rand, 8)]);
}

/** A plist object; written by Python's plistlib (binary or XML). */
function plistObject(rand, bundle, n) {
  const o = { CFBundleIdentifier: bundle };
  for (let i = 0; i < n; i++) {
    const k = `${pick(rand, WORDS2)}${i}`;
    const t = rand();
    if (t < 0.35) o[k] = words(rand, int(rand, 4, 80));
    else if (t < 0.55) o[k] = int(rand, 0, 1e6);
    else if (t < 0.7) o[k] = rand() < 0.5;
    else if (t < 0.8) o[k] = { $date: new Date(1.6e12 + int(rand, 0, 1e11)).toISOString().replace(/\.\d+Z$/, 'Z') };
    else if (t < 0.9) o[k] = { $data: randomBytes(rand, int(rand, 8, 400)).toString('base64') };
    else o[k] = Array.from({ length: int(rand, 1, 8) }, () => ({ name: pick(rand, WORDS2), v: int(rand, 0, 99) }));
  }
  return o;
}

// ---------------------------------------------------------------- SQLite

const SCHEMAS = [
  {
    name: 'messages',
    sql: `
      CREATE TABLE messages(_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, body TEXT, date INTEGER,
      read INTEGER);
      CREATE INDEX m_thread ON messages(thread_id, date);
      CREATE TABLE threads(_id INTEGER PRIMARY KEY, recipient TEXT, snippet TEXT);
    `,
    row: (r, i) => [
      `INSERT INTO messages(thread_id,address,body,date,read) VALUES (?,?,?,?,?)`,
      [i % 37, `+44700${int(r, 100000, 999999)}`, words(r, int(r, 8, 160)), 1.7e12 + i * 6000, i % 2],
    ],
  },
  {
    name: 'contacts',
    sql: `
      CREATE TABLE raw_contacts(_id INTEGER PRIMARY KEY, display_name TEXT, account_type TEXT);
      CREATE TABLE data(_id INTEGER PRIMARY KEY, raw_contact_id INTEGER, mimetype TEXT, data1 TEXT);
    `,
    row: (r, i) => [
      `INSERT INTO data(raw_contact_id,mimetype,data1) VALUES (?,?,?)`,
      [i % 211, 'vnd.android.cursor.item/phone_v2', `+4470${int(r, 1e6, 9e6)}`],
    ],
  },
  {
    name: 'kv',
    sql: 'CREATE TABLE cache(key TEXT PRIMARY KEY, value BLOB, expires INTEGER) WITHOUT ROWID;',
    row: (r, i) => [
      `INSERT OR REPLACE INTO cache VALUES (?,?,?)`,
      [`k${hex(r, 12)}${i}`, randomBytes(r, int(r, 16, 600)), 1.7e9 + i],
    ],
  },
  {
    name: 'events',
    sql: `
      CREATE TABLE events(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, payload TEXT, ts INTEGER);
      CREATE TABLE meta(k TEXT, v TEXT);
    `,
    row: (r, i) => [
      `INSERT INTO events(name,payload,ts) VALUES (?,?,?)`,
      [pick(r, WORDS2), JSON.stringify({ a: words(r, int(r, 10, 80)), n: i }), 1.7e9 + i * 13],
    ],
  },
  {
    name: 'coredata',
    sql: `
      CREATE TABLE ZITEM(Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZTITLE VARCHAR, ZCREATED
      TIMESTAMP, ZDATA BLOB);
      CREATE TABLE Z_PRIMARYKEY(Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, Z_MAX INTEGER);
      CREATE TABLE Z_METADATA(Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);
    `,
    row: (r, i) => [
      `INSERT INTO ZITEM(Z_ENT,Z_OPT,ZTITLE,ZCREATED,ZDATA) VALUES (?,?,?,?,?)`,
      [1, 1, words(r, int(r, 5, 60)), 7e8 + i * 60, r() < 0.3 ? randomBytes(r, int(r, 20, 300)) : null],
    ],
  },
  {
    name: 'media',
    sql: `
      CREATE TABLE files(_id INTEGER PRIMARY KEY, _data TEXT, _size INTEGER, mime_type TEXT, date_added
      INTEGER, width INTEGER, height INTEGER);
      CREATE INDEX f_path ON files(_data);
    `,
    row: (r, i) => [
      `INSERT INTO files(_data,_size,mime_type,date_added,width,height) VALUES (?,?,?,?,?,?)`,
      [`/storage/emulated/0/DCIM/Camera/IMG_${i}.jpg`, int(r, 1e5, 5e6), 'image/jpeg', 1.7e9 + i, 4032, 3024],
    ],
  },
  {
    name: 'webcookies',
    sql: `
      CREATE TABLE cookies(creation_utc INTEGER NOT NULL, host_key TEXT NOT NULL, name TEXT NOT NULL, value
      TEXT NOT NULL, path TEXT NOT NULL, expires_utc INTEGER NOT NULL, is_secure INTEGER NOT NULL);
      CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
    `,
    row: (r, i) => [
      `INSERT INTO cookies VALUES (?,?,?,?,?,?,?)`,
      [13.3e15 + i, `.${pick(r, WORDS2)}.example.com`, `c${i}`, hex(r, 32), '/', 13.4e15, 1],
    ],
  },
];

/**
 * A real SQLite database: schema, `rows` rows, and for `wal` the WAL left behind with
 * its -wal/-shm companions (the files are copied while the connection is open; closing
 * would checkpoint the WAL into the database and delete it).
 */
function sqliteFiles(rand, schema, rows, wal, tmp) {
  const file = path.join(tmp, `db-${process.pid}.sqlite`);
  for (const s of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + s, { force: true });
  const db = new Database(file);
  try {
    db.pragma('page_size = 4096');
    if (wal) {
      db.pragma('journal_mode = WAL');
      db.pragma('wal_autocheckpoint = 0');
    }
    // Whitespace collapsed: SQLite stores the schema text in the file, written here on one line.
    db.exec(schema.sql.replace(/\s+/g, ' ').trim());
    const bulk = wal ? Math.floor(rows * 0.8) : rows;
    const statements = new Map();
    const insertRows = (from, to) => {
      db.transaction(() => {
        for (let i = from; i < to; i++) {
          const [sql, params] = schema.row(rand, i);
          if (!statements.has(sql)) statements.set(sql, db.prepare(sql));
          statements.get(sql).run(...params);
        }
      })();
    };
    insertRows(0, bulk);
    const out = { '': null };
    if (wal) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      // Recent changes stay in the WAL, as on a phone in use.
      const batches = int(rand, 1, 4);
      for (let b = 0; b < batches; b++)
        insertRows(
          bulk + Math.floor(((rows - bulk) * b) / batches),
          bulk + Math.floor(((rows - bulk) * (b + 1)) / batches),
        );
      out['-wal'] = fs.readFileSync(file + '-wal');
      out['-shm'] = fs.readFileSync(file + '-shm');
    }
    out[''] = fs.readFileSync(file);
    return out;
  } finally {
    db.close();
    for (const s of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + s, { force: true });
  }
}

// ---------------------------------------------------------------- the tree

const ANDROID_PKGS = `
    com.whatsapp com.facebook.katana com.instagram.android org.telegram.messenger com.google.android.gm
    com.android.chrome com.spotify.music com.snapchat.android com.twitter.android com.google.android.apps.maps
    com.android.providers.contacts com.android.providers.telephony com.android.providers.media
    com.samsung.android.messaging com.zhiliaoapp.musically com.viber.voip com.skype.raider
    com.google.android.youtube com.ubercab com.discord
  `
  .trim()
  .split(/\s+/);
const IOS_BUNDLES = `
    net.whatsapp.WhatsApp com.burbn.instagram ph.telegra.Telegraph com.google.Gmail com.spotify.client
    com.toyopagroup.picaboo com.atebits.Tweetie2 com.google.Maps com.apple.mobilenotes com.facebook.Messenger
    com.zhiliaoapp.musically com.viber com.skype.skype com.google.ios.youtube com.ubercab.UberClient
    com.hammerandchisel.discord
  `
  .trim()
  .split(/\s+/);

/**
 * Emits the files of one "slot" of the tree: an Android app, an iOS app container or
 * a burst of media. Calls `emit(relPath, bytes)` or `emitPlist(relPath, fmt, obj)`.
 */
function slot(i, rand, t, out) {
  const kind = i % 10 === 9 ? 'media' : i % 10 < 6 ? 'android' : 'ios';
  if (kind === 'android') return androidApp(i, rand, t, out);
  if (kind === 'ios') return iosApp(i, rand, t, out);
  return media(i, rand, t, out);
}

/** The n-th app name: the real names first, then numbered variants (each app folder is unique). */
const nth = (names, n) => `${names[n % names.length]}${n >= names.length ? `.u${Math.floor(n / names.length)}` : ''}`;

/** Heavy-tailed counts: most folders hold a few files, some hold hundreds. */
const many = (rand, lo, hi) => Math.round(logSize(rand, lo + 1, hi + 1)) - 1;

function cacheBlob(rand, t) {
  const x = rand();
  if (x < 0.3) return randomBytes(rand, Math.round(logSize(rand, 16, 48 * 1024)));
  if (x < 0.45) return zlib.deflateRawSync(jsonFile(rand, Math.round(logSize(rand, 100, 24 * 1024))));
  if (x < 0.55) return zlib.deflateSync(textFile(rand, Math.round(logSize(rand, 100, 24 * 1024))));
  if (x < 0.65) return zlib.gzipSync(jsonFile(rand, Math.round(logSize(rand, 100, 16 * 1024))));
  if (x < 0.8) return uniqueJpeg(rand, pick(rand, t.img.thumb));
  if (x < 0.9) return jsonFile(rand, Math.round(logSize(rand, 40, 16 * 1024)));
  return randomBytes(rand, int(rand, 1, 512));
}

function databases(rand, base, names, out, tmp) {
  for (const name of names) {
    const schema = pick(rand, SCHEMAS);
    const rows = Math.round(logSize(rand, 3, rand() < 0.04 ? 30000 : 4000));
    const wal = rand() < 0.45;
    const files = sqliteFiles(rand, schema, rows, wal, tmp);
    for (const [suffix, bytes] of Object.entries(files)) out.emit(`${base}/${name}${suffix}`, bytes);
  }
}

function androidApp(i, rand, t, out) {
  const pkg = nth(ANDROID_PKGS, Math.floor(i / 10) * 6 + (i % 10));
  const base = `data/data/${pkg}`;
  const dbNames = Array.from(
    { length: int(rand, 0, 4) },
    (_, k) => `${pick(rand, ['app', 'main', 'cache', 'analytics', 'msgstore', 'store', 'offline'])}${k}.db`,
  );
  databases(rand, `${base}/databases`, dbNames, out, t.tmp);
  for (let k = int(rand, 1, 10); k > 0; k--)
    out.emit(`${base}/shared_prefs/${pkg}_${pick(rand, WORDS2)}${k}.xml`, sharedPrefs(rand));
  for (let k = many(rand, 0, 40); k > 0; k--) {
    const x = rand();
    const name = `${base}/files/${rand() < 0.3 ? `${pick(rand, WORDS2)}/` : ''}${pick(rand, WORDS2)}_${k}`;
    if (x < 0.3) out.emit(`${name}.json`, jsonFile(rand, Math.round(logSize(rand, 30, 32 * 1024))));
    else if (x < 0.5) out.emit(`${name}.pb`, randomBytes(rand, Math.round(logSize(rand, 20, 4096))));
    else if (x < 0.65) out.emit(`${name}.log`, logFile(rand, Math.round(logSize(rand, 200, 64 * 1024))));
    else if (x < 0.8) out.emit(name, zlib.deflateRawSync(textFile(rand, Math.round(logSize(rand, 100, 16 * 1024)))));
    else out.emit(`${name}.dat`, randomBytes(rand, Math.round(logSize(rand, 8, 32 * 1024))));
  }
  // Caches: most apps keep a few entries, some keep hundreds (image and HTTP caches).
  const cacheN = many(rand, 0, 400);
  const httpKeys = [];
  for (let k = 0; k < cacheN; k++) {
    const x = rand();
    if (x < 0.35)
      out.emit(
        `${base}/cache/image_manager_disk_cache/${hex(rand, 64)}.0`,
        uniqueJpeg(rand, pick(rand, rand() < 0.98 ? t.img.thumb : t.img.chat)),
      );
    else if (x < 0.6) {
      const key = hex(rand, 32);
      httpKeys.push(key);
      out.emit(`${base}/cache/http-cache/${key}.0`, httpHeaders(rand));
      out.emit(
        `${base}/cache/http-cache/${key}.1`,
        rand() < 0.5
          ? jsonFile(rand, Math.round(logSize(rand, 40, 32 * 1024)))
          : zlib.gzipSync(jsonFile(rand, Math.round(logSize(rand, 40, 32 * 1024)))),
      );
    } else
      out.emit(
        `${base}/cache/${rand() < 0.5 ? `${hex(rand, 2)}/` : ''}${hex(rand, 16)}${rand() < 0.3 ? '.tmp' : ''}`,
        cacheBlob(rand, t),
      );
  }
  if (httpKeys.length) out.emit(`${base}/cache/http-cache/journal`, okHttpJournal(rand, httpKeys));
  if (rand() < 0.4) {
    const wv = `${base}/app_webview/Default`;
    databases(rand, wv, ['Cookies', 'Web Data'], out, t.tmp);
    out.emit(`${wv}/Local Storage/leveldb/CURRENT`, Buffer.from('MANIFEST-000001\n'));
    out.emit(`${wv}/Local Storage/leveldb/LOCK`, Buffer.alloc(0));
    out.emit(`${wv}/Local Storage/leveldb/LOG`, logFile(rand, int(rand, 200, 2000)));
    out.emit(`${wv}/Local Storage/leveldb/000003.log`, randomBytes(rand, int(rand, 100, 8000)));
  }
  if (rand() < 0.5)
    out.emit(
      `${base}/no_backup/com.google.InstanceId.properties`,
      Buffer.from(`#Properties\n#Thu May 01 12:00:00 GMT 2024\n|S||P|=${hex(rand, 40)}\n`),
    );
  if (rand() < 0.3) out.emit(`${base}/code_cache/.overlay`, Buffer.alloc(0));
}

function iosApp(i, rand, t, out) {
  const bundle = nth(IOS_BUNDLES, Math.floor(i / 10) * 3 + (i % 10) - 6);
  const base = `private/var/mobile/Containers/Data/Application/${uuid(rand)}`;
  out.emitPlist(`${base}/.com.apple.mobile_container_manager.metadata.plist`, 'binary', {
    MCMMetadataIdentifier: bundle,
    MCMMetadataContentClass: 2,
    MCMMetadataUUID: uuid(rand),
    MCMMetadataVersion: 6,
  });
  out.emitPlist(
    `${base}/Library/Preferences/${bundle}.plist`,
    rand() < 0.8 ? 'binary' : 'xml',
    plistObject(rand, bundle, Math.round(logSize(rand, 3, 200))),
  );
  for (let k = int(rand, 0, 3); k > 0; k--)
    out.emitPlist(
      `${base}/Library/Preferences/${bundle}.${pick(rand, WORDS2)}${k}.plist`,
      rand() < 0.7 ? 'binary' : 'xml',
      plistObject(rand, bundle, Math.round(logSize(rand, 1, 60))),
    );
  databases(rand, `${base}/Library/Caches/${bundle}`, ['Cache.db'], out, t.tmp);
  for (let k = many(rand, 0, 300); k > 0; k--)
    out.emit(`${base}/Library/Caches/${bundle}/fsCachedData/${uuid(rand)}`, cacheBlob(rand, t));
  const support = Array.from(
    { length: int(rand, 0, 2) },
    (_, k) => `${pick(rand, ['Model', 'Store', 'Messages', 'Analytics'])}${k}.sqlite`,
  );
  databases(rand, `${base}/Library/Application Support`, support, out, t.tmp);
  if (rand() < 0.5) out.emit(`${base}/Library/Cookies/Cookies.binarycookies`, binaryCookies(rand));
  for (let k = many(rand, 0, 30); k > 0; k--) {
    const x = rand();
    const name = `${base}/Documents/${pick(rand, WORDS2)}_${k}`;
    if (x < 0.35) out.emit(`${name}.json`, jsonFile(rand, Math.round(logSize(rand, 30, 32 * 1024))));
    else if (x < 0.55) out.emit(`${name}.jpg`, uniqueJpeg(rand, pick(rand, rand() < 0.3 ? t.img.chat : t.img.thumb)));
    else if (x < 0.75) out.emit(`${name}.txt`, textFile(rand, Math.round(logSize(rand, 10, 8 * 1024))));
    else out.emit(name, randomBytes(rand, Math.round(logSize(rand, 16, 64 * 1024))));
  }
  for (let k = int(rand, 0, 4); k > 0; k--)
    out.emit(`${base}/tmp/${hex(rand, 8)}`, randomBytes(rand, int(rand, 0, 2048)));
}

function media(i, rand, t, out) {
  const android = i % 20 === 9;
  const day = `2024${String(int(rand, 1, 12)).padStart(2, '0')}${String(int(rand, 1, 28)).padStart(2, '0')}`;
  for (let k = int(rand, 1, 10); k > 0; k--) {
    const name = android
      ? `data/media/0/DCIM/Camera/IMG_${day}_${String(i).padStart(4, '0')}${String(k).padStart(2, '0')}.jpg`
      : `private/var/mobile/Media/DCIM/${100 + (i % 9)}APPLE/IMG_${String(i * 40 + k).padStart(5, '0')}.JPG`;
    out.emit(name, uniqueJpeg(rand, pick(rand, t.img.camera)));
  }
  for (let k = many(rand, 0, 80); k > 0; k--) {
    const name = android
      ? `data/media/0/DCIM/.thumbnails/${i}${k}.jpg`
      : `private/var/mobile/Media/PhotoData/Thumbnails/V2/DCIM/${100 + (i % 9)}APPLE/IMG_${i}${k}.JPG/5005.JPG`;
    out.emit(name, uniqueJpeg(rand, pick(rand, t.img.thumb)));
  }
  for (let k = many(rand, 0, 25); k > 0; k--) {
    out.emit(
      `data/media/0/WhatsApp/Media/WhatsApp Images/IMG-${day}-WA${String(i * 100 + k).padStart(4, '0')}.jpg`,
      uniqueJpeg(rand, pick(rand, t.img.chat)),
    );
  }
  for (let k = int(rand, 0, 6); k > 0; k--) {
    out.emit(
      android
        ? `data/media/0/Pictures/Screenshots/Screenshot_${day}-${i}${k}.png`
        : `private/var/mobile/Media/DCIM/${100 + (i % 9)}APPLE/IMG_${i}${k}.PNG`,
      uniquePng(rand, pick(rand, t.img.screenshot)),
    );
  }
  for (let k = int(rand, 0, 3); k > 0; k--)
    out.emit(
      `data/media/0/Android/data/${pick(rand, ANDROID_PKGS)}/files/icon_${i}${k}.png`,
      uniquePng(rand, pick(rand, t.img.icon)),
    );
  if (rand() < 0.45) {
    out.emit(
      android
        ? `data/media/0/DCIM/Camera/VID_${day}_${i}.mp4`
        : `private/var/mobile/Media/DCIM/${100 + (i % 9)}APPLE/IMG_${i}.MOV`,
      mp4(rand, Math.round(logSize(rand, 300 * 1024, 12 * 1024 * 1024))),
    );
  }
}

/**
 * Writes the tree (reusing it when its marker matches) and returns facts about it.
 * @param {{ files: number, name: string, seed?: number, dataDir?: string }} opts (dataDir: default bench/.data)
 */
export function generateMobileTree(opts) {
  const { files, name, seed = 20261203, dataDir = DATA_DIR } = opts;
  const root = path.join(dataDir, name);
  const marker = path.join(dataDir, `${name}.done`);
  const want = JSON.stringify({ files, seed, version: VERSION });
  if (fs.existsSync(marker)) {
    const facts = JSON.parse(fs.readFileSync(marker, 'utf8'));
    if (facts.params === want) return { root, ...facts };
  }
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-gen-'));
  const t = { img: imageTemplates(path.join(dataDir, 'mobile-templates'), seed), tmp };
  const plists = [];
  let count = 0;
  let bytes = 0;
  const t0 = Date.now();
  const full = () => count >= files;
  const made = new Set();
  const seen = new Set();
  const place = (rel) => {
    const abs = path.join(root, rel);
    if (seen.has(abs)) throw new Error(`duplicate ${rel}`);
    seen.add(abs);
    const dir = path.dirname(abs);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    count++;
    if (count % 20000 === 0)
      process.stderr.write(
        `  generated ${count} files (${(bytes / 1048576).toFixed(0)} MiB, ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`,
      );
    return abs;
  };
  const out = {
    emit(rel, data) {
      if (full()) return;
      fs.writeFileSync(place(rel), data);
      bytes += data.length;
    },
    emitPlist(rel, fmt, obj) {
      if (full()) return;
      plists.push({ path: place(rel), fmt, obj });
    },
  };
  try {
    for (let i = 0; !full(); i++) slot(i, prng(seed + i * 7919), t, out);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  bytes += writePlists(plists);
  execFileSync('find', [root, '-exec', 'touch', '-h', '-d', FIXED_TIME.toISOString(), '{}', '+']);
  const facts = { params: want, files: count, bytes };
  fs.writeFileSync(marker, JSON.stringify(facts));
  return { root, ...facts };
}

/** Writes every plist with Python's plistlib in one process; returns the bytes written. */
function writePlists(plists) {
  if (!plists.length) return 0;
  const py = `
import base64, datetime, json, plistlib, sys
def conv(v):
    if isinstance(v, dict):
        if '$data' in v: return base64.b64decode(v['$data'])
        if '$date' in v: return datetime.datetime.strptime(v['$date'], '%Y-%m-%dT%H:%M:%SZ')
        return {k: conv(x) for k, x in v.items()}
    if isinstance(v, list): return [conv(x) for x in v]
    return v
total = 0
for line in sys.stdin:
    p = json.loads(line)
    fmt = plistlib.FMT_BINARY if p['fmt'] == 'binary' else plistlib.FMT_XML
    data = plistlib.dumps(conv(p['obj']), fmt=fmt, sort_keys=True)
    with open(p['path'], 'wb') as f: f.write(data)
    total += len(data)
print(total)
`;
  const input = plists.map((p) => JSON.stringify(p)).join('\n') + '\n';
  return Number(
    execFileSync('python3', ['-c', py], { input, maxBuffer: 1 << 26 })
      .toString()
      .trim(),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const get = (k, d) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : d;
  };
  const files = Number(get('--files', 100000));
  const tree = generateMobileTree({
    files,
    name: get('--name', `mobile-${files / 1000}k`),
    ...(get('--seed') ? { seed: Number(get('--seed')) } : {}),
  });
  console.log(JSON.stringify(tree));
}
