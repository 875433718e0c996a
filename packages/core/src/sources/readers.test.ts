/**
 * The readers behind archive members: the inflating reader serves random
 * reads over a deflate stream, keeping the probe's windows so head, tail and
 * samples cost one pass, and keeping small members whole within a pool; the
 * block cache answers many small reads from few large ones.
 */
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** Buffer equality without vitest's element-by-element diff (slow on megabytes). */
const same = (a: Buffer, b: Buffer) => Buffer.compare(a, b) === 0;
import { BlockCache, bufferReader, InflatingReader, nextChunk, piped, WholePool, type WindowCache } from './readers.js';

function deflated(data: Buffer): { open: () => Readable; opens: () => number } {
  const z = zlib.deflateRawSync(data);
  let n = 0;
  return {
    open: () => {
      n++;
      return Readable.from([z]).pipe(zlib.createInflateRaw());
    },
    opens: () => n,
  };
}

const data = Buffer.alloc(3 * 1024 * 1024);
for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;

describe('InflatingReader', () => {
  it('serves head, tail and samples from one inflating pass and later opens from the kept windows', async () => {
    const src = deflated(data);
    const cache: WindowCache = { windows: [] };
    const keep = [
      { offset: 0, length: 16384 },
      { offset: 1_000_000, length: 4096 },
      { offset: data.length - 8192, length: 8192 },
    ];
    const mk = () =>
      new InflatingReader({ size: data.length, open: src.open, cache, keep, wholeLimit: 1024, pool: new WholePool(0) });
    const r = mk();
    expect(same(await r.read(0, 16384), data.subarray(0, 16384))).toBe(true);
    expect(same(await r.read(data.length - 8192, 8192), data.subarray(data.length - 8192))).toBe(true);
    expect(same(await r.read(1_000_000, 4096), data.subarray(1_000_000, 1_004_096))).toBe(true);
    expect(src.opens()).toBe(1);
    await r.close();
    const again = mk();
    expect(same(await again.read(1_000_100, 100), data.subarray(1_000_100, 1_000_200))).toBe(true);
    expect(src.opens()).toBe(1);
    // A read outside the windows, behind the stream position, restarts the stream.
    expect(same(await again.read(500_000, 10), data.subarray(500_000, 500_010))).toBe(true);
    expect(src.opens()).toBe(2);
    await again.close();
  });

  it('sequential reads to the end cost one pass and return exact bytes', async () => {
    const src = deflated(data);
    const r = new InflatingReader({
      size: data.length,
      open: src.open,
      cache: { windows: [] },
      keep: [],
      wholeLimit: 0,
      pool: new WholePool(0),
    });
    const parts: Buffer[] = [];
    for (let p = 0; p < data.length; p += 1_000_003) parts.push(await r.read(p, 1_000_003));
    expect(same(Buffer.concat(parts), data)).toBe(true);
    expect(src.opens()).toBe(1);
    expect((await r.read(data.length, 10)).length).toBe(0);
  });

  it('keeps a small member whole while the pool has room, and gives it back on drop', async () => {
    const small = data.subarray(0, 100_000);
    const src = deflated(small);
    const pool = new WholePool(150_000);
    const cache: WindowCache = { windows: [] };
    const r = new InflatingReader({ size: small.length, open: src.open, cache, keep: [], wholeLimit: 1_000_000, pool });
    expect(same(await r.read(99_990, 100), small.subarray(99_990))).toBe(true);
    expect(same(await r.read(0, 10), small.subarray(0, 10))).toBe(true);
    expect(src.opens()).toBe(1);
    expect(pool.used).toBe(100_000);
    // A second member does not fit: it streams instead of taking memory.
    const other = new InflatingReader({
      size: small.length,
      open: deflated(small).open,
      cache: { windows: [] },
      keep: [],
      wholeLimit: 1_000_000,
      pool,
    });
    expect(same(await other.read(5, 5), small.subarray(5, 10))).toBe(true);
    expect(pool.used).toBe(100_000);
    pool.drop(cache);
    expect(pool.used).toBe(0);
    expect(cache.whole).toBeUndefined();
  });

  it('never reads past the declared size (a member that inflates further is cut there)', async () => {
    const src = deflated(data);
    const r = new InflatingReader({
      size: 1000,
      open: src.open,
      cache: { windows: [] },
      keep: [],
      wholeLimit: 0,
      pool: new WholePool(0),
    });
    expect((await r.read(900, 500)).length).toBe(100);
  });
});

describe('BlockCache', () => {
  it('answers small reads across block edges from cached blocks', async () => {
    let reads = 0;
    const base = bufferReader(data);
    const counting = { size: base.size, read: (p: number, l: number) => (reads++, base.read(p, l)) };
    const cache = new BlockCache(counting, 64 * 1024, 4);
    for (let p = 0; p + 46 <= 256 * 1024; p += 46)
      expect(same(await cache.read(p, 46), data.subarray(p, p + 46))).toBe(true);
    expect(reads).toBe(4);
    expect(same(await cache.read(data.length - 3, 10), data.subarray(data.length - 3))).toBe(true);
  });
});

describe('piped', () => {
  /** A source that yields `chunks` one per read, then ends (or fails with `fail` instead of ending). */
  function source(chunks: Buffer[], fail?: Error): Readable {
    let i = 0;
    return new Readable({
      read() {
        if (i < chunks.length) this.push(chunks[i++]);
        else if (fail) this.destroy(fail);
        else this.push(null);
      },
    });
  }
  const gz = zlib.gzipSync(data.subarray(0, 256 * 1024));
  const chunks = [gz.subarray(0, 1000), gz.subarray(1000, 40000), gz.subarray(40000)];

  it('inflates the whole stream and then closes the source', async () => {
    const src = source(chunks);
    const out: Buffer[] = [];
    for await (const c of piped(src, zlib.createGunzip())) out.push(c as Buffer);
    expect(same(Buffer.concat(out), data.subarray(0, 256 * 1024))).toBe(true);
    expect(src.destroyed).toBe(true);
  });

  it('a consumer that stops early destroys the source', async () => {
    const src = source(chunks);
    for await (const c of piped(src, zlib.createGunzip())) {
      expect((c as Buffer).length).toBeGreaterThan(0);
      break;
    }
    await new Promise((r) => setImmediate(r));
    expect(src.destroyed).toBe(true);
  });

  it("a damaged stream fails the inflater with zlib's error and destroys the source", async () => {
    const bad = Buffer.from(gz);
    bad.fill(0xff, 10, 200);
    const src = source([bad, gz.subarray(200)]);
    const t = piped(src, zlib.createGunzip());
    await expect(async () => {
      for await (const _ of t) void _;
    }).rejects.toMatchObject({ code: 'Z_DATA_ERROR' });
    await new Promise((r) => setImmediate(r));
    expect(src.destroyed).toBe(true);
  });

  it("a failing source fails the inflater with the source's error", async () => {
    const t = piped(source([chunks[0]!], new Error('disk gone')), zlib.createGunzip());
    await expect(async () => {
      for await (const _ of t) void _;
    }).rejects.toThrow('disk gone');
  });

  it('a source destroyed before its end fails the inflater instead of leaving it waiting', async () => {
    const src = source(chunks);
    const t = piped(src, zlib.createGunzip());
    src.destroy();
    await expect(async () => {
      for await (const _ of t) void _;
    }).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('an inflater error before anyone listens does not reach the process', async () => {
    const t = piped(source([Buffer.from('not gzip at all, not even close')]), zlib.createGunzip());
    // Waits for the stream's end, not for a time: the error is emitted first, with nobody listening but piped's own.
    await new Promise((r) => t.once('close', r));
    expect(t.destroyed).toBe(true);
    expect(t.errored).toMatchObject({ code: 'Z_DATA_ERROR' });
  });
});

describe('nextChunk', () => {
  /** Chunks pushed one per turn of the event loop, so reads have to wait for them. */
  function slow(chunks: Buffer[], fail?: Error): Readable {
    let i = 0;
    return new Readable({
      read() {
        setImmediate(() => {
          if (i < chunks.length) this.push(chunks[i++]);
          else if (fail) this.destroy(fail);
          else this.push(null);
        });
      },
    });
  }
  const parts = [Buffer.from('alpha '), Buffer.from('beta '), Buffer.from('gamma')];

  async function drain(stream: Readable): Promise<Buffer> {
    const got: Buffer[] = [];
    for (let c = await nextChunk(stream); c !== null; c = await nextChunk(stream)) got.push(c);
    return Buffer.concat(got);
  }

  it('yields every byte of a stream that makes them one turn at a time, then null, and null again', async () => {
    const s = slow(parts);
    expect((await drain(s)).toString()).toBe('alpha beta gamma');
    expect(await nextChunk(s)).toBeNull();
  });

  it('yields the bytes of a real inflater, as its async iterator does', async () => {
    const z = zlib.deflateRawSync(data.subarray(0, 300 * 1024));
    const s = Readable.from([z.subarray(0, 5000), z.subarray(5000)]).pipe(zlib.createInflateRaw());
    expect(same(await drain(s), data.subarray(0, 300 * 1024))).toBe(true);
  });

  it("rejects with the stream's error, also one raised while nobody was reading", async () => {
    const s = slow(parts, new Error('disk gone'));
    await expect(drain(s)).rejects.toThrow('disk gone');
    const early = new Readable({ read() {} });
    early.on('error', () => undefined);
    early.destroy(new Error('before any read'));
    await new Promise((r) => setImmediate(r));
    await expect(nextChunk(early)).rejects.toThrow('before any read');
  });

  it('rejects with a premature close when the stream is destroyed before its end, waiting or not', async () => {
    const waiting = slow(parts);
    await nextChunk(waiting);
    const pending = nextChunk(waiting);
    waiting.destroy();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    await expect(nextChunk(waiting)).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('leaves no listeners behind between reads', async () => {
    const s = slow(parts);
    const before = ['readable', 'end', 'error', 'close'].map((e) => s.listenerCount(e));
    await nextChunk(s);
    await nextChunk(s);
    expect(['readable', 'end', 'error', 'close'].map((e) => s.listenerCount(e))).toEqual(before);
  });
});
