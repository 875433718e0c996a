#!/usr/bin/env node
/**
 * Structure-aware hostile archives: real archives made by the real tools
 * (GNU tar in gnu and pax formats, GNU cpio newc and odc, GNU ar, gzip, xz,
 * bzip2, zstd, lz4, Info-ZIP zip, 7-Zip, gcab), then one header **field**
 * of each set to a hostile value: 0, 1, the field's maximum, negative, off by
 * one either way, pointing back into its own header or past the end; member
 * names empty, `.`, `..`, absolute, with a NUL inside, 64 KiB long. Checksums
 * the format keeps over the mutated header (tar's header sum, 7z's start
 * header CRC) are recomputed, so the reader trusts the lie. Also made: a tar
 * nested in gzip 50 levels deep, and a tar holding a copy of itself.
 *
 * Field offsets are from the published layouts: POSIX.1-2017 pax/ustar
 * (tar), cpio(5) (newc: 13 fields of 8 hex digits; odc: 6-digit octal
 * fields), ar(5) (60-byte member headers), RFC 1952 (gzip), PKWARE APPNOTE
 * 6.3.10 (zip), 7zFormat.txt (7z signature header), MS-CAB (cab).
 *
 * Usage: node scripts/structure-mutants.mjs <out-dir> [--seed N] [--per-base N]
 * Every run with the same seed and tools writes the same bytes (no times:
 * files are made with fixed mtimes and `--mtime`/`SOURCE_DATE_EPOCH`).
 * A tool that is not installed is skipped and named on stderr.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { mulberry32 } from './mulberry32.mjs';
import { have, run } from './tool-run.mjs';

const FIXED_TIME = new Date('2020-01-01T00:00:00Z');

/** A small tree the tools archive: two text files and a folder. */
function makeTree(root) {
  fs.mkdirSync(path.join(root, 'dir'), { recursive: true });
  fs.writeFileSync(path.join(root, 'a.txt'), 'first member, plain text\n'.repeat(8));
  fs.writeFileSync(path.join(root, 'dir', 'b.txt'), 'second member\n'.repeat(20));
  for (const p of ['a.txt', 'dir/b.txt', 'dir', '.']) fs.utimesSync(path.join(root, p), FIXED_TIME, FIXED_TIME);
}

/** The base archives: name, tool, bytes. */
function baseArchives(tree, work) {
  const bases = [];
  const add = (name, tool, make) => {
    if (!have(tool)) {
      process.stderr.write(`structure-mutants: ${tool} not installed, no ${name}\n`);
      return;
    }
    bases.push({ name, bytes: make() });
  };
  const tarArgs = ['--sort=name', '--mtime=@1577836800', '--owner=0', '--group=0', '--numeric-owner'];
  add('gnu.tar', 'tar', () => run(tree, 'tar', ['-c', '--format=gnu', ...tarArgs, 'a.txt', 'dir']));
  add('pax.tar', 'tar', () =>
    run(tree, 'tar', ['-c', '--format=pax', ...tarArgs, '--pax-option=delete=atime,delete=ctime', 'a.txt', 'dir']),
  );
  add('newc.cpio', 'cpio', () =>
    run(tree, 'cpio', ['-o', '-H', 'newc', '--quiet', '--reproducible'], 'a.txt\ndir\ndir/b.txt\n'),
  );
  add('odc.cpio', 'cpio', () =>
    run(tree, 'cpio', ['-o', '-H', 'odc', '--quiet', '--reproducible'], 'a.txt\ndir\ndir/b.txt\n'),
  );
  add('lib.a', 'ar', () => {
    const f = path.join(work, 'lib.a');
    run(tree, 'ar', ['rcD', f, 'a.txt', 'dir/b.txt']);
    return fs.readFileSync(f);
  });
  const tar = bases.find((b) => b.name === 'gnu.tar')?.bytes;
  if (tar) {
    add('tar.gz', 'gzip', () => run(tree, 'gzip', ['-9n', '-c'], tar));
    add('tar.xz', 'xz', () => run(tree, 'xz', ['-c'], tar));
    add('tar.bz2', 'bzip2', () => run(tree, 'bzip2', ['-c'], tar));
    add('tar.zst', 'zstd', () => run(tree, 'zstd', ['-q', '-c'], tar));
    add('tar.lz4', 'lz4', () => run(tree, 'lz4', ['-q', '-c'], tar));
  }
  add('x.zip', 'zip', () => {
    const f = path.join(work, 'x.zip');
    run(tree, 'zip', ['-q', '-X', '-r', f, 'a.txt', 'dir']);
    return fs.readFileSync(f);
  });
  add('x.7z', '7zz', () => {
    const f = path.join(work, 'x.7z');
    run(tree, '7zz', ['a', '-bd', '-bso0', '-mtm=off', '-mtc=off', '-mta=off', f, 'a.txt', 'dir']);
    return fs.readFileSync(f);
  });
  add('x.cab', 'gcab', () => {
    const f = path.join(work, 'x.cab');
    run(tree, 'gcab', ['-c', '-n', '-z', f, 'a.txt', 'dir/b.txt']);
    return fs.readFileSync(f);
  });
  return bases;
}

// ---- fields: where each format keeps its counts, sizes, offsets, names and methods ----

/** A field: offset and length in the archive, and how its value is written. */
/** @typedef {{ at: number, len: number, kind: 'octal' | 'hex' | 'dec' | 'le' | 'name' | 'byte', what: string }} Field */

function tarFields(b) {
  const fields = [];
  for (let at = 0; at + 512 <= b.length; at += 512) {
    if (b.toString('latin1', at + 257, at + 262) !== 'ustar') continue;
    fields.push(
      { at: at + 0, len: 100, kind: 'name', what: 'name', header: at },
      { at: at + 124, len: 12, kind: 'octal', what: 'size', header: at, terminated: true },
      { at: at + 156, len: 1, kind: 'byte', what: 'typeflag', header: at },
      { at: at + 157, len: 100, kind: 'name', what: 'linkname', header: at },
      { at: at + 345, len: 155, kind: 'name', what: 'prefix', header: at },
    );
  }
  return fields;
}

/** The tar header sum (POSIX: the checksum field counted as spaces). */
function fixTarSum(b, header) {
  b.fill(0x20, header + 148, header + 156);
  let sum = 0;
  for (let i = header; i < header + 512; i++) sum += b[i];
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', header + 148, 'latin1');
}

function cpioFields(b) {
  const fields = [];
  for (let at = 0; at + 110 <= b.length; at++) {
    if (b.toString('latin1', at, at + 6) === '070701') {
      // newc: magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check.
      fields.push(
        { at: at + 6 + 8 * 6, len: 8, kind: 'hex', what: 'newc filesize' },
        { at: at + 6 + 8 * 11, len: 8, kind: 'hex', what: 'newc namesize' },
        { at: at + 6 + 8 * 1, len: 8, kind: 'hex', what: 'newc mode' },
        {
          at: at + 110,
          len: Math.max(1, Number.parseInt(b.toString('latin1', at + 94, at + 102), 16) - 1),
          kind: 'name',
          what: 'newc name',
        },
      );
      at += 109;
    } else if (b.toString('latin1', at, at + 6) === '070707') {
      // odc: magic, dev, ino, mode, uid, gid, nlink, rdev, mtime (11), namesize (6), filesize (11).
      fields.push(
        { at: at + 59, len: 6, kind: 'octal', what: 'odc namesize' },
        { at: at + 65, len: 11, kind: 'octal', what: 'odc filesize' },
      );
      at += 75;
    }
  }
  return fields;
}

function arFields(b) {
  const fields = [];
  let at = 8;
  while (at + 60 <= b.length && b.toString('latin1', at + 58, at + 60) === '`\n') {
    fields.push({ at, len: 16, kind: 'name', what: 'ar name' }, { at: at + 48, len: 10, kind: 'dec', what: 'ar size' });
    const size = Number.parseInt(b.toString('latin1', at + 48, at + 58), 10);
    at += 60 + size + (size % 2);
  }
  return fields;
}

function zipFields(b) {
  const fields = [];
  for (let at = 0; at + 4 <= b.length; at++) {
    const sig = b.readUInt32LE(at);
    if (sig === 0x04034b50 && at + 30 <= b.length)
      fields.push(
        { at: at + 8, len: 2, kind: 'le', what: 'local method' },
        { at: at + 18, len: 4, kind: 'le', what: 'local compressed size' },
        { at: at + 22, len: 4, kind: 'le', what: 'local size' },
        { at: at + 26, len: 2, kind: 'le', what: 'local name length' },
      );
    else if (sig === 0x02014b50 && at + 46 <= b.length)
      fields.push(
        { at: at + 10, len: 2, kind: 'le', what: 'central method' },
        { at: at + 20, len: 4, kind: 'le', what: 'central compressed size' },
        { at: at + 24, len: 4, kind: 'le', what: 'central size' },
        { at: at + 28, len: 2, kind: 'le', what: 'central name length' },
        { at: at + 42, len: 4, kind: 'le', what: 'central local offset' },
        { at: at + 46, len: b.readUInt16LE(at + 28), kind: 'name', what: 'central name' },
      );
    else if (sig === 0x06054b50 && at + 22 <= b.length)
      fields.push(
        { at: at + 8, len: 2, kind: 'le', what: 'end entries on disk' },
        { at: at + 10, len: 2, kind: 'le', what: 'end entries' },
        { at: at + 12, len: 4, kind: 'le', what: 'end directory size' },
        { at: at + 16, len: 4, kind: 'le', what: 'end directory offset' },
      );
  }
  return fields;
}

function gzipFields(b) {
  return [
    { at: 3, len: 1, kind: 'byte', what: 'gzip flags' },
    { at: 2, len: 1, kind: 'byte', what: 'gzip method' },
    { at: b.length - 4, len: 4, kind: 'le', what: 'gzip isize' },
    { at: b.length - 8, len: 4, kind: 'le', what: 'gzip crc' },
  ];
}

function sevenZipFields() {
  return [
    { at: 12, len: 8, kind: 'le', what: '7z next header offset', crc: true },
    { at: 20, len: 8, kind: 'le', what: '7z next header size', crc: true },
    { at: 6, len: 2, kind: 'le', what: '7z version', crc: false },
  ];
}

function cabFields(b) {
  const fields = [
    { at: 8, len: 4, kind: 'le', what: 'cab cbCabinet' },
    { at: 16, len: 4, kind: 'le', what: 'cab coffFiles' },
    { at: 26, len: 2, kind: 'le', what: 'cab cFolders' },
    { at: 28, len: 2, kind: 'le', what: 'cab cFiles' },
  ];
  // The first CFFOLDER follows the 36-byte header (no reserve fields: gcab writes none).
  if (b.length >= 44)
    fields.push(
      { at: 36, len: 4, kind: 'le', what: 'cab folder coffCabStart' },
      { at: 40, len: 2, kind: 'le', what: 'cab folder cCFData' },
      { at: 42, len: 2, kind: 'le', what: 'cab folder typeCompress' },
    );
  return fields;
}

/** Fields of each format, found in the archive's own bytes. */
function fieldsOf(name, b) {
  if (name.endsWith('.tar')) return tarFields(b);
  if (name.endsWith('.cpio')) return cpioFields(b);
  if (name.endsWith('.a')) return arFields(b);
  if (name.endsWith('.zip')) return zipFields(b);
  if (name === 'tar.gz') return gzipFields(b);
  if (name.endsWith('.7z')) return sevenZipFields();
  if (name.endsWith('.cab')) return cabFields(b);
  // xz, bzip2, zstd, lz4: the stream headers' size and flag bytes (first 16 bytes) and the last 12.
  return [
    ...Array.from({ length: Math.min(16, b.length) }, (_, i) => ({
      at: i,
      len: 1,
      kind: 'byte',
      what: `stream header byte ${i}`,
    })),
    { at: Math.max(0, b.length - 12), len: 4, kind: 'le', what: 'stream trailer word' },
  ];
}

// ---- values ----

/** Hostile values for a numeric field of `len` digits/bytes, given its current value and the archive's length. */
function numericValues(f, current, total) {
  const max =
    f.kind === 'octal'
      ? 8 ** f.len - 1
      : f.kind === 'hex'
        ? 16 ** f.len - 1
        : f.kind === 'dec'
          ? 10 ** f.len - 1
          : 2 ** (8 * f.len) - 1;
  const vals = [0, 1, max, current + 1, current - 1, total, total + 1, f.at, Math.floor(max / 2) + 1];
  return [...new Set(vals)].map((v) => ({ v, label: v === max ? 'max' : String(v) }));
}

function writeNumber(b, f, v) {
  if (f.kind === 'le') {
    const n = BigInt.asUintN(8 * f.len, BigInt(Math.trunc(v)));
    for (let i = 0; i < f.len; i++) b[f.at + i] = Number((n >> BigInt(8 * i)) & 0xffn);
    return;
  }
  if (f.kind === 'byte') {
    b[f.at] = v & 0xff;
    return;
  }
  const radix = f.kind === 'octal' ? 8 : f.kind === 'hex' ? 16 : 10;
  // Negative values as the text of a negative number (a reader that parses them signed sees it).
  let s = v < 0 ? '-' + (-v).toString(radix) : v.toString(radix);
  // tar's numeric fields end in a NUL or space; cpio's and ar's use every digit.
  const width = f.terminated ? f.len - 1 : f.len;
  s = s.length > width ? s.slice(-width) : f.kind === 'dec' ? s.padEnd(width, ' ') : s.padStart(width, '0');
  b.write(s.toUpperCase(), f.at, 'latin1');
}

function readNumber(b, f) {
  if (f.kind === 'le') {
    let n = 0;
    for (let i = f.len - 1; i >= 0; i--) n = n * 256 + b[f.at + i];
    return n;
  }
  if (f.kind === 'byte') return b[f.at];
  const radix = f.kind === 'octal' ? 8 : f.kind === 'hex' ? 16 : 10;
  const n = Number.parseInt(b.toString('latin1', f.at, f.at + f.len).replace(/[\0 ]/g, ''), radix);
  return Number.isFinite(n) ? n : 0;
}

const NAME_VALUES = [
  '',
  '.',
  '..',
  '/abs/olute',
  '../../../../tmp/evtriage-structure-canary',
  'a\0b',
  'x/'.repeat(40),
  '\u00e9\ud800',
];

/** Writes a name into its field (padded with NUL, cut to the field). */
function writeName(b, f, name) {
  const bytes = Buffer.from(name, 'utf8');
  b.fill(0, f.at, f.at + f.len);
  bytes.copy(b, f.at, 0, Math.min(f.len, bytes.length));
}

/** CRC-32 (the one zlib uses). */
const crc32 = (buf) => zlib.crc32(buf);

function fixSevenZipCrc(b) {
  if (b.length >= 32) b.writeUInt32LE(crc32(b.subarray(12, 32)) >>> 0, 8);
}

/** Every mutant of one base archive: field × value, then a seeded pick of `perBase`. */
function mutantsOf(base, rand, perBase) {
  const all = [];
  for (const f of fieldsOf(base.name, base.bytes)) {
    if (f.at + f.len > base.bytes.length || f.len <= 0) continue;
    const values =
      f.kind === 'name'
        ? NAME_VALUES.map((n) => ({
            name: n,
            label:
              JSON.stringify(n)
                .slice(1, 21)
                .replace(/[^\w.-]/g, '_') || 'empty',
          }))
        : numericValues(f, readNumber(base.bytes, f), base.bytes.length);
    for (const v of values) all.push({ f, v });
  }
  // Fisher-Yates with the seed, then the first perBase.
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, perBase).map(({ f, v }) => {
    const b = Buffer.from(base.bytes);
    if ('name' in v) writeName(b, f, v.name);
    else writeNumber(b, f, v.v);
    if (f.header !== undefined) fixTarSum(b, f.header);
    if (f.crc) fixSevenZipCrc(b);
    const what = f.what.replace(/\s+/g, '-');
    return { name: `${base.name.replace(/\./g, '_')}@${f.at}-${what}=${'name' in v ? v.label : v.label}`, bytes: b };
  });
}

/** A gzip of a tar of a gzip … `depth` levels (gzip and tar by Node: the layouts are fixed, RFC 1952 / ustar). */
function nestedTarGz(depth) {
  let inner = Buffer.from('innermost\n');
  let name = 'leaf.txt';
  for (let d = 0; d < depth; d++) {
    const tar = ustarOf(name, inner);
    inner = zlib.gzipSync(tar);
    name = `level-${d}.tar.gz`;
  }
  return inner;
}

/** A one-member ustar archive (POSIX layout), fixed times. */
function ustarOf(name, data) {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 99), 0, 'latin1');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write(data.length.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  h.write('13560315000\0', 136, 'latin1');
  h.write('0', 156, 'latin1');
  h.write('ustar\u000000', 257, 'latin1');
  fixTarSum(h, 0);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([h, data, pad, Buffer.alloc(1024)]);
}

/**
 * A tar that holds a copy of itself: the member's declared size is the whole
 * archive's, so its data is the archive from its first byte (the member's
 * data field overlaps its own header and everything after).
 */
function selfTar() {
  const t = ustarOf('self.tar', Buffer.alloc(0));
  // Declare the member as long as the archive; the reader that trusts it reads past the end marker.
  t.write(t.length.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  fixTarSum(t, 0);
  return t;
}

/**
 * Writes the mutants into `out` (created), returns their names.
 * @param {string} out
 * @param {{ seed?: number, perBase?: number, nestDepth?: number }} [opts]
 */
export function writeStructureMutants(out, opts = {}) {
  const seed = opts.seed ?? 3901;
  const perBase = opts.perBase ?? 24;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-structure-'));
  try {
    const tree = path.join(work, 'tree');
    makeTree(tree);
    fs.mkdirSync(out, { recursive: true });
    const rand = mulberry32(seed);
    const names = [];
    const put = (name, bytes) => {
      fs.writeFileSync(path.join(out, name), bytes);
      names.push(name);
    };
    for (const base of baseArchives(tree, work)) {
      put(base.name, base.bytes);
      for (const m of mutantsOf(base, rand, perBase)) put(m.name, m.bytes);
    }
    put(`nested-${opts.nestDepth ?? 50}.tar.gz`, nestedTarGz(opts.nestDepth ?? 50));
    put('self.tar', selfTar());
    return names;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  if (!out) {
    process.stderr.write('usage: node scripts/structure-mutants.mjs <out-dir> [--seed N] [--per-base N]\n');
    process.exit(2);
  }
  const num = (flag, dflt) => {
    const i = args.indexOf(flag);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const names = writeStructureMutants(out, { seed: num('--seed', 3901), perBase: num('--per-base', 24) });
  process.stdout.write(`${names.length} files written to ${out}\n`);
}
