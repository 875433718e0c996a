/**
 * TAR.GZ members larger than the in-memory limit are spooled to a private
 * temporary file while the pipeline works on them; their bytes (hashes) are
 * the same as the folder's, and the spool folder is gone after the scan.
 * The archive is made with GNU tar on the fly (12 MiB of random data).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanPath } from './helpers.js';

let dir: string;
// The scan spools to os.tmpdir(): a private one for this file, so spools of other test files running at the same
// time are not counted as this file's.
const sharedTmp = process.env['TMPDIR'];
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-tarspool-'));
  fs.mkdirSync(path.join(dir, 'tmp'));
  process.env['TMPDIR'] = path.join(dir, 'tmp');
  fs.mkdirSync(path.join(dir, 'tree/media'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'tree/media/video.bin'), crypto.randomBytes(12 * 1024 * 1024));
  fs.writeFileSync(path.join(dir, 'tree/notes.txt'), 'small\n');
  // A long name (over 100 bytes: GNU long-name record) and a PAX one.
  const long = 'd'.repeat(60) + '/' + 'e'.repeat(70) + '.txt';
  fs.mkdirSync(path.join(dir, 'tree', path.dirname(long)), { recursive: true });
  fs.writeFileSync(path.join(dir, 'tree', long), 'long name\n');
  execFileSync('tar', ['-C', path.join(dir, 'tree'), '-czf', path.join(dir, 'gnu.tar.gz'), '.']);
  execFileSync('tar', ['--format=pax', '-C', path.join(dir, 'tree'), '-czf', path.join(dir, 'pax.tar.gz'), '.']);
});
afterAll(() => {
  if (sharedTmp === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = sharedTmp;
  fs.rmSync(dir, { recursive: true, force: true });
});

const spoolDirs = () =>
  fs
    .readdirSync(os.tmpdir())
    .filter((n) => n.startsWith('evtriage-spool-'))
    .sort();

describe('TAR.GZ spooling', () => {
  it('spools a large member to a temporary file, hashes it right, and removes the file afterwards', async () => {
    const before = spoolDirs();
    const folder = await scanPath(path.join(dir, 'tree'), { hash: ['sha256'] });
    for (const f of ['gnu.tar.gz', 'pax.tar.gz']) {
      const r = await scanPath(path.join(dir, f), { hash: ['sha256'] });
      const video = r.byPath.get('media/video.bin')!;
      expect((video.details?.['container'] as { keptIn?: string }).keptIn).toBe('file');
      expect(video.hashes?.sha256).toBe(folder.byPath.get('media/video.bin')?.hashes?.sha256);
      const long = r.items.find((i) => i.path.endsWith('.txt') && i.path.length > 100);
      expect(long?.path).toBe(folder.items.find((i) => i.path.length > 100)?.path);
      expect(r.items.length).toBe(folder.items.length);
    }
    expect(spoolDirs()).toEqual(before);
  });
});
