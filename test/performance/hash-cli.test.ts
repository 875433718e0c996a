/**
 * `--hash` end to end: digests computed by the worker pool in the probe's
 * read match node:crypto over the whole file, for any subset of algorithms,
 * for empty, small, chunk-boundary and big (sent-alone) files, and for the
 * members of a ZIP made by Info-ZIP (hashed on the main thread from the member).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { readNdjsonManifest } from '../helpers/manifest.js';

let tmp: string;
let src: string;
const sizes: Record<string, number> = {
  'empty.bin': 0,
  'small.txt': 37,
  'chunk.bin': 1024 * 1024,
  'chunk-plus.bin': 1024 * 1024 + 1,
  'big.bin': 9 * 1024 * 1024 + 3,
};

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-hash-'));
  src = path.join(tmp, 'evidence');
  fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
  let x = 12345;
  for (const [name, size] of Object.entries(sizes)) {
    const b = Buffer.alloc(size);
    for (let i = 0; i < size; i++) b[i] = (x = (x * 1664525 + 1013904223) >>> 0) >>> 24;
    fs.writeFileSync(path.join(src, 'sub', name), b);
  }
  execFileSync('zip', ['-q', '-r', '-X', path.join(src, 'pack.zip'), 'sub'], { cwd: src });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function digest(algo: string, file: string): string {
  return crypto.createHash(algo).update(fs.readFileSync(file)).digest('hex');
}

describe('evtriage scan --hash', () => {
  it('gives every requested digest, and only those, for files and ZIP members', async () => {
    const out = path.join(tmp, 'all.ndjson');
    const r = await runCli(['scan', src, '-f', 'ndjson', '-o', out, '-q', '--hash', 'sha256,md5,sha1']);
    expect(r.stderr).toBe('');
    const { items } = readNdjsonManifest(out);
    for (const name of Object.keys(sizes)) {
      const file = path.join(src, 'sub', name);
      const want = { md5: digest('md5', file), sha1: digest('sha1', file), sha256: digest('sha256', file) };
      expect(items.find((i) => i.path === `sub/${name}`)?.hashes).toEqual(want);
      expect(items.find((i) => i.path === `pack.zip!/sub/${name}`)?.hashes).toEqual(want);
    }
    expect(items.find((i) => i.path === 'pack.zip')?.hashes?.sha256).toBe(digest('sha256', path.join(src, 'pack.zip')));
  });

  it('computes a subset when asked for one', async () => {
    const out = path.join(tmp, 'sha1.ndjson');
    await runCli(['scan', src, '-f', 'ndjson', '-o', out, '-q', '--hash', 'sha1']);
    const { items } = readNdjsonManifest(out);
    const big = items.find((i) => i.path === 'sub/big.bin');
    expect(big?.hashes).toEqual({ sha1: digest('sha1', path.join(src, 'sub/big.bin')) });
  });
});
