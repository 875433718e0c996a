import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../limits.js';
import { openLocalReader } from '../sources/folder.js';
import type { SourceEntry } from '../sources/source.js';
import { createProber } from './probe.js';
import { createWorkerProber } from './worker-prober.js';
import { adoptPrestartedWorker, prestartProbeWorker } from './worker-prestart.js';

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

describe('prestarted probe worker', () => {
  it('is adopted once, by a prober with the default heap cap', async () => {
    prestartProbeWorker();
    const worker = adoptPrestartedWorker(DEFAULT_LIMITS.workerHeapMb);
    expect(worker).toBeDefined();
    expect(adoptPrestartedWorker(DEFAULT_LIMITS.workerHeapMb)).toBeUndefined();
    await worker!.terminate();
  });

  it('is ended, not adopted, when the scan asks for another heap cap', () => {
    prestartProbeWorker();
    expect(adoptPrestartedWorker(DEFAULT_LIMITS.workerHeapMb * 2)).toBeUndefined();
    // Nothing is left for the next prober: it starts its own.
    expect(adoptPrestartedWorker(DEFAULT_LIMITS.workerHeapMb)).toBeUndefined();
  });

  it('reads and hashes as a fresh worker, even when a module it was told to preload does not exist', async () => {
    const file = path.join(dir, 'data.bin');
    fs.writeFileSync(file, crypto.randomBytes(100_000));
    prestartProbeWorker([path.join(dir, 'no-such-detectors.js')]);
    const prober = createWorkerProber(DEFAULT_LIMITS, { workers: 1, hash: ['sha256'] });
    try {
      const probe = await prober.probe(entryFor(file));
      const expected = await createProber(DEFAULT_LIMITS).probe(entryFor(file));
      expect(Buffer.from(probe.head)).toEqual(Buffer.from(expected.head));
      expect(Buffer.from(probe.tail)).toEqual(Buffer.from(expected.tail));
      expect(prober.takeHashes(probe)).toEqual({
        sha256: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
      });
      // The prober took the prestarted worker rather than starting a second one.
      expect(adoptPrestartedWorker(DEFAULT_LIMITS.workerHeapMb)).toBeUndefined();
    } finally {
      await prober.close();
    }
  });
});
