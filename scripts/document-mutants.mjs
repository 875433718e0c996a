#!/usr/bin/env node
/**
 * Structure-aware hostile documents, databases and media (the sibling of structure-mutants.mjs, which does
 * archives): real files made by the real tools, then one **field** set to a hostile value (0, 1, its maximum,
 * off by one, the file's length, its own offset, pointing back at itself), checksums the format keeps recomputed
 * so the reader trusts the lie.
 *
 *   SQLite (sqlite3 3.40, python3's sqlite3 for the WAL): the database header fields (SQLite file format 1.3:
 *     page size, versions, reserved bytes, page count, freelist trunk and count, schema cookie and format, text
 *     encoding), the first b-tree page's header (cell count, content start, first freeblock) and cell pointers,
 *     the first four bytes of every page (an overflow or freelist page's next pointer), and the WAL header and
 *     first frame header (section 4.1), their checksums recomputed.
 *   Binary plist (python3 plistlib): the 32-byte trailer (offset size, reference size, object count, top object,
 *     offset table offset), every offset table entry, every object reference of the top dictionary and of the
 *     arrays (one pointing at its own container: a cycle). Layout: CF's CFBinaryPList.c.
 *   ISO-BMFF / MP4 (ffmpeg): every box's 32-bit size (0, 1, 7, 0xFFFFFFFF, its size ±1, the file's length), also
 *     inside moov/trak/mdia/minf/stbl. Layout: ISO/IEC 14496-12 4.2. Plus a moov nested 20,000 deep (written
 *     from the layout: no tool makes one).
 *   PDF (qpdf 11: object streams and a cross-reference stream, plain, AES-256 and RC4-128): the numbers after
 *     startxref, /Length, /N and /First (object streams), /Size, /Prev, /W and /Index (cross-reference streams),
 *     /R, /V, /P (the /Encrypt dictionary), /Count, each set to 0, 1, -1, ±1, 2^31, 99999999999, the file's length.
 *   TIFF (ffmpeg) and a JPEG's EXIF (ffmpeg's JPEG, the EXIF with GPS written by exiftool: the same TIFF
 *     structure inside APP1): the first IFD offset, the entry count, each entry's type, count and value offset, the next-IFD
 *     offset (0, its own IFD: a loop, past the end). Layout: TIFF 6.0 section 2, Exif 2.32 4.5.
 *   OLE2 / compound files (gnumeric's `ssconvert` BIFF8 .xls, libgsf's `gsf createole` of a 6,000-byte and a
 *     13-byte stream: one in the FAT's sectors, one in the mini stream, msitools' `wixl` .msi): the header's sector
 *     shift, mini sector shift, directory, FAT, mini FAT and DIFAT sector counts and starts, the mini stream cutoff
 *     and the first DIFAT entries; every directory entry's name length, type, left and right sibling, child, start
 *     sector and size (its own index: a cycle); the FAT entries of the directory chain (pointing at themselves: a
 *     loop). Values also ENDOFCHAIN, FATSECT and DIFSECT (0xFFFFFFFE, FD, FC). Layout: MS-CFB 2.2, 2.3, 2.6.
 *
 * Usage: node scripts/document-mutants.mjs <out-dir> [--seed N] [--per-base N]
 * The same seed and tools write the same bytes. A tool that is not installed is skipped and named on stderr.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from './mulberry32.mjs';
import { have, run } from './tool-run.mjs';

// ---- SQLite ------------------------------------------------------------------------------------------------

const SQLITE_SQL = `PRAGMA page_size=1024;
CREATE TABLE notes(id INTEGER PRIMARY KEY, title TEXT, body BLOB);
CREATE INDEX notes_title ON notes(title);
CREATE TABLE gone(x);
INSERT INTO gone VALUES (randomblob(3000));
INSERT INTO notes(title, body) VALUES ('short', 'a short note'), ('long', zeroblob(5000)), ('third', 'x');
DROP TABLE gone;
`;

/** A database and, from python3's sqlite3 with the connection held open, the same with a WAL beside it. */
function sqliteBases(work) {
  const out = [];
  if (have('sqlite3')) {
    const f = path.join(work, 'base.db');
    fs.rmSync(f, { force: true });
    run(work, 'sqlite3', [f], SQLITE_SQL);
    out.push({ name: 'notes.db', bytes: fs.readFileSync(f) });
  } else process.stderr.write('document-mutants: sqlite3 not installed, no SQLite base\n');
  if (have('python3')) {
    const py = `import sqlite3, shutil, sys
d = sys.argv[1]
con = sqlite3.connect(d + '/wal.db')
con.execute('PRAGMA page_size=1024')
con.execute('PRAGMA journal_mode=WAL')
con.execute('PRAGMA wal_autocheckpoint=0')
con.execute('CREATE TABLE t(a, b)')
con.commit()
con.execute("INSERT INTO t VALUES (1, 'in the wal only')")
con.commit()
shutil.copy(d + '/wal.db', d + '/copy.db')
shutil.copy(d + '/wal.db-wal', d + '/copy.db-wal')
con.close()
`;
    run(work, 'python3', ['-c', py, work]);
    out.push({
      name: 'wal.db',
      bytes: fs.readFileSync(path.join(work, 'copy.db')),
      wal: fs.readFileSync(path.join(work, 'copy.db-wal')),
    });
  }
  return out;
}

/** SQLite's WAL checksum (file format 4.1): pairs of 32-bit words, in the byte order the magic names. */
function walChecksum(b, from, to, s0 = 0, s1 = 0) {
  const big = (b.readUInt32BE(0) & 1) === 1;
  for (let i = from; i < to; i += 8) {
    const x0 = big ? b.readUInt32BE(i) : b.readUInt32LE(i);
    const x1 = big ? b.readUInt32BE(i + 4) : b.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

/** Rewrites the WAL header's and every frame's checksums (each frame's chains from the one before). */
function fixWal(wal, pageSize) {
  if (wal.length < 32) return;
  let [s0, s1] = walChecksum(wal, 0, 24);
  wal.writeUInt32BE(s0, 24);
  wal.writeUInt32BE(s1, 28);
  for (let f = 32; f + 24 + pageSize <= wal.length; f += 24 + pageSize) {
    [s0, s1] = walChecksum(wal, f, f + 8, s0, s1);
    [s0, s1] = walChecksum(wal, f + 24, f + 24 + pageSize, s0, s1);
    wal.writeUInt32BE(s0, f + 16);
    wal.writeUInt32BE(s1, f + 20);
  }
}

function sqliteFields(b) {
  const f = [
    ['page-size', 16, 2],
    ['write-version', 18, 1],
    ['read-version', 19, 1],
    ['reserved-bytes', 20, 1],
    ['max-payload-fraction', 21, 1],
    ['min-payload-fraction', 22, 1],
    ['page-count', 28, 4],
    ['freelist-trunk', 32, 4],
    ['freelist-count', 36, 4],
    ['schema-cookie', 40, 4],
    ['schema-format', 44, 4],
    ['text-encoding', 56, 4],
    ['btree-type', 100, 1],
    ['btree-freeblock', 101, 2],
    ['btree-cell-count', 103, 2],
    ['btree-content-start', 105, 2],
  ].map(([name, at, size]) => ({ name, at, size }));
  const cells = b.length > 104 ? b.readUInt16BE(103) : 0;
  for (let i = 0; i < Math.min(cells, 8); i++) f.push({ name: `cell-pointer-${i}`, at: 108 + 2 * i, size: 2 });
  const pageSize = b.readUInt16BE(16) === 1 ? 65536 : b.readUInt16BE(16);
  for (let p = 1; pageSize >= 512 && p * pageSize + 4 <= b.length; p++)
    f.push({ name: `page-${p + 1}-head`, at: p * pageSize, size: 4 });
  return f;
}

function walFields() {
  return [
    ['wal-magic-low', 3, 1],
    ['wal-version', 4, 4],
    ['wal-page-size', 8, 4],
    ['wal-checkpoint', 12, 4],
    ['wal-frame1-page', 32, 4],
    ['wal-frame1-dbsize', 36, 4],
  ].map(([name, at, size]) => ({ name, at, size, wal: true }));
}

// ---- binary plist ------------------------------------------------------------------------------------------

function plistBase(work) {
  if (!have('python3')) return [];
  const py = `import plistlib, sys
v = {'name': 'evidence', 'count': 42, 'items': ['a', 'b', {'deep': [1, 2, 3]}], 'blob': b'\\x00\\x01\\x02', 'ok': True}
sys.stdout.buffer.write(plistlib.dumps(v, fmt=plistlib.FMT_BINARY, sort_keys=True))`;
  return [{ name: 'prefs.plist', bytes: run(work, 'python3', ['-c', py]) }];
}

function plistFields(b) {
  const t = b.length - 32;
  const f = [
    { name: 'offset-size', at: t + 6, size: 1 },
    { name: 'ref-size', at: t + 7, size: 1 },
    { name: 'object-count', at: t + 8, size: 8 },
    { name: 'top-object', at: t + 16, size: 8 },
    { name: 'offset-table', at: t + 24, size: 8 },
  ];
  const offSize = b[t + 6];
  const refSize = b[t + 7];
  const count = Number(b.readBigUInt64BE(t + 8));
  const table = Number(b.readBigUInt64BE(t + 24));
  const offsets = [];
  for (let i = 0; i < count && table + (i + 1) * offSize <= t; i++) {
    f.push({ name: `offset-${i}`, at: table + i * offSize, size: offSize });
    offsets.push(b.readUIntBE(table + i * offSize, offSize));
  }
  // References inside arrays (0xA_) and dictionaries (0xD_) with fewer than 15 entries.
  for (const [i, at] of offsets.entries()) {
    const marker = b[at] >> 4;
    const n = b[at] & 0xf;
    if ((marker !== 0xa && marker !== 0xd) || n === 0xf) continue;
    const refs = marker === 0xd ? 2 * n : n;
    for (let r = 0; r < refs; r++)
      f.push({ name: `object-${i}-ref-${r}`, at: at + 1 + r * refSize, size: refSize, self: i });
  }
  return f;
}

// ---- ISO-BMFF ----------------------------------------------------------------------------------------------

const CONTAINER_BOXES = new Set([
  'moov',
  'trak',
  'mdia',
  'minf',
  'stbl',
  'udta',
  'edts',
  'dinf',
  'mvex',
  'moof',
  'traf',
]);

function mp4Base(work) {
  if (!have('ffmpeg')) {
    process.stderr.write('document-mutants: ffmpeg not installed, no MP4 base\n');
    return [];
  }
  const f = path.join(work, 'clip.mp4');
  run(work, 'ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc=duration=0.4:size=32x32:rate=5',
    '-c:v',
    'mpeg4',
    '-fflags',
    '+bitexact',
    '-flags:v',
    '+bitexact',
    '-map_metadata',
    '-1',
    f,
  ]);
  return [{ name: 'clip.mp4', bytes: fs.readFileSync(f) }];
}

function boxFields(b, from = 0, to = b.length, depth = 0, out = []) {
  for (let at = from; at + 8 <= to;) {
    const size = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    out.push({ name: `${type}@${at}-size`, at, size: 4, boxSize: size });
    if (size < 8 || at + size > to) break;
    if (CONTAINER_BOXES.has(type) && depth < 8) boxFields(b, at + 8, at + size, depth + 1, out);
    at += size;
  }
  return out;
}

/** A moov box holding a moov ... `depth` deep, each size exact (ISO/IEC 14496-12 4.2), after an ftyp. */
function deepMoov(depth) {
  const ftyp = Buffer.from('00000014667479706973716d0000020069736f6d', 'hex');
  const total = 8 * depth;
  const b = Buffer.alloc(ftyp.length + total);
  ftyp.copy(b);
  for (let i = 0; i < depth; i++) {
    b.writeUInt32BE(total - 8 * i, ftyp.length + 8 * i);
    b.write('moov', ftyp.length + 8 * i + 4, 'latin1');
  }
  return b;
}

// ---- TIFF and EXIF -----------------------------------------------------------------------------------------

function tiffBases(work) {
  const out = [];
  if (!have('ffmpeg')) {
    process.stderr.write('document-mutants: ffmpeg not installed, no TIFF or JPEG base\n');
    return out;
  }
  const still = (file, colour) =>
    run(work, 'ffmpeg', [
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=c=${colour}:s=16x16`,
      '-frames:v',
      '1',
      '-fflags',
      '+bitexact',
      '-flags:v',
      '+bitexact',
      file,
    ]);
  still('image.tif', '0x336699');
  out.push({ name: 'image.tif', bytes: fs.readFileSync(path.join(work, 'image.tif')) });
  if (have('exiftool')) {
    still('photo.jpg', '0x996633');
    run(work, 'exiftool', [
      '-q',
      '-overwrite_original',
      '-Make=Evidence',
      '-Model=Phone',
      '-DateTimeOriginal=2020:01:01 00:00:00',
      '-GPSLatitude=51.5',
      '-GPSLatitudeRef=N',
      '-GPSLongitude=0.1',
      '-GPSLongitudeRef=W',
      'photo.jpg',
    ]);
    out.push({ name: 'photo.jpg', bytes: fs.readFileSync(path.join(work, 'photo.jpg')) });
  } else process.stderr.write('document-mutants: exiftool not installed, no JPEG EXIF base\n');
  return out;
}

/** Where the TIFF structure starts: 0 in a TIFF, after `Exif\0\0` in a JPEG's APP1. */
function tiffStart(b) {
  if (b[0] === 0xff && b[1] === 0xd8) {
    const at = b.indexOf('Exif\0\0', 0, 'latin1');
    return at < 0 ? -1 : at + 6;
  }
  return 0;
}

function ifdFields(b) {
  const base = tiffStart(b);
  if (base < 0) return [];
  const le = b.toString('latin1', base, base + 2) === 'II';
  const u16 = (at) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (at) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const f = [{ name: 'first-ifd', at: base + 4, size: 4, le }];
  const seen = new Set();
  const queue = [u32(base + 4)];
  while (queue.length > 0 && seen.size < 6) {
    const ifd = queue.shift();
    if (seen.has(ifd) || base + ifd + 2 > b.length) continue;
    seen.add(ifd);
    const n = u16(base + ifd);
    f.push({ name: `ifd@${ifd}-count`, at: base + ifd, size: 2, le, ifd });
    for (let i = 0; i < n && base + ifd + 2 + 12 * (i + 1) <= b.length; i++) {
      const e = base + ifd + 2 + 12 * i;
      const tag = u16(e);
      f.push({ name: `ifd@${ifd}-tag${tag}-type`, at: e + 2, size: 2, le });
      f.push({ name: `ifd@${ifd}-tag${tag}-count`, at: e + 4, size: 4, le });
      f.push({ name: `ifd@${ifd}-tag${tag}-value`, at: e + 8, size: 4, le, ifd });
      // Exif, GPS and interoperability sub-IFDs.
      if (tag === 0x8769 || tag === 0x8825 || tag === 0xa005) queue.push(u32(e + 8));
    }
    const next = base + ifd + 2 + 12 * n;
    if (next + 4 <= b.length) {
      f.push({ name: `ifd@${ifd}-next`, at: next, size: 4, le, ifd });
      if (u32(next)) queue.push(u32(next));
    }
  }
  return f;
}

// ---- OLE2 / compound files ----------------------------------------------------------------------------------

/** Compound files made by the real tools: gnumeric's BIFF8 workbook, libgsf's createole, msitools' wixl. */
function oleBases(work) {
  const out = [];
  const touch = (f) => fs.utimesSync(f, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
  if (have('ssconvert')) {
    const csv = path.join(work, 'book.csv');
    fs.writeFileSync(csv, 'name,amount\nalpha,1\nbeta,2\n');
    run(work, 'ssconvert', ['--export-type=Gnumeric_Excel:excel_biff8', csv, path.join(work, 'book.xls')]);
    out.push({ name: 'book.xls', bytes: fs.readFileSync(path.join(work, 'book.xls')) });
  } else process.stderr.write('document-mutants: ssconvert (gnumeric) not installed, no BIFF8 base\n');
  if (have('gsf')) {
    const big = path.join(work, 'big.txt');
    const small = path.join(work, 'small.txt');
    fs.writeFileSync(big, 'evidence line\n'.repeat(430));
    fs.writeFileSync(small, 'small stream\n');
    touch(big);
    touch(small);
    run(work, 'gsf', ['createole', path.join(work, 'streams.cfb'), 'big.txt', 'small.txt']);
    out.push({ name: 'streams.cfb', bytes: fs.readFileSync(path.join(work, 'streams.cfb')) });
  } else process.stderr.write('document-mutants: gsf (libgsf-bin) not installed, no createole base\n');
  if (have('wixl')) {
    fs.writeFileSync(path.join(work, 'README.txt'), 'Demo application\n');
    fs.writeFileSync(
      path.join(work, 'demo.wxs'),
      `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="12345678-1234-1234-1234-123456789010" Name="Demo" Language="1033" Version="1.0.0" Manufacturer="Demo" UpgradeCode="12345678-1234-1234-1234-123456789012">
    <Package InstallerVersion="200" Compressed="yes" Comments="demo"/>
    <Media Id="1" Cabinet="demo.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir"><Directory Id="ProgramFilesFolder"><Directory Id="INSTALLDIR" Name="Demo">
      <Component Id="MainFile" Guid="12345678-1234-1234-1234-123456789013"><File Id="readme" Source="README.txt"/></Component>
    </Directory></Directory></Directory>
    <Feature Id="Complete" Level="1"><ComponentRef Id="MainFile"/></Feature>
  </Product>
</Wix>
`,
    );
    run(work, 'wixl', ['-o', 'demo.msi', 'demo.wxs']);
    out.push({ name: 'demo.msi', bytes: fs.readFileSync(path.join(work, 'demo.msi')) });
  } else process.stderr.write('document-mutants: wixl (msitools) not installed, no MSI base\n');
  return out;
}

const CFB_SPECIAL = [0xfffffffe, 0xfffffffd, 0xfffffffc];

/** The compound file's header fields, its directory entries and the FAT entries of the directory chain. */
function cfbFields(b) {
  const le = true;
  const h = (name, at, size) => ({ name, at, size, le, cfb: true });
  const f = [
    h('major-version', 0x1a, 2),
    h('sector-shift', 0x1e, 2),
    h('mini-sector-shift', 0x20, 2),
    h('dir-sector-count', 0x28, 4),
    h('fat-sector-count', 0x2c, 4),
    h('first-dir-sector', 0x30, 4),
    h('mini-stream-cutoff', 0x38, 4),
    h('first-minifat-sector', 0x3c, 4),
    h('minifat-sector-count', 0x40, 4),
    h('first-difat-sector', 0x44, 4),
    h('difat-sector-count', 0x48, 4),
    h('difat-0', 0x4c, 4),
    h('difat-1', 0x50, 4),
  ];
  const shift = b.readUInt16LE(0x1e);
  if (shift < 9 || shift > 12) return f;
  const sector = (s) => (s + 1) << shift;
  const fatAt = (s) => {
    const per = (1 << shift) / 4;
    const fatSector = b.readUInt32LE(0x4c + 4 * Math.floor(s / per));
    return sector(fatSector) + 4 * (s % per);
  };
  // The directory chain, its first three sectors, each entry's fields and the FAT entry that links it on.
  const seen = new Set();
  for (let s = b.readUInt32LE(0x30), k = 0; s < 0xfffffffa && !seen.has(s) && k < 3; k++) {
    seen.add(s);
    const next = fatAt(s);
    if (next + 4 > b.length) break;
    f.push({ ...h(`fat-dir${k}-next`, next, 4), self: s });
    for (let e = 0; e < (1 << shift) / 128; e++) {
      const at = sector(s) + 128 * e;
      if (at + 128 > b.length || b[at + 0x42] === 0) continue;
      const i = (k * (1 << shift)) / 128 + e;
      const d = (name, off, size) => ({ ...h(`dir${i}-${name}`, at + off, size), self: i });
      f.push(d('name-length', 0x40, 2), d('type-colour', 0x42, 2), d('left', 0x44, 4), d('right', 0x48, 4));
      f.push(d('child', 0x4c, 4), d('start', 0x74, 4), d('size', 0x78, 4), d('size-high', 0x7c, 4));
    }
    s = b.readUInt32LE(next);
  }
  return f;
}

// ---- PDF ---------------------------------------------------------------------------------------------------

const PDF_SOURCE = `%PDF-1.5
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >> endobj
4 0 obj << /Length 44 >> stream
BT /F1 12 Tf 20 100 Td (evtriage fixture) Tj ET
endstream endobj
trailer << /Size 5 /Root 1 0 R >>
%%EOF
`;

/** qpdf's output: object streams and a cross-reference stream, and the same encrypted with AES-256 and RC4. */
function pdfBases(work) {
  if (!have('qpdf')) {
    process.stderr.write('document-mutants: qpdf not installed, no PDF base\n');
    return [];
  }
  const src = path.join(work, 'src.pdf');
  fs.writeFileSync(src, PDF_SOURCE);
  const q = (name, ...args) => {
    const f = path.join(work, name);
    try {
      run(work, 'qpdf', ['--static-id', '--no-warn', ...args, src, f]);
    } catch {
      // qpdf exits 3 after repairing the hand-written source's cross-reference table; the output is written.
    }
    return { name, bytes: fs.readFileSync(f) };
  };
  const plain = q('objstm.pdf', '--object-streams=generate');
  const aes = path.join(work, 'aes.pdf');
  run(work, 'qpdf', ['--static-id', '--encrypt', 'secret', 'owner', '256', '--', path.join(work, 'objstm.pdf'), aes]);
  const rc4 = path.join(work, 'rc4.pdf');
  run(work, 'qpdf', [
    '--static-id',
    '--allow-weak-crypto',
    '--encrypt',
    '',
    'owner',
    '128',
    '--use-aes=n',
    '--',
    path.join(work, 'objstm.pdf'),
    rc4,
  ]);
  return [plain, { name: 'aes.pdf', bytes: fs.readFileSync(aes) }, { name: 'rc4.pdf', bytes: fs.readFileSync(rc4) }];
}

/** Numbers after the keys that place or size things (ISO 32000-1 7.5.4, 7.5.7, 7.5.8, 7.6.1) and startxref. */
const PDF_KEYS = /(startxref\s+|\/(?:Length|N|First|Size|Prev|R|V|P|Count|Index \[\s*\d+|W \[\s*\d+ ?\d*)\s*)(-?\d+)/g;

function pdfFields(b) {
  const text = b.toString('latin1');
  const out = [];
  for (const m of text.matchAll(PDF_KEYS)) {
    const at = m.index + m[1].length;
    out.push({ name: `${m[1].trim().replace(/[^A-Za-z]/g, '')}@${at}`, at, size: m[2].length, text: true });
  }
  return out;
}

// ---- mutation ----------------------------------------------------------------------------------------------

function valuesOf(field, current, total) {
  if (field.text) return [...new Set([0, 1, -1, current + 1, current - 1, total, 2 ** 31, 99999999999, field.at])];
  const max = field.size >= 6 ? 2 ** 48 - 1 : 2 ** (8 * field.size) - 1;
  const vals = [0, 1, max, current + 1, current - 1, total, field.at, Math.floor(max / 2)];
  if (field.ifd !== undefined) vals.push(field.ifd); // an IFD pointing at itself: a loop
  if (field.self !== undefined) vals.push(field.self); // a container referring to itself: a cycle
  if (field.boxSize !== undefined) vals.push(7, field.boxSize * 2);
  if (field.cfb && field.size === 4) vals.push(...CFB_SPECIAL);
  return [...new Set(vals.filter((v) => v >= 0 && v <= max))];
}

function readField(b, f) {
  if (f.text) return Number(b.toString('latin1', f.at, f.at + f.size));
  if (f.size === 8) return Number(b.readBigUInt64BE(f.at));
  if (f.le) return f.size === 2 ? b.readUInt16LE(f.at) : b.readUInt32LE(f.at);
  return b.readUIntBE(f.at, f.size);
}

function writeField(b, f, v) {
  if (f.size === 8) b.writeBigUInt64BE(BigInt(v), f.at);
  else if (f.le && f.size === 2) b.writeUInt16LE(v, f.at);
  else if (f.le) b.writeUInt32LE(v, f.at);
  else b.writeUIntBE(v, f.at, f.size);
}

function fieldsOf(base) {
  if (base.name.endsWith('.pdf')) return pdfFields(base.bytes);
  if (base.name.endsWith('.db')) return [...sqliteFields(base.bytes), ...(base.wal ? walFields() : [])];
  if (base.name.endsWith('.plist')) return plistFields(base.bytes);
  if (base.name.endsWith('.mp4')) return boxFields(base.bytes);
  if (/\.(xls|cfb|msi)$/.test(base.name)) return cfbFields(base.bytes);
  return ifdFields(base.bytes);
}

/** `perBase` mutants of one base: a field and a value each, drawn by the seeded generator. */
function mutantsOf(base, rand, perBase) {
  const fields = fieldsOf(base).filter((f) => f.at + f.size <= (f.wal ? base.wal.length : base.bytes.length));
  const out = [];
  const seen = new Set();
  for (let tries = 0; out.length < perBase && tries < perBase * 10 && fields.length > 0; tries++) {
    const f = fields[Math.floor(rand() * fields.length)];
    const target = f.wal ? base.wal : base.bytes;
    const vals = valuesOf(f, readField(target, f), target.length);
    const v = vals[Math.floor(rand() * vals.length)];
    const name = `${base.name.replace(/\.(\w+)$/, '')}@${f.name}=${v}.${base.name.split('.').pop()}`;
    if (seen.has(name)) continue;
    seen.add(name);
    // A number in text is written as it is (the file's length may change by a few bytes).
    const bytes = f.text
      ? Buffer.concat([base.bytes.subarray(0, f.at), Buffer.from(String(v)), base.bytes.subarray(f.at + f.size)])
      : Buffer.from(base.bytes);
    const wal = base.wal ? Buffer.from(base.wal) : undefined;
    if (!f.text) writeField(f.wal ? wal : bytes, f, v);
    if (wal) fixWal(wal, bytes.readUInt16BE(16) === 1 ? 65536 : bytes.readUInt16BE(16));
    out.push({ name, bytes, wal });
  }
  return out;
}

/**
 * Writes the bases and `perBase` mutants of each into `out`; returns the names written (WAL files beside their
 * databases are not named: they are read as the database's companions).
 */
export function writeDocumentMutants(out, opts = {}) {
  const rand = mulberry32(opts.seed ?? 4001);
  const perBase = opts.perBase ?? 40;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'document-mutants-'));
  try {
    fs.mkdirSync(out, { recursive: true });
    const bases = [...sqliteBases(work), ...plistBase(work), ...mp4Base(work), ...tiffBases(work), ...pdfBases(work)];
    // After the others, so a seed gives the others the mutants it gave before the OLE2 bases were added.
    bases.push(...oleBases(work));
    const names = [];
    const write = (m) => {
      fs.writeFileSync(path.join(out, m.name), m.bytes);
      if (m.wal) fs.writeFileSync(path.join(out, `${m.name}-wal`), m.wal);
      names.push(m.name);
    };
    for (const base of bases) {
      write(base);
      for (const m of mutantsOf(base, rand, perBase)) write(m);
    }
    write({ name: `moov-deep-${opts.deepBoxes ?? 20000}.mp4`, bytes: deepMoov(opts.deepBoxes ?? 20000) });
    return names;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith('--'));
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  if (!out) {
    console.error('usage: document-mutants.mjs <out-dir> [--seed N] [--per-base N]');
    process.exit(2);
  }
  const names = writeDocumentMutants(out, { seed: opt('--seed', 4001), perBase: opt('--per-base', 40) });
  console.log(`${names.length} files in ${out}`);
}
