#!/usr/bin/env node
/**
 * The gauntlet: builds, in a folder, the hostile and broken inputs an
 * extraction can hold, so the scan can be shown to finish on all of them
 * with an item (and a clear error where one applies) for each.
 *
 * Real tools make what they can (sqlite3, zip, tar, gzip, mkfifo, mknod);
 * what no tool will write (ZIP members named `../x`, a central directory that
 * claims more members than it has, binary plists with cyclic references, a
 * cyclic SQLite b-tree) is written byte by byte here, following the specs:
 *  - ZIP: APPNOTE.TXT 6.3.10, sections 4.3.7 (local header), 4.3.12 (central directory), 4.3.16 (end record)
 *  - TAR: POSIX.1-2017 pax, "ustar Interchange Format" (512-byte headers, octal checksum)
 *  - GZIP: RFC 1952; deflate: RFC 1951
 *  - SQLite: https://www.sqlite.org/fileformat2.html (1.3 header, 1.6 b-tree pages)
 *  - binary plist: CoreFoundation CFBinaryPList.c (bplist00: objects, offset table, 32-byte trailer)
 *
 * Usage: node test/gauntlet/generate.mjs <empty-folder>
 * From code: `const report = generateGauntlet(dir)` (see the returned fields).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

/** Bytes beyond the probe window (16 KiB head + 8 KiB tail), so the middle is sampled, not read. */
export const SPARSE_SIZE = 64 * 1024 * 1024;
/** Expanded size of the ratio bomb member: 64 MiB of zeros, about 1,000:1 under deflate. */
export const BOMB_MEMBER_BYTES = 64 * 1024 * 1024;
/** Copies per level and levels of the nested bomb (4^levels leaves; opened only to the depth limit). */
export const NESTED_BOMB = { copies: 4, levels: 6 };

const w = (root, rel, data) => {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data);
  return p;
};

// ---------------------------------------------------------------- ZIP, by hand

/**
 * Writes a ZIP with the given members (stored or deflated). `claim` overrides
 * the member counts in the end record (an archive that claims more than it has).
 * A member's fields can lie (APPNOTE 6.3.10 §4.3.7, §4.3.12): `claimSize` its
 * content size in both records; in the central directory alone, `directorySize`
 * (content), `directoryStored` (stored bytes), `directoryOffset` (its local
 * header's offset) and `extra` (the extra field's bytes); in the local header,
 * `localNameLength`.
 */
export function makeZip(members, { claim } = {}) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.isBuffer(m.name) ? m.name : Buffer.from(m.name, 'utf8');
    const data = Buffer.isBuffer(m.data) ? m.data : Buffer.from(m.data ?? '');
    const method = m.deflate ? 8 : 0;
    const body = m.deflate ? zlib.deflateRawSync(data, { level: 9 }) : data;
    const crc = zlib.crc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x0800, 6); // UTF-8 names
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(crc >>> 0, 14);
    lh.writeUInt32LE(body.length, 18);
    lh.writeUInt32LE(m.claimSize ?? data.length, 22);
    lh.writeUInt16LE(m.localNameLength ?? name.length, 26);
    locals.push(lh, name, body);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(0x031e, 4); // made by Unix
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x0800, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(crc >>> 0, 16);
    ch.writeUInt32LE(m.directoryStored ?? body.length, 20);
    ch.writeUInt32LE(m.directorySize ?? m.claimSize ?? data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt16LE(m.extra?.length ?? 0, 30);
    ch.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    ch.writeUInt32LE(m.directoryOffset ?? offset, 42);
    centrals.push(ch, name, m.extra ?? Buffer.alloc(0));
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(claim ?? members.length, 8);
  end.writeUInt16LE(claim ?? members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

// ---------------------------------------------------------------- TAR, by hand

function tarHeader(name, size, { typeflag = '0', badChecksum = false } = {}) {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('14000000000\0', 136);
  h.write('        ', 148);
  h.write(typeflag, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  if (badChecksum) sum += 1;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/** A TAR whose one member claims `claimed` bytes but holds `actual` (an archive that claims more than it has). */
export function makeOverclaimingTar(claimed, actual) {
  return Buffer.concat([tarHeader('claims-more.bin', claimed), Buffer.alloc(actual, 0x41)]);
}

// ---------------------------------------------------------------- binary plist, by hand

/**
 * Writes a bplist00 from raw objects: each object is a Buffer (its marker and
 * payload). refSize is 1, offsets are 2 bytes. `top` and `count` can lie.
 */
export function makeBplist(objects, { top = 0, count = objects.length, offsetTableAt } = {}) {
  const header = Buffer.from('bplist00', 'latin1');
  const offsets = [];
  let pos = header.length;
  for (const o of objects) {
    offsets.push(pos);
    pos += o.length;
  }
  const table = Buffer.alloc(offsets.length * 2);
  offsets.forEach((o, i) => table.writeUInt16BE(o, i * 2));
  const trailer = Buffer.alloc(32);
  trailer.writeUInt8(2, 6); // offset size
  trailer.writeUInt8(1, 7); // object ref size
  trailer.writeBigUInt64BE(BigInt(count), 8);
  trailer.writeBigUInt64BE(BigInt(top), 16);
  trailer.writeBigUInt64BE(BigInt(offsetTableAt ?? pos), 24);
  return Buffer.concat([header, ...objects, table, trailer]);
}
const bpArray = (...refs) => Buffer.from([0xa0 | refs.length, ...refs]);
const bpAscii = (s) => Buffer.concat([Buffer.from([0x50 | s.length]), Buffer.from(s, 'latin1')]);
const bpDict = (keys, values) => Buffer.from([0xd0 | keys.length, ...keys, ...values]);

// ---------------------------------------------------------------- SQLite helpers

function sqlite(db, sql) {
  execFileSync('sqlite3', [db], { input: sql });
}

/** A real database big enough that the table's root page is an interior page. */
function makeTableDb(file) {
  sqlite(
    file,
    "PRAGMA page_size=1024; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<400) INSERT INTO t SELECT i, printf('%.100c', 'x') FROM n;",
  );
  return fs.readFileSync(file);
}

// ---------------------------------------------------------------- the tree

/**
 * Builds the gauntlet under `root` (which must exist and be empty).
 * Returns what it made and, for device nodes, why they could not be made.
 */
export function generateGauntlet(root) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-gauntlet-work-'));
  const report = { devices: { made: [], failed: [] }, socket: undefined };
  try {
    // Sizes: empty files, and a sparse file far larger than the probe window.
    w(root, 'sizes/zero.bin', '');
    w(root, 'sizes/zero.sqlite', '');
    w(root, 'sizes/zero.plist', '');
    const sparse = w(root, 'sizes/sparse-64MiB.bin', 'start of a sparse file');
    fs.truncateSync(sparse, SPARSE_SIZE);
    const fd = fs.openSync(sparse, 'r+');
    fs.writeSync(fd, Buffer.from('end of a sparse file'), 0, 20, SPARSE_SIZE - 20);
    fs.closeSync(fd);

    // Special files: never opened (a FIFO would block a reader; a device read could change device state).
    fs.mkdirSync(path.join(root, 'special'), { recursive: true });
    execFileSync('mkfifo', [path.join(root, 'special/fifo')]);
    for (const [name, type, major, minor] of [
      ['char-null', 'c', '1', '3'],
      ['block-loop', 'b', '7', '0'],
    ]) {
      const r = spawnSync('mknod', [path.join(root, 'special', name), type, major, minor], { encoding: 'utf8' });
      if (r.status === 0) report.devices.made.push(name);
      else report.devices.failed.push({ name, status: r.status, stderr: r.stderr });
    }

    // Links: loops, self, outside the root, dangling, to a folder. None is ever followed.
    fs.mkdirSync(path.join(root, 'links'), { recursive: true });
    fs.symlinkSync('loop-b', path.join(root, 'links/loop-a'));
    fs.symlinkSync('loop-a', path.join(root, 'links/loop-b'));
    fs.symlinkSync('self', path.join(root, 'links/self'));
    fs.symlinkSync('/etc/passwd', path.join(root, 'links/outside-absolute'));
    fs.symlinkSync('../../../../../../../../etc/shadow', path.join(root, 'links/outside-relative'));
    fs.symlinkSync('does-not-exist', path.join(root, 'links/dangling'));
    fs.symlinkSync('..', path.join(root, 'links/parent-folder'));

    // Names: not UTF-8, newline, control characters, and a path over 1,000 characters.
    fs.mkdirSync(path.join(root, 'names'), { recursive: true });
    fs.writeFileSync(
      Buffer.concat([
        Buffer.from(path.join(root, 'names') + '/'),
        Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x2e, 0x74, 0x78, 0x74]),
      ]),
      'invalid UTF-8 name\n',
    );
    fs.writeFileSync(
      Buffer.concat([Buffer.from(path.join(root, 'names') + '/'), Buffer.from([0xc3, 0x28, 0x2e, 0x64, 0x62])]),
      'truncated UTF-8 sequence\n',
    );
    w(root, 'names/new\nline.txt', 'newline in the name\n');
    w(root, 'names/ctrl-\x01\x1b[31m-\x7f.txt', 'control characters in the name\n');
    w(root, 'names/tab\tand space .txt', 'tab in the name\n');
    const long = ['names', 'a'.repeat(250), 'b'.repeat(250), 'c'.repeat(250), 'd'.repeat(250)].join('/');
    w(root, `${long}/${'e'.repeat(200)}.txt`, 'a path of more than 1,000 characters\n');
    w(root, `names/${'f'.repeat(251)}.txt`, 'a 255-byte file name\n');

    // Mid-scan mutation targets (the test's prober hook deletes and truncates them between listing and reading).
    w(root, 'mutate/deleted-during-scan.txt', 'deleted while the scan runs\n');
    w(root, 'mutate/truncated-during-scan.bin', Buffer.alloc(1024 * 1024, 0x5a));

    // ZIP: real archive, truncated, corrupt central directory, hostile names, bombs, over-claiming.
    const zdir = path.join(work, 'zipsrc');
    fs.mkdirSync(zdir);
    fs.writeFileSync(path.join(zdir, 'a.txt'), 'alpha\n'.repeat(2000));
    fs.writeFileSync(path.join(zdir, 'b.txt'), 'bravo\n'.repeat(2000));
    execFileSync('zip', ['-q', '-X', path.join(work, 'real.zip'), 'a.txt', 'b.txt'], { cwd: zdir });
    const realZip = fs.readFileSync(path.join(work, 'real.zip'));
    w(root, 'zip/good.zip', realZip);
    w(root, 'zip/truncated.zip', realZip.subarray(0, Math.floor(realZip.length / 2)));
    const cdBroken = Buffer.from(realZip);
    const cdAt = cdBroken.readUInt32LE(cdBroken.length - 22 + 16);
    cdBroken.fill(0xee, cdAt + 4, cdAt + 40); // central directory entry fields garbled
    w(root, 'zip/corrupt-central-directory.zip', cdBroken);
    w(root, 'zip/end-record-only.zip', realZip.subarray(realZip.length - 22));
    w(
      root,
      'zip/hostile-names.zip',
      makeZip([
        { name: '../escape.txt', data: 'parent traversal\n' },
        { name: '../../../../etc/cron.d/evil', data: 'deep traversal\n' },
        { name: '/absolute/evil.txt', data: 'absolute name\n' },
        { name: 'dir\\..\\..\\backslash.txt', data: 'backslash traversal\n' },
        { name: 'C:\\Windows\\drive.txt', data: 'drive letter\n' },
        { name: Buffer.from([0x62, 0xff, 0x2e, 0x74, 0x78, 0x74]), data: 'invalid UTF-8 member name\n' },
        { name: 'dup.txt', data: 'first copy\n' },
        { name: 'dup.txt', data: 'second copy\n' },
      ]),
    );
    w(
      root,
      'zip/bomb-ratio.zip',
      makeZip([{ name: 'zeros.bin', data: Buffer.alloc(BOMB_MEMBER_BYTES), deflate: true }]),
    );
    w(root, 'zip/size-lie.zip', makeZip([{ name: 'claims-4GiB.bin', data: 'small\n', claimSize: 0xfffffff0 }]));
    let nested = makeZip([{ name: 'leaf.txt', data: 'x'.repeat(1024), deflate: true }]);
    for (let level = 1; level < NESTED_BOMB.levels; level++) {
      nested = makeZip(
        Array.from({ length: NESTED_BOMB.copies }, (_, i) => ({ name: `level${level}-${i}.zip`, data: nested })),
      );
    }
    w(root, 'zip/bomb-nested.zip', nested);
    w(
      root,
      'zip/claims-more-members.zip',
      makeZip(
        [
          { name: 'one.txt', data: '1\n' },
          { name: 'two.txt', data: '2\n' },
        ],
        { claim: 50000 },
      ),
    );

    // TAR and GZIP: real ones, truncated, bad checksum, over-claiming, garbage after a gzip header, a gzip bomb.
    execFileSync('tar', ['-cf', path.join(work, 'real.tar'), '-C', zdir, 'a.txt', 'b.txt']);
    const realTar = fs.readFileSync(path.join(work, 'real.tar'));
    w(root, 'tar/good.tar', realTar);
    w(root, 'tar/truncated.tar', realTar.subarray(0, 700));
    const badSum = Buffer.from(realTar);
    badSum.write('9', 150); // checksum field no longer matches
    w(root, 'tar/bad-checksum.tar', badSum);
    w(root, 'tar/claims-more.tar', makeOverclaimingTar(1024 * 1024 * 1024, 4096));
    const tgz = zlib.gzipSync(realTar);
    w(root, 'gzip/good.tar.gz', tgz);
    w(root, 'gzip/truncated.tar.gz', tgz.subarray(0, Math.floor(tgz.length / 2)));
    w(
      root,
      'gzip/garbage.gz',
      Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03]), Buffer.alloc(4096, 0xa5)]),
    );
    w(root, 'gzip/bomb.gz', zlib.gzipSync(Buffer.alloc(BOMB_MEMBER_BYTES), { level: 9 }));

    // SQLite: truncated, hostile page sizes, a cyclic b-tree, header only, WAL with uncheckpointed frames.
    const base = makeTableDb(path.join(work, 'base.db'));
    w(root, 'sqlite/good.db', base);
    w(root, 'sqlite/truncated.db', base.subarray(0, 1536));
    w(root, 'sqlite/header-only.db', base.subarray(0, 100));
    for (const [name, value] of [
      ['page-size-3', 3],
      ['page-size-256', 256],
      ['page-size-65536-on-small-file', 1],
    ]) {
      const b = Buffer.from(base);
      b.writeUInt16BE(value, 16);
      w(root, `sqlite/${name}.db`, b);
    }
    const reservedAll = Buffer.from(base);
    reservedAll.writeUInt8(255, 20); // reserved bytes per page: leaves less than the usable minimum
    w(root, 'sqlite/reserved-255.db', reservedAll);
    const cyclic = Buffer.from(base);
    const pageSize = cyclic.readUInt16BE(16);
    // Table t is the second object created: root page 2. Point its right-most child at itself.
    const rootPage = 2;
    const at = (rootPage - 1) * pageSize;
    if (cyclic[at] !== 0x05)
      throw new Error(`expected an interior table page at page ${rootPage}, got 0x${cyclic[at].toString(16)}`);
    cyclic.writeUInt32BE(rootPage, at + 8);
    w(root, 'sqlite/cyclic-btree.db', cyclic);
    const walDb = path.join(work, 'wal.db');
    sqlite(
      walDb,
      `PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE m(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO m(body) VALUES ('in the WAL only');
.system cp ${walDb} ${path.join(root, 'sqlite/wal-mode.db')}
.system cp ${walDb}-wal ${path.join(root, 'sqlite/wal-mode.db-wal')}
`,
    );

    // Plists: truncated binary, cyclic and out-of-range references, an exponential DAG, a lying trailer, broken XML, XML entities.
    const goodBp = makeBplist([bpDict([1], [2]), bpAscii('key'), bpAscii('value')]);
    w(root, 'plist/good.plist', goodBp);
    w(root, 'plist/truncated.plist', goodBp.subarray(0, goodBp.length - 10));
    w(root, 'plist/cyclic.plist', makeBplist([bpArray(1), bpArray(0)]));
    w(root, 'plist/self-reference.plist', makeBplist([bpArray(0, 0)]));
    w(root, 'plist/out-of-range-ref.plist', makeBplist([bpArray(1, 200), bpAscii('ok')]));
    w(root, 'plist/out-of-range-top.plist', makeBplist([bpAscii('ok')], { top: 99 }));
    // 40 arrays, each holding the next one twice: 2^40 nodes if expanded naively.
    const dag = Array.from({ length: 40 }, (_, i) => (i < 39 ? bpArray(i + 1, i + 1) : bpAscii('leaf')));
    w(root, 'plist/exponential-dag.plist', makeBplist(dag));
    w(root, 'plist/lying-count.plist', makeBplist([bpAscii('ok')], { count: 2 ** 40 }));
    w(root, 'plist/offset-table-past-end.plist', makeBplist([bpAscii('ok')], { offsetTableAt: 60000 }));
    w(
      root,
      'plist/huge-string-length.plist',
      makeBplist([Buffer.from([0x5f, 0x13, 0x00, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0x41])]),
    );
    w(
      root,
      'plist/broken.xml.plist',
      '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>open</key><string>never closed',
    );
    const lol = [
      '<!ENTITY a "aaaaaaaaaa">',
      ...Array.from(
        { length: 9 },
        (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`,
      ),
    ];
    w(
      root,
      'plist/entity-expansion.plist',
      `<?xml version="1.0"?>\n<!DOCTYPE plist [\n${lol.join('\n')}\n]>\n<plist version="1.0"><string>&j;</string></plist>\n`,
    );

    // Socket last: made by a listening server, renamed into the tree, then the server closes (the file stays).
    const sockTmp = path.join(work, 's.sock');
    report.socket = { tmp: sockTmp, final: path.join(root, 'special/socket') };
  } finally {
    // The work folder holds only intermediate copies; the socket is made by makeSocket().
  }
  report.work = work;
  return report;
}

/** Makes the socket file of the gauntlet (async: a server must listen to create it). */
export async function makeSocket(report) {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(report.socket.tmp, resolve);
  });
  fs.renameSync(report.socket.tmp, report.socket.final);
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(report.work, { recursive: true, force: true });
}

/** Builds the whole gauntlet (files, then the socket). */
export async function buildGauntlet(root) {
  const report = generateGauntlet(root);
  await makeSocket(report);
  return report;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node test/gauntlet/generate.mjs <empty-folder>');
    process.exit(2);
  }
  fs.mkdirSync(dir, { recursive: true });
  const report = await buildGauntlet(dir);
  console.log(JSON.stringify({ devices: report.devices }, null, 2));
}
