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
