/**
 * Members of a local ZIP are read, inflated and hashed on the probe workers
 * (entry.location), and give exactly what the main thread gives: the same
 * probe blocks, the same digests, the same per-item errors, and the same
 * manifest items from a scan. Fixtures: packages/core/fixtures/zip-member
 * (generate.sh: Info-ZIP zip and layouts written from the APPNOTE).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../limits.js';
import type { EvidenceItem } from '../model/evidence-item.js';
import { defineDetector } from '../plugin/define.js';
import type { Probe } from '../plugin/types.js';
import { FolderSource } from '../sources/folder.js';
import { zipContainer } from '../sources/nested.js';
import type { SourceEntry } from '../sources/source.js';
import { ZipSource } from '../sources/zip.js';
import { hashEntry } from './hash.js';
import { createProber } from './probe.js';
import { scan } from './scan.js';
import { createWorkerProber } from './worker-prober.js';

const FIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/zip-member');
const zips = ['tree.zip', 'local-extra.zip', 'bad-local.zip', 'bomb.zip', 'damaged.zip', 'truncated.zip'];
const hash = ['md5', 'sha256'] as const;

const view = (p: Probe) => ({
  size: p.size,
  complete: p.complete,
  head: Buffer.from(p.head).toString('hex'),
  tail: Buffer.from(p.tail).toString('hex'),
  samples: p.samples.map((s) => `${s.offset}:${Buffer.from(s.bytes).toString('hex')}`),
});
const failure = (err: unknown) => `${(err as { code?: string }).code}: ${(err as Error).message}`;

/** What the main thread makes of a member: its probe (or the error), then its digests (or the error). */
async function onMainThread(entry: SourceEntry) {
  try {
    const probe = view(await createProber(DEFAULT_LIMITS).probe(entry));
    let hashes: unknown;
    try {
      hashes = await hashEntry(entry, hash);
    } catch (err) {
      hashes = failure(err);
    }
    return { probe, hashes };
  } catch (err) {
    return { error: failure(err) };
  }
}

describe('the worker prober on ZIP members', () => {
  it('reads every member where it lies and gives the main thread’s probe, digests and errors', async () => {
    const prober = createWorkerProber(DEFAULT_LIMITS, { hash, workers: 2 });
    let onWorkers = 0;
    let failed = 0;
    try {
      for (const zip of zips) {
        const src = await ZipSource.fromFile(path.join(FIX, zip));
        try {
          const entries: SourceEntry[] = [];
          for await (const e of src.entries()) if (e.location) entries.push(e);
          // All at once, as the scan sends them: batches of members, several per archive descriptor.
          const worker = await Promise.all(
            entries.map((e) =>
              prober.probe(e).then(
                (p) => {
                  const h = prober.takeHashes(p);
                  return { probe: view(p), hashes: h instanceof Error ? failure(h) : h };
                },
                (err) => ({ error: failure(err) }),
              ),
            ),
          );
          for (const [i, e] of entries.entries()) {
            const main = await onMainThread(e);
            expect(worker[i], `${zip} ${e.path}`).toEqual(main);
            if ('error' in main) failed++;
            // Digests computed on the worker prove it read the member (the main-thread fallback hashes nothing).
            else onWorkers++;
          }
        } finally {
          await src.close();
        }
      }
    } finally {
      await prober.close();
    }
    expect(onWorkers).toBeGreaterThanOrEqual(12);
    // The lying local header and the damaged member; the member the archive's end cuts is read up to the cut.
    expect(failed).toBe(2);
  });

  it('digests the bytes of the member itself (checked against the file zip was given)', async () => {
    const prober = createWorkerProber(DEFAULT_LIMITS, { hash: ['sha256'], workers: 1 });
    const src = await ZipSource.fromFile(path.join(FIX, 'tree.zip'));
    try {
      for await (const e of src.entries()) {
        if (e.path !== 'notes/hello.txt') continue;
        const p = await prober.probe(e);
        const want = crypto.createHash('sha256').update('Meeting at noon.\nBring the charger.\n').digest('hex');
        expect(prober.takeHashes(p)).toEqual({ sha256: want });
        expect(Buffer.from(p.head).toString()).toBe('Meeting at noon.\nBring the charger.\n');
      }
    } finally {
      await src.close();
      await prober.close();
    }
  });
});

const zipMagic = defineDetector({
  meta: {
    id: 'test-zip',
    version: '1.0.0',
    title: 'ZIP (test)',
    formats: [{ id: 'zip', name: 'ZIP', status: 'analysable', how: 'signature' }],
  },
  signatures: [{ offset: 0, ascii: 'PK\x03\x04' }],
  detect: () => ({
    format: { id: 'zip', name: 'ZIP' },
    status: 'analysable',
    confidence: 0.9,
    reasons: [{ code: 'ZIP_MAGIC', message: 'PK 03 04 at 0' }],
  }),
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-wpz-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function items(source: () => Promise<FolderSource | ZipSource>, onMain: boolean): Promise<EvidenceItem[]> {
  const run = scan(await source(), {
    plugins: [zipMagic],
    containers: [zipContainer],
    hash: ['md5', 'sha1'],
    ...(onMain ? { prober: createProber(DEFAULT_LIMITS) } : {}),
  });
  const out: EvidenceItem[] = [];
  for await (const item of run) out.push({ ...item, times: {} });
  return out;
}

describe('a scan with members read on the workers', () => {
  it('writes the same items as one that reads them on the main thread: a ZIP source and ZIPs in a folder', async () => {
    fs.cpSync(FIX, tmp, { recursive: true });
    const sources: Array<() => Promise<FolderSource | ZipSource>> = [
      () => ZipSource.fromFile(path.join(FIX, 'tree.zip')),
      () => ZipSource.fromFile(path.join(FIX, 'bomb.zip')),
      // Each ZIP in the folder is nested in a local file: its members are located too.
      async () => new FolderSource(tmp),
    ];
    for (const source of sources) {
      const workers = await items(source, false);
      const main = await items(source, true);
      expect(workers.length).toBeGreaterThan(3);
      expect(workers).toEqual(main);
    }
  });
});
