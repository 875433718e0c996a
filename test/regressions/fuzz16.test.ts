/**
 * Hostile inputs found by the sixteenth fuzz campaign (scripts/fuzz.mjs --pack: mutants packed by the real
 * tools). Files and how they were made: test/regressions/files/README.md.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCompleteManifest } from '../helpers/built-cli.js';
import { runCli } from '../helpers/cli.js';

const files = path.join(import.meta.dirname, 'files');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-fuzz16-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('an archive whose first member is a PDF', () => {
  it('is the archive with both members listed (GNU and v7 TAR, stored ZIP), not a PDF whose header sits past offset 0', async () => {
    const src = fs.mkdtempSync(path.join(out, 'src-'));
    const names = ['tar-gnu-pdf-first-member.tar', 'tar-v7-pdf-first-member.tar', 'zip-stored-pdf-first-member.zip'];
    for (const n of names) fs.copyFileSync(path.join(files, n), path.join(src, n));
    const o = path.join(out, 'tar-pdf.json');
    const r = await runCli(['scan', src, '-o', o, '-q'], { timeoutMs: 50_000 });
    expect(r.code, r.stderr).toBe(0);
    const m = readCompleteManifest(o);
    expect(m.items.map((i) => i.path).sort()).toEqual(
      names.flatMap((n) => [n, `${n}!/notes.txt`, `${n}!/report.pdf`]).sort(),
    );
    for (const n of names) {
      expect(m.items.find((i) => i.path === n)?.format?.id, n).toBe(n.endsWith('.zip') ? 'zip' : 'tar');
      expect(m.items.find((i) => i.path === `${n}!/report.pdf`)?.format?.id, n).toBe('pdf');
    }
  });
});

describe('a TAR whose first member is a PICT without its application header', () => {
  it('is a TAR with both members listed (POSIX and v7), not a PICT whose frame sits at offset 514', async () => {
    const src = fs.mkdtempSync(path.join(out, 'src-'));
    fs.copyFileSync(path.join(files, 'tar-ustar-pict-first-member.tar'), path.join(src, 'p.tar'));
    // v7 has no "ustar" magic: only file-type names it, and its header checksum decides as the magic does.
    fs.copyFileSync(path.join(files, 'tar-v7-pict-first-member.tar'), path.join(src, 'v.tar'));
    const o = path.join(out, 'tar-pict.json');
    const r = await runCli(['scan', src, '-o', o, '-q'], { timeoutMs: 50_000 });
    expect(r.code, r.stderr).toBe(0);
    const m = readCompleteManifest(o);
    expect(m.items.map((i) => [i.path, i.format?.id])).toEqual([
      ['p.tar', 'tar'],
      ['p.tar!/picture.pct', 'pict'],
      ['p.tar!/notes.txt', 'text'],
      ['v.tar', 'tar'],
      ['v.tar!/picture.pct', 'pict'],
      ['v.tar!/notes.txt', 'text'],
    ]);
  });
});

describe('a ZIP member whose DEFLATE data is cut short or damaged', () => {
  it("cut by the archive's end: read up to the cut and identified; damaged: an item error in plain words", async () => {
    const src = fs.mkdtempSync(path.join(out, 'src-'));
    for (const n of ['zip-cut-in-deflated-member.zip', 'zip-damaged-deflated-member.zip'])
      fs.copyFileSync(path.join(files, n), path.join(src, n));
    // A whole archive (Info-ZIP) whose member's compressed size, in its local header and its central directory,
    // says half of what its DEFLATE data takes: the data inside the archive ends before the stream does.
    const work = fs.mkdtempSync(path.join(out, 'work-'));
    fs.writeFileSync(path.join(work, 'notes.txt'), 'field notes, line after line\n'.repeat(2000));
    execFileSync('zip', ['-q', '-X', '-9', 'short.zip', 'notes.txt'], { cwd: work });
    const zip = fs.readFileSync(path.join(work, 'short.zip'));
    const central = zip.indexOf(Buffer.from('PK\x01\x02', 'latin1'));
    const half = Math.floor(zip.readUInt32LE(18) / 2);
    zip.writeUInt32LE(half, 18);
    zip.writeUInt32LE(half, central + 20);
    fs.writeFileSync(path.join(src, 'zip-member-data-ends-early.zip'), zip);
    const o = path.join(out, 'zip-deflate.json');
    const r = await runCli(['scan', src, '-o', o, '-q'], { timeoutMs: 50_000 });
    expect(r.code, r.stderr).toBe(1);
    const m = readCompleteManifest(o);
    const item = (p: string) => m.items.find((i) => i.path === p);
    // Cut by the archive's end (the central directory went with it): its bytes before the cut are read, as a cut
    // stored member's are, and the cut is named on the member.
    const cut = item('zip-cut-in-deflated-member.zip!/notes.txt');
    expect(cut?.format?.id).toBe('text');
    expect(cut?.errors.map((e) => [e.stage, e.code, e.message])).toEqual([
      [
        'container',
        'MEMBER_TRUNCATED',
        "The archive ends 40 bytes into this member's 169 bytes of data; the bytes before the cut are read.",
      ],
    ]);
    expect(
      item('zip-cut-in-deflated-member.zip')?.errors.find((e) => e.code === 'ZIP_NO_CENTRAL_DIRECTORY')?.message,
    ).toMatch(
      /^No usable central directory \(End of central directory record signature not found.*\): 1 member\(s\) were recovered/,
    );
    // Inside a whole archive, DEFLATE data that ends early is damage: no bytes of it are believed.
    const short = item('zip-member-data-ends-early.zip!/notes.txt');
    expect(short?.classification.status).toBe('unreadable');
    expect(short?.errors.map((e) => [e.code, e.message])).toEqual([
      [
        'E_COMPRESSED_DATA_TRUNCATED',
        'the compressed data ends early (the archive or stream holding it is cut short); zlib: unexpected end of file.',
      ],
    ]);
    const damaged = item('zip-damaged-deflated-member.zip!/notes.txt');
    expect(damaged?.classification.status).toBe('unreadable');
    expect(damaged?.errors.map((e) => [e.code, e.message])).toEqual([
      ['E_COMPRESSED_DATA_CORRUPT', 'the compressed data is damaged; zlib: invalid block type.'],
    ]);
  });
});

describe('a ZIP cut right after a member whose data descriptor should follow', () => {
  const file = path.join(files, 'zip-cut-before-data-descriptor.zip');
  const says =
    /^No usable central directory \(.*\): 1 member\(s\) were recovered from their local headers \(the archive ends where the data descriptor of the member at offset 0 should begin\)\.$/;

  it('inside a folder: the member listed, the cut named on the archive, no parser or opener throwing', async () => {
    const src = fs.mkdtempSync(path.join(out, 'src-'));
    fs.copyFileSync(file, path.join(src, 'cut.zip'));
    const o = path.join(out, 'cut-in-folder.json');
    const r = await runCli(['scan', src, '-o', o, '-q'], { timeoutMs: 50_000 });
    expect(r.code, r.stderr).toBe(1);
    const m = readCompleteManifest(o);
    expect(m.items.map((i) => i.path)).toEqual(['cut.zip', 'cut.zip!/secret.txt']);
    const archive = m.items[0]!;
    expect(archive.errors.map((e) => e.code)).not.toContain('PLUGIN_THREW');
    expect(archive.errors.find((e) => e.code === 'ZIP_NO_CENTRAL_DIRECTORY')?.message).toMatch(says);
    expect(m.items[1]!.classification.status).toBe('encrypted');
  });

  it('as the source: the member listed (was: exit 2, "cannot be read as a ZIP archive")', async () => {
    const o = path.join(out, 'cut-as-source.json');
    const r = await runCli(['scan', file, '-o', o, '-q'], { timeoutMs: 50_000 });
    expect(r.code, r.stderr).toBe(1);
    const m = readCompleteManifest(o);
    expect(m.items.map((i) => i.path).sort()).toEqual(['secret.txt', 'zip-cut-before-data-descriptor.zip!/']);
    const root = m.items.find((i) => i.path.endsWith('!/'));
    expect(root?.errors.find((e) => e.code === 'ZIP_NO_CENTRAL_DIRECTORY')?.message).toMatch(says);
  });
});

describe('ZIPs cut in the middle of a stored member (Info-ZIP, then cut), hashed', () => {
  it('say the member is cut short (E_MEMBER_TRUNCATED), not that a file changed size while read; no digest', async () => {
    const src = fs.mkdtempSync(path.join(out, 'src-'));
    const work = fs.mkdtempSync(path.join(out, 'work-'));
    // Incompressible bytes, stored (-0): one with ZipCrypto (read on the main thread), one plain (on the workers).
    let x = 16;
    const bytes = Buffer.alloc(100_000, 0).map(() => (x = (x * 1103515245 + 12345) >>> 0) >>> 24);
    fs.writeFileSync(path.join(work, 'member.bin'), bytes);
    execFileSync('zip', ['-q', '-X', '-0', '-P', 'pass', 'enc.zip', 'member.bin'], { cwd: work });
    execFileSync('zip', ['-q', '-X', '-0', 'plain.zip', 'member.bin'], { cwd: work });
    for (const name of ['enc.zip', 'plain.zip'])
      fs.writeFileSync(path.join(src, `cut-${name}`), fs.readFileSync(path.join(work, name)).subarray(0, 50_000));
    const o = path.join(out, 'cut-members.json');
    const r = await runCli(['scan', src, '-o', o, '-q', '--hash', 'sha256'], { timeoutMs: 50_000 });
    expect(r.code, r.stderr).toBe(1);
    const members = readCompleteManifest(o).items.filter((i) => i.path.includes('!/'));
    expect(members.map((i) => i.path)).toEqual(['cut-enc.zip!/member.bin', 'cut-plain.zip!/member.bin']);
    for (const member of members) {
      expect(member.hashes).toBeUndefined();
      // The container names the cut (MEMBER_TRUNCATED); hashing then finds the bytes short of the declared size.
      expect(member.errors.map((e) => [e.stage, e.code])).toEqual([
        ['container', 'MEMBER_TRUNCATED'],
        ['hash', 'E_MEMBER_TRUNCATED'],
      ]);
      expect(member.errors[1]!.message).toMatch(
        /^the member's data ended after \d+ of the 1000(00|12) bytes its archive declares/,
      );
    }
  });
});
