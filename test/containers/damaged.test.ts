/**
 * Truncated and corrupt archives: every member that can be read becomes an
 * item, the damage is recorded as an error (on an entry standing for the
 * archive at top level, on the container item when nested), and the scan
 * completes. Fixtures: fixtures/make-fixtures.sh.
 */
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
