import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../limits.js';
import { openLocalReader } from '../sources/folder.js';
import type { SourceEntry } from '../sources/source.js';
import { createProber } from './probe.js';
import { createWorkerProber } from './worker-prober.js';
import { adoptSpareWorker, prestartProbeWorker } from './worker-prestart.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-prestart-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function entryFor(file: string): SourceEntry {
  return {
    path: path.basename(file),
    kind: 'file',
    size: fs.statSync(file).size,
    times: {},
    depth: 0,
    localPath: file,
    open: () => openLocalReader(file),
  };
}

/** Ends the spares earlier scans in this test process left, so each case starts with none. */
async function endSpares(): Promise<void> {
  for (let w = adoptSpareWorker(DEFAULT_LIMITS.workerHeapMb); w; w = adoptSpareWorker(DEFAULT_LIMITS.workerHeapMb))
    await w.terminate();
}
beforeEach(endSpares);

describe('prestarted probe worker', () => {
  it('is adopted once, by a prober with the default heap cap', async () => {
    prestartProbeWorker();
    const worker = adoptSpareWorker(DEFAULT_LIMITS.workerHeapMb);
    expect(worker).toBeDefined();
    expect(adoptSpareWorker(DEFAULT_LIMITS.workerHeapMb)).toBeUndefined();
    await worker!.terminate();
  });

  it('is not adopted by a scan that asks for another heap cap, and stays for one that does not', async () => {
    prestartProbeWorker();
    expect(adoptSpareWorker(DEFAULT_LIMITS.workerHeapMb * 2)).toBeUndefined();
    const worker = adoptSpareWorker(DEFAULT_LIMITS.workerHeapMb);
    expect(worker).toBeDefined();
    await worker!.terminate();
  });

  it('is adopted only by a scan whose detector modules include those it loaded', async () => {
    const modules = [path.join(dir, 'detectors-a.js')];
    prestartProbeWorker(modules);
    // Another scan's plugins never run beside this one's: a scan without them starts its own worker.
    expect(adoptSpareWorker(DEFAULT_LIMITS.workerHeapMb, [])).toBeUndefined();
    const worker = adoptSpareWorker(DEFAULT_LIMITS.workerHeapMb, [...modules, path.join(dir, 'detectors-b.js')]);
    expect(worker).toBeDefined();
    await worker!.terminate();
  });

  it('reads and hashes as a fresh worker, even when a module it was told to preload does not exist', async () => {
    const file = path.join(dir, 'data.bin');
    fs.writeFileSync(file, crypto.randomBytes(100_000));
    const missing = path.join(dir, 'no-such-detectors.js');
    prestartProbeWorker([missing]);
    const prober = createWorkerProber(DEFAULT_LIMITS, {
      workers: 1,
      hash: ['sha256'],
      identify: { modules: [missing], ids: ['nothing'], limits: DEFAULT_LIMITS },
    });
    try {
      const probe = await prober.probe(entryFor(file));
      const expected = await createProber(DEFAULT_LIMITS).probe(entryFor(file));
      expect(Buffer.from(probe.head)).toEqual(Buffer.from(expected.head));
      expect(Buffer.from(probe.tail)).toEqual(Buffer.from(expected.tail));
      expect(prober.takeHashes(probe)).toEqual({
        sha256: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
      });
      // The prober took the prestarted worker rather than starting a second one.
      expect(adoptSpareWorker(DEFAULT_LIMITS.workerHeapMb, [missing])).toBeUndefined();
    } finally {
      await prober.close();
    }
  });
});

describe('probe workers kept between scans in one process', () => {
  it("hands a closed prober's idle worker to the next prober, which reads with it as a fresh one", async () => {
    const file = path.join(dir, 'kept.bin');
    fs.writeFileSync(file, crypto.randomBytes(50_000));
    const expected = await createProber(DEFAULT_LIMITS).probe(entryFor(file));
    const first = createWorkerProber(DEFAULT_LIMITS, { workers: 1, hash: ['md5'] });
    await first.probe(entryFor(file));
    await first.close();
    // The second prober asks for other digests: its init, not the first one's, decides what the worker does.
    const second = createWorkerProber(DEFAULT_LIMITS, { workers: 1, hash: ['sha256'] });
    try {
      const probe = await second.probe(entryFor(file));
      expect(Buffer.from(probe.head)).toEqual(Buffer.from(expected.head));
      expect(second.takeHashes(probe)).toEqual({
        sha256: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
      });
      // The kept worker was taken: none is left over.
      expect(adoptSpareWorker(DEFAULT_LIMITS.workerHeapMb)).toBeUndefined();
    } finally {
      await second.close();
    }
    const kept = adoptSpareWorker(DEFAULT_LIMITS.workerHeapMb);
    expect(kept).toBeDefined();
    await kept!.terminate();
  });

  it('ends a worker closed with a file in hand instead of keeping it', async () => {
    // 256 MiB to read and hash (sparse: made at once): the worker holds it far longer than the turns below.
    const file = path.join(dir, 'in-hand.bin');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 256 * 1024 * 1024);
    const prober = createWorkerProber(DEFAULT_LIMITS, { workers: 1, hash: ['sha256'] });
    const pending = prober.probe(entryFor(file)).catch((err: NodeJS.ErrnoException) => err.code);
    // The batch goes to the worker on the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    await prober.close();
    expect(await pending).toBe('ECLOSED');
    expect(adoptSpareWorker(DEFAULT_LIMITS.workerHeapMb)).toBeUndefined();
  });
});
