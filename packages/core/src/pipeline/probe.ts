/**
 * Probe stage: read the head, the tail and a few sampled blocks of an entry,
 * once, and hand the same bytes to every detector. Swappable: the pipeline
 * only sees the `Prober` interface, so a worker-pool prober can replace the
 * default without touching other stages.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ScanLimits } from '../limits.js';
import type { Hashes } from '../model/evidence-item.js';
import type { Probe } from '../plugin/types.js';
import type { RemoteIdentification } from './identify.js';
import { openReadOnly } from '../sources/read-only.js';
import type { ByteReader, SourceEntry } from '../sources/source.js';

export interface Prober {
  probe(entry: SourceEntry): Promise<Probe>;
  /** Digests computed while probing (the worker prober hashes in the same read), or the error that stopped them. */
  takeHashes?(probe: Probe): Hashes | Error | undefined;
  /** What detectors on the prober's threads already said about the probe (worker-prober.ts). */
  takeIdentification?(probe: Probe): RemoteIdentification | undefined;
  /** Ids of the detectors that run on the prober's threads; the identifier skips them when `takeIdentification` answers. */
  readonly workerDetectorIds?: readonly string[];
  close(): Promise<void>;
}

/** The limits that say which blocks of a file the probe holds. */
export type ProbeLimits = Pick<
  ScanLimits,
  'probeHeadBytes' | 'probeTailBytes' | 'probeSampleBytes' | 'probeSampleCount'
>;

/** Where each probe block lies in a file: head and tail lengths, sample offsets. */
export interface ProbePlan {
  head: number;
  tail: number;
  samples: number[];
}

/**
 * Where each probe block lies in a file of `size` bytes. The blocks never overlap: a byte read twice would be
 * counted twice by the statistics, and duplicated bytes make uniformly random data fail the chi-square test
 * (a 26 KiB random file read as "compressed", 32 KiB ones as a volume header; test beside this).
 */
export function probePlan(size: number, limits: ProbeLimits): ProbePlan {
  const head = Math.min(size, limits.probeHeadBytes);
  if (size <= limits.probeHeadBytes) return { head, tail: 0, samples: [] };
  const tail = Math.min(limits.probeTailBytes, size - head);
  const middleStart = head;
  const middleEnd = size - tail;
  const samples: number[] = [];
  const room = middleEnd - middleStart;
  const block = limits.probeSampleBytes;
  if (room >= block * 2) {
    const count = Math.min(limits.probeSampleCount, Math.floor(room / block));
    // Spread evenly; where the middle is too short for gaps of a block, packed with equal gaps between.
    const spread = room >= (count + 1) * block;
    const gap = Math.floor((room - count * block) / (count + 1));
    for (let i = 1; i <= count; i++)
      samples.push(
        spread ? middleStart + Math.floor((room * i) / (count + 1)) : middleStart + gap * i + block * (i - 1),
      );
  }
  return { head, tail, samples };
}

export function logicalPathOf(entry: SourceEntry): string {
  return entry.logicalPath ?? entry.path;
}

export function makeProbe(
  entry: SourceEntry,
  size: number,
  head: Uint8Array,
  tail: Uint8Array,
  samples: Probe['samples'],
): Probe {
  const logical = logicalPathOf(entry);
  const name = path.posix.basename(logical.split('!/').pop() ?? logical);
  const dot = name.lastIndexOf('.');
  return {
    path: entry.path,
    logicalPath: logical,
    name,
    extension: dot > 0 ? name.slice(dot + 1).toLowerCase() : '',
    size,
    head,
    tail,
    samples,
    complete: tail.length === 0 && samples.length === 0 && head.length === size,
  };
}

/** Reads a probe through a generic reader (archive members and other sources). */
export async function probeWithReader(entry: SourceEntry, reader: ByteReader, limits: ScanLimits): Promise<Probe> {
  const size = reader.size;
  const plan = probePlan(size, limits);
  const head = await reader.read(0, plan.head);
  const tail = plan.tail ? await reader.read(size - plan.tail, plan.tail) : new Uint8Array(0);
  const samples = [];
  for (const offset of plan.samples)
    samples.push({ offset, bytes: await reader.read(offset, limits.probeSampleBytes) });
  return makeProbe(entry, size, head, tail, samples);
}

/**
 * The default prober. Local files are read with synchronous positional reads:
 * measured on this kind of machine, sync reads of small files are 5-10 times
 * faster than one promise per read (docs/architecture.md, "I/O path").
 */
export function createProber(limits: ScanLimits): Prober {
  return {
    async probe(entry) {
      if (entry.localPath !== undefined) return probeLocal(entry, entry.localPath, limits);
      if (!entry.open) throw Object.assign(new Error('entry has no readable content'), { code: 'ENOCONTENT' });
      const reader = await entry.open();
      try {
        return await probeWithReader(entry, reader, limits);
      } finally {
        await reader.close();
      }
    },
    async close() {},
  };
}

function probeLocal(entry: SourceEntry, file: string | Buffer, limits: ScanLimits): Probe {
  const fd = openReadOnly(file);
  try {
    const size = fs.fstatSync(fd).size;
    const plan = probePlan(size, limits);
    const readAt = (position: number, length: number): Uint8Array => {
      const buf = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const n = fs.readSync(fd, buf, got, length - got, position + got);
        if (n === 0) break; // truncated while we read: keep what is there
        got += n;
      }
      return got < length ? buf.subarray(0, got) : buf;
    };
    const head = readAt(0, plan.head);
    const tail = plan.tail ? readAt(size - plan.tail, plan.tail) : new Uint8Array(0);
    const samples = plan.samples.map((offset) => ({ offset, bytes: readAt(offset, limits.probeSampleBytes) }));
    return makeProbe(entry, size, head, tail, samples);
  } finally {
    fs.closeSync(fd);
  }
}
