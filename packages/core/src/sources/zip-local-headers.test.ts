/**
 * Walking local headers when the central directory is gone (recoverFromLocalHeaders) over bytes that end before
 * the size their reader declares: a ZIP member cut inside its parent archive is read as far as the cut, so a
 * header there reads short and must stop the walk, never be read past its bytes (it threw a RangeError).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverFromLocalHeaders } from './zip.js';

/** Two stored members by Info-ZIP zip. */
function infoZip(): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zip-local-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.txt'), 'first member\n');
    fs.writeFileSync(path.join(dir, 'b.txt'), 'second member\n');
    execFileSync('zip', ['-q', '-X', '-0', 'x.zip', 'a.txt', 'b.txt'], { cwd: dir });
    return fs.readFileSync(path.join(dir, 'x.zip'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A reader declaring `declared` bytes that holds only `bytes`. */
const shortReader = (bytes: Buffer, declared: number) => ({
  size: declared,
  read: async (position: number, length: number) => bytes.subarray(position, position + length),
});

describe('recoverFromLocalHeaders on bytes shorter than declared', () => {
  const zip = infoZip();
  const second = zip.indexOf('PK\x03\x04', 4);

  it('stops at a header cut short, keeping the members before it', async () => {
    for (const cut of [second + 1, second + 19, second + 29]) {
      const { entries, stop } = await recoverFromLocalHeaders(shortReader(zip.subarray(0, cut), zip.length), 10);
      expect(entries.map((e) => e.fileNameRaw.toString())).toEqual(['a.txt']);
      expect(stop).toMatch(/cut short/);
    }
  });

  it('reads both members when the bytes are whole', async () => {
    const { entries } = await recoverFromLocalHeaders(shortReader(zip, zip.length), 10);
    expect(entries.map((e) => e.fileNameRaw.toString())).toEqual(['a.txt', 'b.txt']);
  });
});
