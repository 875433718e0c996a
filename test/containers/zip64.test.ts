/**
 * ZIP64 at scale, generated on the fly (not committed): 70,000 stored (mostly empty)
 * members plus one 4 GiB + 1 MiB member whose bytes are a hole in a sparse
 * file, so members sit past the 4 GiB offset too. The archive is listed and
 * scanned in full; the big member is probed in place (head, samples, tail).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipSource, type SourceEntry } from '@evtriage/core';
import { scanPath } from './helpers.js';
import { writeZip64 } from './zip64-writer.js';

const MEMBERS = 70_000;
const BIG = 4 * 1024 ** 3 + 1024 * 1024;
let dir: string;
let file: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-zip64-'));
  file = path.join(dir, 'large.zip');
  const members = [
    {
      name: 'big/disk.img',
      sparse: { size: BIG, head: Buffer.from('EVTRIAGE SPARSE HEAD\n'), tail: Buffer.from('EVTRIAGE SPARSE TAIL\n') },
    },
    // Most members are empty, so the 70,000-item scan stays quick; every 1000th holds text.
    ...Array.from({ length: MEMBERS }, (_, i) => ({
      name: `m/${String(i).padStart(5, '0')}.txt`,
      data: i % 1000 === 999 ? Buffer.from(`member ${i}\n`) : Buffer.alloc(0),
    })),
  ];
  writeZip64(file, members);
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ZIP64', () => {
  it('the generated archive is valid ZIP64 for Info-ZIP too (sanity check of the test input)', () => {
    const list = execFileSync('zipinfo', ['-1', file], { maxBuffer: 64 * 1024 * 1024 })
      .toString()
      .trim()
      .split('\n');
    expect(list.length).toBe(MEMBERS + 1);
    // Sparse: far less on disk than its 4 GiB length.
    expect(fs.statSync(file).blocks * 512).toBeLessThan(256 * 1024 * 1024);
  });

  it('lists every member, with the size past 4 GiB and the offsets past 4 GiB', async () => {
    const src = await ZipSource.fromFile(file);
    let n = 0;
    let big: SourceEntry | undefined;
    let last: SourceEntry | undefined;
    for await (const e of src.entries()) {
      n++;
      if (e.path === 'big/disk.img') big = e;
      last = e;
    }
    expect(n).toBe(MEMBERS + 1);
    expect(big?.size).toBe(BIG);
    // The last member's data lies past 4 GiB; read it in place.
    const r = await last!.open!();
    expect((await r.read(0, 100)).toString()).toBe(`member ${MEMBERS - 1}\n`);
    await r.close();
    const b = await big!.open!();
    expect((await b.read(BIG - 21, 21)).toString()).toBe('EVTRIAGE SPARSE TAIL\n');
    await b.close();
    await src.close();
  });

  it('scans all 70,001 items through the pipeline', async () => {
    const r = await scanPath(file);
    expect(r.summary.complete).toBe(true);
    expect(r.items.length).toBe(MEMBERS + 1);
    expect(r.summary.counts.itemsWithErrors).toBe(0);
    const big = r.byPath.get('big/disk.img')!;
    expect(big.size).toBe(BIG);
    expect(big.classification.status).not.toBe('unreadable');
    expect(r.byPath.get('m/69999.txt')?.format?.id).toBe('text');
    expect(r.items.filter((i) => i.format?.id === 'text').length).toBe(MEMBERS / 1000);
    expect(r.items.filter((i) => i.format?.id === 'empty').length).toBe(MEMBERS - MEMBERS / 1000);
  }, 300_000);
});
