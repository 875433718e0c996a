/**
 * The worker-pool prober gives exactly the bytes the main-thread prober gives,
 * hashes in the same read, reports per-file errors, and falls back for
 * entries without a local path.
 */
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../limits.js';
import { openLocalReader } from '../sources/folder.js';
import type { SourceEntry } from '../sources/source.js';
import { createProber } from './probe.js';
import { createWorkerProber } from './worker-prober.js';

let dir: string;
const sizes = [
  0,
  1,
  100,
  16383,
  16384,
  16385,
  16384 + 8192,
  16384 + 8192 + 8191,
  16384 + 8192 + 8192,
  100_000,
  1024 * 1024,
  1024 * 1024 + 1,
  3 * 1024 * 1024 + 17,
  9 * 1024 * 1024 + 5,
];

function entryFor(file: string): SourceEntry {
  const size = fs.statSync(file).size;
  return {
    path: path.basename(file),
    kind: 'file',
    size,
    times: {},
    depth: 0,
    localPath: file,
    open: () => openLocalReader(file),
  };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-wp-'));
  let seed = 7;
  for (const size of sizes) {
    const buf = Buffer.alloc(size);
    for (let i = 0; i < size; i++) buf[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    fs.writeFileSync(path.join(dir, `f${size}.bin`), buf);
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('createWorkerProber', () => {
  it('returns the same head, tail and samples as the main-thread prober for every size', async () => {
    const wp = createWorkerProber(DEFAULT_LIMITS, { workers: 2, batch: 3 });
    const main = createProber(DEFAULT_LIMITS);
    try {
      const entries = sizes.map((s) => entryFor(path.join(dir, `f${s}.bin`)));
      const got = await Promise.all(entries.map((e) => wp.probe(e)));
      for (const [i, e] of entries.entries()) {
        const want = await main.probe(e);
        const p = got[i]!;
        expect(p.size).toBe(sizes[i]);
        expect(Buffer.from(p.head).equals(Buffer.from(want.head))).toBe(true);
        expect(Buffer.from(p.tail).equals(Buffer.from(want.tail))).toBe(true);
        expect(p.samples.map((s) => s.offset)).toEqual(want.samples.map((s) => s.offset));
        for (const [k, s] of p.samples.entries())
          expect(Buffer.from(s.bytes).equals(Buffer.from(want.samples[k]!.bytes))).toBe(true);
        expect(p.complete).toBe(want.complete);
        expect(wp.takeHashes(p)).toBeUndefined();
      }
    } finally {
      await wp.close();
    }
  });

  it('fills partial batches while the worker is busy, and serves every request (none is held for ever)', async () => {
    // One request per turn of the event loop: without holding, every turn would send a batch of one.
    const files = Array.from({ length: 60 }, (_, i) => path.join(dir, `f${sizes[i % sizes.length]!}.bin`));
    const wp = createWorkerProber(DEFAULT_LIMITS, { workers: 1, batch: 4 });
    try {
      const pending: Array<Promise<{ size: number }>> = [];
      for (const f of files) {
        pending.push(wp.probe(entryFor(f)));
        await new Promise((resolve) => setImmediate(resolve));
      }
      const got = await Promise.all(pending);
      expect(got.map((p) => p.size)).toEqual(files.map((f) => fs.statSync(f).size));
      // Every batch holds at least one file, and no more than the batch size.
      expect(wp.batchesSent).toBeGreaterThanOrEqual(files.length / 4);
      expect(wp.batchesSent).toBeLessThanOrEqual(files.length);
    } finally {
      await wp.close();
    }
  });

  it('serves a request still held back when the prober is closed (on the main thread)', async () => {
    const wp = createWorkerProber(DEFAULT_LIMITS, { workers: 1, batch: 2 });
    const big = path.join(dir, `f${9 * 1024 * 1024 + 5}.bin`);
    const small = path.join(dir, 'f100.bin');
    const size = (f: string) =>
      wp.probe(entryFor(f)).then(
        (p) => p.size,
        (e: Error) => e.message,
      );
    // Six in full batches (the worker has them in hand), then one alone a turn later: held back while they are,
    // and still queued when the prober closes in that same turn (a worker kept from an earlier scan could
    // otherwise have answered and taken it within a turn).
    const inFlight = Array.from({ length: 6 }, () => size(big));
    await new Promise((resolve) => setImmediate(resolve));
    const held = size(small);
    await wp.close();
    expect(await held).toBe(100);
    for (const g of await Promise.all(inFlight))
      expect([9 * 1024 * 1024 + 5, 'the prober was closed before this file was read']).toContain(g);
  });

  it('computes md5, sha1 and sha256 in the probe read, matching node:crypto over the whole file', async () => {
    const wp = createWorkerProber(DEFAULT_LIMITS, { workers: 2, hash: ['md5', 'sha1', 'sha256'] });
    const main = createProber(DEFAULT_LIMITS);
    try {
      for (const size of sizes) {
        const file = path.join(dir, `f${size}.bin`);
        const p = await wp.probe(entryFor(file));
        const bytes = fs.readFileSync(file);
        expect(wp.takeHashes(p)).toEqual({
          md5: crypto.createHash('md5').update(bytes).digest('hex'),
          sha1: crypto.createHash('sha1').update(bytes).digest('hex'),
          sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
        });
        // Taken once: the digests are handed over, not kept.
        expect(wp.takeHashes(p)).toBeUndefined();
        // Probe blocks copied out of the hashing read are the same bytes.
        const want = await main.probe(entryFor(file));
        expect(Buffer.from(p.tail).equals(Buffer.from(want.tail))).toBe(true);
        for (const [k, s] of p.samples.entries())
          expect(Buffer.from(s.bytes).equals(Buffer.from(want.samples[k]!.bytes))).toBe(true);
      }
    } finally {
      await wp.close();
    }
  });

  it('rejects a missing file and a FIFO with their own errors, and serves the rest of the batch', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const wp = createWorkerProber(DEFAULT_LIMITS, { workers: 1 });
    try {
      const missing = { ...entryFor(path.join(dir, 'f100.bin')), path: 'gone', localPath: path.join(dir, 'gone.bin') };
      const results = await Promise.allSettled([
        wp.probe(missing),
        wp.probe({ ...missing, path: 'pipe', localPath: fifo }),
        wp.probe(entryFor(path.join(dir, 'f100.bin'))),
      ]);
      expect(results[0]).toMatchObject({ status: 'rejected', reason: { code: 'ENOENT' } });
      expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: 'ENOTREG' } });
      expect(results[2]).toMatchObject({ status: 'fulfilled', value: { size: 100 } });
    } finally {
      await wp.close();
    }
  });

  it('probes entries without a local path through their reader, and works after close on the main thread', async () => {
    const wp = createWorkerProber(DEFAULT_LIMITS, { workers: 1 });
    const file = path.join(dir, 'f100000.bin');
    const { localPath: _unused, ...member } = entryFor(file);
    void _unused;
    const viaReader = await wp.probe(member);
    expect(viaReader.size).toBe(100_000);
    await wp.close();
    const after = await wp.probe(entryFor(file));
    expect(Buffer.from(after.head).equals(Buffer.from(viaReader.head))).toBe(true);
  });
});

describe('createWorkerProber close', () => {
  it('gives up in-flight reads at once instead of waiting for a long hash', async () => {
    const wp = createWorkerProber(DEFAULT_LIMITS, { workers: 1, hash: ['sha256'] });
    const big = path.join(dir, `f${9 * 1024 * 1024 + 5}.bin`);
    const pending = Promise.allSettled(Array.from({ length: 20 }, () => wp.probe(entryFor(big))));
    await wp.close();
    const results = await pending;
    // Every request settled: read before the close, or refused with ECLOSED (given up, not waited for).
    for (const r of results)
      if (r.status === 'rejected') expect((r.reason as NodeJS.ErrnoException).code).toBe('ECLOSED');
    expect(results.some((r) => r.status === 'rejected')).toBe(true);
  });
});
