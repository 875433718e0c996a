/**
 * Keeping streamed members: in memory within the pool, in a private
 * temporary file otherwise (deleted on release and on close), or only the
 * probe windows past the spool limit.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Buffer equality without vitest's element-by-element diff (slow on megabytes). */
const same = (a: Buffer, b: Buffer) => Buffer.compare(a, b) === 0;
import { Spool } from './spool.js';

const bytes = (n: number, seed = 1) => Buffer.from(Array.from({ length: n }, (_, i) => (i * seed + 7) & 0xff));

describe('Spool', () => {
  it('keeps small members in memory and accounts for them until released', async () => {
    const spool = new Spool({ memberMemoryBytes: 1000, poolBytes: 1500, spoolMaxBytes: 10_000 });
    const w = spool.begin(800, []);
    w.write(bytes(500));
    w.write(bytes(300, 3));
    const kept = w.finish();
    expect(kept.where).toBe('memory');
    expect(spool.memoryInUse).toBe(800);
    const r = await kept.open();
    expect(same(await r.read(500, 300), bytes(300, 3))).toBe(true);
    // The pool is nearly full: the next one goes to a file.
    const second = spool.begin(800, []);
    second.write(bytes(800));
    const k2 = second.finish();
    expect(k2.where).toBe('file');
    kept.release();
    expect(spool.memoryInUse).toBe(0);
    k2.release();
    spool.close();
  });

  it('spools larger members to a private file that release deletes', async () => {
    const spool = new Spool({ memberMemoryBytes: 10, poolBytes: 10, spoolMaxBytes: 1_000_000 });
    const w = spool.begin(100_000, []);
    const data = bytes(100_000, 5);
    for (let i = 0; i < data.length; i += 7000) w.write(data.subarray(i, i + 7000));
    const kept = w.finish();
    expect(kept.where).toBe('file');
    const r = await kept.open();
    expect(same(await r.read(0, 100_000), data)).toBe(true);
    const dir = fs
      .readdirSync('/proc/self/fd')
      .map((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`);
        } catch {
          return '';
        }
      })
      .find((p) => p.includes('evtriage-spool-'));
    expect(dir).toBeDefined();
    const folder = dir!.slice(0, dir!.lastIndexOf('/'));
    expect(fs.statSync(folder).mode & 0o777).toBe(0o700);
    expect(fs.statSync(dir!).mode & 0o777).toBe(0o600);
    kept.release();
    expect(fs.existsSync(dir!)).toBe(false);
    await expect(kept.open()).rejects.toThrow(/released/);
    spool.close();
    expect(fs.existsSync(folder)).toBe(false);
  });

  it('past the spool limit keeps only the probe windows and says so for other reads', async () => {
    const spool = new Spool({ memberMemoryBytes: 10, poolBytes: 10, spoolMaxBytes: 1000 });
    const data = bytes(50_000, 9);
    const w = spool.begin(data.length, [
      { offset: 0, length: 100 },
      { offset: 49_900, length: 100 },
    ]);
    for (let i = 0; i < data.length; i += 4096) w.write(data.subarray(i, i + 4096));
    const kept = w.finish();
    expect(kept.where).toBe('windows');
    const r = await kept.open();
    expect(same(await r.read(0, 100), data.subarray(0, 100))).toBe(true);
    expect(same(await r.read(49_950, 50), data.subarray(49_950))).toBe(true);
    await expect(r.read(20_000, 10)).rejects.toThrow(/spool limit/);
    spool.close();
  });
});
