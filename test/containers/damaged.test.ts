/**
 * Truncated and corrupt archives: every member that can be read becomes an
 * item, the damage is recorded as an error (on an entry standing for the
 * archive at top level, on the container item when nested), and the scan
 * completes. Fixtures: fixtures/make-fixtures.sh.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeZip } from '../gauntlet/generate.mjs';
import { codes, fixtures, scanPath } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-damaged-'));
  for (const f of ['truncated.zip', 'corrupt-cd.zip', 'truncated.tar.gz'])
    fs.copyFileSync(path.join(fixtures, f), path.join(dir, f));
  // A TAR cut inside a member's data, and a GZIP stream cut short.
  const tar = fs.readFileSync(path.join(fixtures, 'tree.tar'));
  fs.writeFileSync(path.join(dir, 'cut.tar'), tar.subarray(0, 30_000));
  fs.writeFileSync(path.join(dir, 'garbage.zip'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 0x41)]));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('damaged archives', () => {
  it('a ZIP without its central directory yields the members found from their local headers', async () => {
    const r = await scanPath(path.join(fixtures, 'truncated.zip'));
    expect(r.summary.complete).toBe(true);
    expect(r.byPath.get('notes/hello.txt')?.format?.id).toBe('text');
    expect(r.byPath.get('data/app.db')?.format?.id).toBe('sqlite');
    expect(r.byPath.get('nested/inner.zip!/deeper.zip!/b.txt')).toBeDefined();
    const problem = r.byPath.get('truncated.zip!/');
    expect(codes(problem)).toContain('ZIP_NO_CENTRAL_DIRECTORY');
    expect(problem?.errors[0]?.message).toMatch(/recovered from their local headers/);
  });

  it('a ZIP written to a pipe (sizes in data descriptors) without its central directory: every member, whole', async () => {
    const r = await scanPath(path.join(fixtures, 'streamed-truncated.zip'), { hash: ['md5'] });
    expect(r.summary.complete).toBe(true);
    // Each member's size is found where the writer left it, after its data; the bytes are the tree's.
    for (const name of ['notes/readme.md', 'notes/hello.txt', 'data/settings.plist', 'data/app.db']) {
      const want = crypto
        .createHash('md5')
        .update(fs.readFileSync(path.join(fixtures, 'tree', name)))
        .digest('hex');
      expect(r.byPath.get(name)?.hashes?.['md5'], name).toBe(want);
    }
    expect(r.byPath.get('notes/empty.txt')?.size).toBe(0);
    expect(r.byPath.get('data/app.db')?.format?.id).toBe('sqlite');
    expect(r.byPath.get('streamed-truncated.zip!/')?.errors[0]?.message).toMatch(/7 member\(s\) were recovered/);
  });

  it('a ZIP whose central directory is damaged yields the members before the damage and an error', async () => {
    const r = await scanPath(path.join(fixtures, 'corrupt-cd.zip'));
    expect(r.summary.complete).toBe(true);
    const members = r.items.filter((i) => !i.path.includes('!/') && i.kind !== 'other');
    expect(members.length).toBeGreaterThanOrEqual(2);
    expect(codes(r.byPath.get('corrupt-cd.zip!/'))).toEqual(['ARCHIVE_CORRUPT']);
    expect(r.byPath.get('corrupt-cd.zip!/')?.errors[0]?.message).toMatch(/damaged after \d+ of \d+ members/);
  });

  it('a ZIP whose central directory is damaged at its first record yields the members of its local headers', async () => {
    // tree.zip (Info-ZIP) with the first directory record's signature overwritten: the directory lists nothing.
    const tree = fs.readFileSync(path.join(fixtures, 'tree.zip'));
    const bad = Buffer.from(tree);
    const eocd = bad.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
    bad.write('XXXX', bad.readUInt32LE(eocd + 16), 'latin1');
    const file = path.join(dir, 'first-record-damaged.zip');
    fs.writeFileSync(file, bad);
    const alone = await scanPath(file);
    expect(alone.summary.complete).toBe(true);
    expect(alone.byPath.get('notes/hello.txt')?.format?.id).toBe('text');
    expect(codes(alone.byPath.get('first-record-damaged.zip!/'))).toEqual(['ZIP_NO_CENTRAL_DIRECTORY']);
    const nested = await scanPath(dir);
    expect(codes(nested.byPath.get('first-record-damaged.zip'))).toContain('ZIP_NO_CENTRAL_DIRECTORY');
    expect(nested.byPath.get('first-record-damaged.zip!/notes/hello.txt')?.format?.id).toBe('text');
    fs.rmSync(file);
  });

  it('a truncated TAR.GZ yields every complete member, the partial one flagged, and an error', async () => {
    const r = await scanPath(path.join(fixtures, 'truncated.tar.gz'));
    expect(r.summary.complete).toBe(true);
    expect(r.byPath.get('notes/hello.txt')?.format?.id).toBe('text');
    expect(codes(r.byPath.get('truncated.tar.gz!/'))).toEqual(['ARCHIVE_TRUNCATED']);
    const partial = r.items.find((i) => codes(i).includes('MEMBER_TRUNCATED'));
    expect(partial).toBeDefined();
  });

  it('nested damaged archives put the damage on the container item, members still listed', async () => {
    const r = await scanPath(dir);
    expect(r.summary.complete).toBe(true);
    expect(codes(r.byPath.get('truncated.zip'))).toContain('ZIP_NO_CENTRAL_DIRECTORY');
    expect(r.byPath.get('truncated.zip!/notes/hello.txt')?.format?.id).toBe('text');
    expect(codes(r.byPath.get('corrupt-cd.zip'))).toContain('ARCHIVE_CORRUPT');
    expect(codes(r.byPath.get('truncated.tar.gz'))).toContain('ARCHIVE_TRUNCATED');
    expect(r.byPath.get('truncated.tar.gz!/notes/hello.txt')?.format?.id).toBe('text');
    expect(codes(r.byPath.get('cut.tar'))).toContain('ARCHIVE_TRUNCATED');
    // Unreadable as a ZIP at all: an error on the item, the scan goes on.
    const garbage = r.byPath.get('garbage.zip')!;
    expect(garbage.errors.some((e) => e.stage === 'container' && e.severity === 'error')).toBe(true);
  });
});

describe('ZIP records named as folders that hold data', () => {
  // Before: a record whose name ends in "/" was a folder and no item, whatever it declared: a member
  // renamed (or its name field cut) to end in "/" hid its bytes from the manifest; `unzip -l` lists it.
  // Found by scripts/structure-mutants.mjs (Info-ZIP's x.zip, the central name of dir/b.txt cut to "../../../").
  it('is listed with ZIP_FOLDER_WITH_DATA and its bytes read; a real folder record is still no item', async () => {
    const folder = fs.mkdtempSync(path.join(dir, 'folder-data-'));
    fs.writeFileSync(
      path.join(folder, 'f.zip'),
      makeZip([
        { name: 'keep.txt', data: 'honest text\n' },
        { name: 'real/', data: '' },
        { name: 'hidden/', data: 'text a folder record was made to hide\n'.repeat(4) },
      ]),
    );
    const r = await scanPath(folder);
    expect(r.summary.complete).toBe(true);
    expect([...r.byPath.keys()].sort()).toEqual(['f.zip', 'f.zip!/hidden', 'f.zip!/keep.txt']);
    const hidden = r.byPath.get('f.zip!/hidden');
    expect(hidden?.size).toBe(152);
    expect(hidden?.format?.id).toBe('text');
    expect(hidden?.errors.map((e) => [e.code, e.severity])).toEqual([['ZIP_FOLDER_WITH_DATA', 'warning']]);
    expect(hidden?.errors[0]?.message).toMatch(/its name ends in "\/" but it declares 152 bytes/);
  });
});

describe('ZIP records whose sizes or offsets lie', () => {
  // Before: a stored member declaring 2^62 bytes (a ZIP64 field) read the archive's own directory as its
  // head ("Zip archive", analysable, 4.6 EB); one declaring more content than it stores read its
  // neighbours' bytes; an offset past the end gave Node's "position is out of range"; a local header
  // name length of 65,535 read nothing and called the member opaque, with no error.
  // Each written from the layout with one field of its records set to a lie (makeZip).
  const zip = makeZip([
    { name: 'ok.txt', data: 'honest text\n' },
    // An Info-ZIP Unicode Path field (0x7075) declaring 60,000 bytes in a 9-byte extra field.
    { name: 'extra.txt', data: 'plain text\n', extra: Buffer.from('757060ea0161626364', 'hex') },
    { name: 'more.txt', data: 'short', directorySize: 100_000 },
    { name: 'far.txt', data: 'far', directoryOffset: 0x7fff0000 },
    { name: 'far.gz.txt', data: 'far and deflated', directoryOffset: 0x7ff00000, deflate: true },
    { name: 'name.txt', data: 'named', localNameLength: 0xffff },
    // Last: its span covers everything after it, which the overlap check would refuse.
    { name: 'past.bin', data: 'tiny', directorySize: 1_000_000, directoryStored: 1_000_000 },
  ]);
  const expected: Array<[string, string, RegExp]> = [
    ['more.txt', 'ZIP_STORED_SIZE_INVALID', /declares 5 bytes stored and 100000 bytes of content/],
    ['past.bin', 'ZIP_STORED_SIZE_INVALID', /past the archive's end/],
    ['far.txt', 'ZIP_STORED_SIZE_INVALID', /after the local header at offset 2147418112, past the archive's end/],
    ['far.gz.txt', 'E_ZIP_BAD_LOCAL_HEADER', /no local file header at offset 2146435072/],
    ['name.txt', 'E_ZIP_BAD_LOCAL_HEADER', /name and extra field of 65535 bytes, past the archive's end/],
  ];

  it('each is an item with an error saying which field lies; the honest member is read', async () => {
    const file = path.join(dir, 'lying.zip');
    fs.writeFileSync(file, zip);
    const folder = fs.mkdtempSync(path.join(dir, 'lying-'));
    fs.writeFileSync(path.join(folder, 'lying.zip'), zip);
    for (const [r, prefix] of [
      [await scanPath(file), ''],
      [await scanPath(folder), 'lying.zip!/'],
    ] as const) {
      expect(r.summary.complete).toBe(true);
      expect(r.byPath.get(`${prefix}ok.txt`)?.format?.id).toBe('text');
      expect(r.byPath.get(`${prefix}ok.txt`)?.errors).toEqual([]);
      // yauzl refused the whole directory at such a record (no member listed); unzip lists it, and so do we.
      const extra = r.byPath.get(`${prefix}extra.txt`);
      expect(extra?.format?.id).toBe('text');
      expect(extra?.errors.map((e) => [e.code, e.severity])).toEqual([['ZIP_EXTRA_FIELD_INVALID', 'warning']]);
      expect(extra?.errors[0]?.message).toMatch(
        /sub-field 0x7075 at byte 0 declares 60000 bytes, past the field's end \(9 bytes\)/,
      );
      for (const [name, code, message] of expected) {
        const item = r.byPath.get(`${prefix}${name}`);
        expect(codes(item), name).toContain(code);
        expect(item?.errors.find((e) => e.code === code)?.message, name).toMatch(message);
        expect(item?.classification.status, name).toBe('unreadable');
      }
    }
  });
});
