/**
 * The probe worker thread's entry (started by worker-prober.ts from the
 * compiled `dist/pipeline/probe-worker.js`).
 *
 * Protocol (structured clone; buffers transferred, never copied):
 *   in:  ProbeWorkerInit, then ProbeWorkerBatch messages; a worker kept for the next scan gets a new init
 *   out: ProbeWorkerResult per batch, in the order received;
 *        { type: 'identify-unavailable', message } once, when the detectors could not be loaded
 * `buffer` holds every file's probe blocks; `meta` has a fixed stride per
 * file — size, head start, head length, tail start, tail length, sample
 * count, then (offset in file, start, length) per sample — with size -1 for
 * a file that failed (its error in `errors[i]`). Flat typed arrays cost far
 * less to pass than one object per file.
 *
 * Supervision: the worker writes where it is into the shared `progress`
 * array (batch, file, stage, detector) and bumps a heartbeat per file, per
 * MiB hashed and per detector call; the main thread's watchdog terminates a
 * worker whose heartbeat stops for longer than the stage's deadline and
 * knows which file and detector to blame (worker-prober.ts).
 *
 * I/O: synchronous `openSync/fstatSync/readSync/closeSync` — for many small
 * files this is 5-10 times cheaper than one promise per read (see
 * docs/performance.md). Files are opened O_RDONLY | O_NONBLOCK | O_NOATIME
 * (falling back without O_NOATIME on EPERM), exactly as `sources/read-only.ts`.
 * With hashing on, the whole file is read once in 1 MiB chunks; every digest
 * and the probe blocks come from those same bytes.
 *
 * Archive members sent by location (plain members of a local ZIP) are read
 * where they lie: local header, then the data inflated as it streams past
 * (sources/zip-member.ts), the probe blocks copied out and the digests updated
 * in the same pass, never past the member's declared size. The members of one
 * archive in a batch share one descriptor, closed before the batch's reply.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { readStoredRanges, streamMember, type MemberLocation } from '../sources/zip-member.js';
import { endedEarly } from './hash.js';
import type { RemoteIdentification } from './identify.js';
import type { WorkerIdentify, WorkerIdentifyInit } from './identify-worker.js';
import { probePlan, type ProbeLimits, type ProbePlan } from './probe.js';
import {
  PROGRESS,
  STAGE,
  type ProbeWorkerBatch,
  type ProbeWorkerError,
  type ProbeWorkerInit,
  type ProbeWorkerPreload,
  type ProbeWorkerResult,
} from './probe-worker-protocol.js';

const { O_RDONLY, O_NONBLOCK } = fs.constants;
const O_NOATIME = fs.constants.O_NOATIME ?? 0;
const CHUNK = 1024 * 1024;

interface ReadResult {
  size: number;
  at: number;
  head: number;
  tail: number;
  samples: number[];
  sampleLengths: number[];
  hashes?: Record<string, string>;
  hashError?: { code: string; message: string };
}
type OneResult = ReadResult | { error: { code: string; message: string } };

let noatime = O_NOATIME !== 0;
let limits: ProbeLimits = { probeHeadBytes: 16384, probeTailBytes: 8192, probeSampleBytes: 4096, probeSampleCount: 3 };
let algorithms: string[] = [];
let chunk: Buffer | undefined;
let out = Buffer.allocUnsafe(4 * 1024 * 1024);
let used = 0;
let progress: Int32Array<ArrayBufferLike> = new Int32Array(PROGRESS.length);

const codeOf = (err: unknown): string => (err as { code?: string }).code ?? 'EIO';
const messageOf = (err: unknown): string => (err as Error)?.message ?? String(err);
const beat = (): void => void Atomics.add(progress, PROGRESS.beat, 1);

function openReadOnly(file: string | Buffer): number {
  if (noatime) {
    try {
      return fs.openSync(file, O_RDONLY | O_NONBLOCK | O_NOATIME);
    } catch (err) {
      if (codeOf(err) !== 'EPERM') throw err;
      noatime = false;
    }
  }
  return fs.openSync(file, O_RDONLY | O_NONBLOCK);
}

const planOf = (size: number): ProbePlan => probePlan(size, limits);

function reserve(n: number): number {
  if (used + n > out.length) {
    const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, used + n));
    out.copy(bigger, 0, 0, used);
    out = bigger;
  }
  const at = used;
  used += n;
  return at;
}

function readInto(fd: number, at: number, length: number, position: number): number {
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, out, at + got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** Probe blocks only: head, tail, samples. */
function probeBlocks(fd: number, size: number, p: ProbePlan): ReadResult {
  const at = reserve(p.head + p.tail + p.samples.length * limits.probeSampleBytes);
  const head = readInto(fd, at, p.head, 0);
  const tail = p.tail ? readInto(fd, at + p.head, p.tail, size - p.tail) : 0;
  const sampleLengths: number[] = [];
  let s = at + p.head + p.tail;
  for (const offset of p.samples) {
    sampleLengths.push(readInto(fd, s, limits.probeSampleBytes, offset));
    s += limits.probeSampleBytes;
  }
  return { size, at, head, tail, samples: p.samples, sampleLengths };
}

/**
 * One pass over bytes in order (a file read whole, a member as it inflates):
 * each chunk updates every digest and is copied where it falls in the probe
 * blocks (head, tail when planned, samples).
 */
function streamPass(size: number, p: ProbePlan, hash: boolean) {
  const hashers = hash ? algorithms.map((a) => crypto.createHash(a)) : [];
  const blocks: Array<[number, number]> = [[0, p.head]];
  if (p.tail) blocks.push([size - p.tail, p.tail]);
  for (const offset of p.samples) blocks.push([offset, limits.probeSampleBytes]);
  const at = reserve(blocks.reduce((n, b) => n + b[1], 0));
  const filled = blocks.map(() => 0);
  const dest: number[] = [];
  let d = at;
  for (const b of blocks) {
    dest.push(d);
    d += b[1];
  }
  return {
    /** Where the probe blocks lie in the bytes: [offset, length] each. */
    blocks: blocks as ReadonlyArray<readonly [number, number]>,
    take(bytes: Buffer, pos: number): void {
      for (const h of hashers) h.update(bytes);
      const end = pos + bytes.length;
      blocks.forEach(([start, len], i) => {
        const from = Math.max(start, pos);
        const to = Math.min(start + len, end);
        if (to > from) {
          bytes.copy(out, dest[i]! + (from - start), from - pos, to - pos);
          filled[i] = Math.max(filled[i]!, to - start);
        }
      });
    },
    result(): ReadResult {
      return {
        size,
        at,
        head: filled[0]!,
        tail: p.tail ? filled[1]! : 0,
        samples: p.samples,
        sampleLengths: filled.slice(p.tail ? 2 : 1),
      };
    },
    digests(): Record<string, string> {
      const hashes: Record<string, string> = {};
      hashers.forEach((h, i) => (hashes[algorithms[i]!] = h.digest('hex')));
      return hashes;
    },
  };
}

/** One pass over the whole file: every digest and the probe blocks from the same bytes. */
function hashAndProbe(fd: number, size: number, p: ProbePlan): ReadResult {
  chunk ??= Buffer.allocUnsafe(CHUNK);
  const pass = streamPass(size, p, true);
  let pos = 0;
  for (;;) {
    const n = fs.readSync(fd, chunk, 0, CHUNK, pos);
    if (n === 0) break;
    beat();
    pass.take(n === CHUNK ? chunk : chunk.subarray(0, n), pos);
    pos += n;
  }
  if (pos !== size) {
    // Truncated or extended between fstat and the end of the read: a digest of other bytes than the item's would mislead.
    throw Object.assign(
      new Error(`the file changed size while it was hashed (${pos} bytes read, ${size} expected); no digest recorded`),
      { code: 'ESIZECHANGED' },
    );
  }
  return { ...pass.result(), hashes: pass.digests() };
}

/** Archive files open for the batch in hand: the members of one archive share a descriptor. */
type Archives = Map<string, { fd: number; size: number }>;

function archiveOf(file: string | Uint8Array, archives: Archives): { fd: number; size: number } {
  const key = typeof file === 'string' ? `s${file}` : `b${Buffer.from(file).toString('hex')}`;
  let a = archives.get(key);
  if (!a) {
    const fd = openReadOnly(typeof file === 'string' ? file : Buffer.from(file));
    try {
      a = { fd, size: fs.fstatSync(fd).size };
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    archives.set(key, a);
  }
  return a;
}

function closeArchives(archives: Archives): void {
  for (const { fd } of archives.values()) {
    try {
      fs.closeSync(fd);
    } catch {
      // Closing a read-only descriptor cannot lose data.
    }
  }
  archives.clear();
}

/**
 * An archive member read where it lies (sources/zip-member.ts): inflated as it
 * streams past, the probe blocks copied out and every digest updated from the
 * same bytes, so nothing larger than the blocks and a chunk is held.
 */
async function readMember(loc: MemberLocation, hash: boolean, archives: Archives): Promise<OneResult> {
  const mark = used;
  try {
    const { fd, size: fileSize } = archiveOf(loc.file, archives);
    const size = loc.size;
    const digests = hash && algorithms.length > 0;
    const pass = streamPass(size, planOf(size), hash);
    // A stored member without digests: only the probe blocks are read, where they lie.
    if (!digests && loc.method === 'stored') {
      readStoredRanges(fd, fileSize, loc, pass.blocks, (bytes, pos) => pass.take(bytes, pos));
      return pass.result();
    }
    let sinceBeat = 0;
    const got = await streamMember(fd, fileSize, loc, (bytes, pos) => {
      pass.take(bytes, pos);
      sinceBeat += bytes.length;
      if (sinceBeat >= CHUNK) {
        beat();
        sinceBeat = 0;
      }
    });
    const result = pass.result();
    if (digests) {
      // Fewer bytes than declared: as hashEntry on the main thread, no digest of part of the item.
      if (got < size) {
        const { code, message } = endedEarly(got, size, true);
        result.hashError = { code, message };
      } else result.hashes = pass.digests();
    }
    return result;
  } catch (err) {
    used = mark;
    return { error: { code: codeOf(err), message: messageOf(err) } };
  }
}

const isLocation = (f: string | Uint8Array | MemberLocation): f is MemberLocation =>
  typeof f === 'object' && !(f instanceof Uint8Array);

function readOne(file: string | Uint8Array, hash: boolean): OneResult {
  let fd: number;
  try {
    fd = openReadOnly(typeof file === 'string' ? file : Buffer.from(file));
  } catch (err) {
    return { error: { code: codeOf(err), message: messageOf(err) } };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { error: { code: 'ENOTREG', message: 'no longer a regular file; not read' } };
    const p = planOf(st.size);
    if (!hash || algorithms.length === 0) return probeBlocks(fd, st.size, p);
    const mark = used;
    try {
      return hashAndProbe(fd, st.size, p);
    } catch (err) {
      used = mark;
      return { ...probeBlocks(fd, st.size, p), hashError: { code: codeOf(err), message: messageOf(err) } };
    }
  } catch (err) {
    return { error: { code: codeOf(err), message: messageOf(err) } };
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // Closing a read-only descriptor cannot lose data; the read's outcome stands.
    }
  }
}

// Detectors on this thread (identify-worker.ts), when the main thread asked for them.
let identify: Promise<WorkerIdentify | undefined> | undefined;

async function identifyBatch(
  m: ProbeWorkerBatch,
  bytes: Uint8Array,
  meta: Float64Array,
  stride: number,
): Promise<Array<RemoteIdentification | undefined> | undefined> {
  const run = m.names && identify ? await identify : undefined;
  if (!run || !m.names) return undefined;
  const empty = new Uint8Array(0);
  const ident: Array<RemoteIdentification | undefined> = [];
  for (let i = 0; i < m.names.length; i++) {
    const o = i * stride;
    const size = meta[o]!;
    if (size < 0) continue;
    Atomics.store(progress, PROGRESS.file, i);
    Atomics.store(progress, PROGRESS.stage, STAGE.detect);
    const head = bytes.subarray(meta[o + 1], meta[o + 1]! + meta[o + 2]!);
    const tail = meta[o + 4]! > 0 ? bytes.subarray(meta[o + 3], meta[o + 3]! + meta[o + 4]!) : empty;
    const samples = [];
    for (let k = 0; k < meta[o + 5]!; k++) {
      const at = meta[o + 7 + 3 * k]!;
      samples.push({ offset: meta[o + 6 + 3 * k]!, bytes: bytes.subarray(at, at + meta[o + 8 + 3 * k]!) });
    }
    try {
      ident[i] = await run(m.names[i]!, size, head, tail, samples, m.skip?.[i]);
    } catch {
      // Only means the main thread runs the detectors on this file itself.
    }
  }
  return ident;
}

async function batch(m: ProbeWorkerBatch): Promise<void> {
  Atomics.store(progress, PROGRESS.batch, m.id);
  if (m.given) return identifyGiven(m, m.given.buffer, m.given.meta);
  used = 0;
  const stride = 6 + 3 * limits.probeSampleCount;
  const meta = new Float64Array(m.files.length * stride);
  const errors: ProbeWorkerError[] = [];
  const hashes: ProbeWorkerResult['hashes'] = m.hash ? [] : undefined;
  const hashErrors: ProbeWorkerError[] | undefined = m.hash ? [] : undefined;
  // Members of one archive share a descriptor while the batch is read; it is closed before the reply.
  const archives: Archives = new Map();
  try {
    for (let i = 0; i < m.files.length; i++) {
      Atomics.store(progress, PROGRESS.file, i);
      Atomics.store(progress, PROGRESS.stage, STAGE.read);
      beat();
      const f = m.files[i]!;
      const r = isLocation(f) ? await readMember(f, m.hash, archives) : readOne(f, m.hash);
      const o = i * stride;
      if ('error' in r) {
        meta[o] = -1;
        errors[i] = r.error;
        continue;
      }
      meta[o] = r.size;
      meta[o + 1] = r.at;
      meta[o + 2] = r.head;
      const p = planOf(r.size);
      meta[o + 3] = r.at + p.head;
      meta[o + 4] = r.tail;
      meta[o + 5] = r.samples.length;
      let s = r.at + p.head + p.tail;
      for (let k = 0; k < r.samples.length; k++) {
        meta[o + 6 + 3 * k] = r.samples[k]!;
        meta[o + 7 + 3 * k] = s;
        meta[o + 8 + 3 * k] = r.sampleLengths[k]!;
        s += limits.probeSampleBytes;
      }
      if (r.hashes) hashes![i] = r.hashes;
      if (r.hashError) hashErrors![i] = r.hashError;
    }
  } finally {
    closeArchives(archives);
  }
  // A fresh buffer per batch, transferred (not copied) to the main thread.
  const buffer = new ArrayBuffer(used);
  out.copy(Buffer.from(buffer), 0, 0, used);
  const ident = await identifyBatch(m, new Uint8Array(buffer), meta, stride);
  Atomics.store(progress, PROGRESS.stage, STAGE.idle);
  reply({ id: m.id, buffer, meta, errors, hashes, hashErrors, ident });
}

/** Sends a batch's results, its buffers transferred (not copied). */
function reply(result: ProbeWorkerResult): void {
  const transfer = [result.buffer, result.meta.buffer];
  try {
    parentPort!.postMessage(result, transfer);
  } catch {
    // A detection that cannot be cloned: the main thread identifies this batch itself.
    parentPort!.postMessage({ ...result, ident: undefined }, transfer);
  }
}

/** Probes read elsewhere: detectors only, and the bytes go back with the answers (they were transferred here). */
async function identifyGiven(m: ProbeWorkerBatch, buffer: ArrayBuffer, meta: Float64Array<ArrayBuffer>): Promise<void> {
  const ident = await identifyBatch(m, new Uint8Array(buffer), meta, 6 + 3 * limits.probeSampleCount);
  Atomics.store(progress, PROGRESS.stage, STAGE.idle);
  reply({ id: m.id, buffer, meta, errors: [], ident });
}

// Batches are handled one at a time (identification is async, and every batch reuses `out`); probes read
// elsewhere go first: an archive member's item waits on its answer, while files are read well ahead.
const waiting = { given: [] as ProbeWorkerBatch[], files: [] as ProbeWorkerBatch[] };
let draining = false;
parentPort!.on('message', (m: ProbeWorkerPreload | ProbeWorkerInit | ProbeWorkerBatch) => {
  if ('type' in m && m.type === 'preload') {
    // Warm the module cache only: a module that fails fails again, with its error, when init imports it.
    for (const url of ['./identify-worker.js', ...m.modules]) void import(url).catch(() => undefined);
    return;
  }
  if ('type' in m) {
    limits = m.plan;
    algorithms = [...m.hash];
    progress = new Int32Array(m.progress);
    // A worker kept from an earlier scan (worker-prestart.ts) is told anew: that scan's detectors are not this one's.
    identify = m.identify ? loadDetectors(m.identify) : undefined;
    return;
  }
  (m.given ? waiting.given : waiting.files).push(m);
  if (!draining) void drain();
});

async function drain(): Promise<void> {
  draining = true;
  for (
    let next = waiting.given.shift() ?? waiting.files.shift();
    next;
    next = waiting.given.shift() ?? waiting.files.shift()
  ) {
    await batch(next);
    // Let messages that arrived meanwhile in, so a member's probe can overtake the files queued.
    await new Promise((resolve) => setImmediate(resolve));
  }
  draining = false;
}

async function loadDetectors(init: WorkerIdentifyInit): Promise<WorkerIdentify | undefined> {
  const slotOf = new Map(init.ids.map((id, i) => [id, i + 1]));
  try {
    // Loaded only when asked: a worker that only reads never pays for the detectors' modules.
    const { createWorkerIdentify } = await import('./identify-worker.js');
    return await createWorkerIdentify(init, {
      // The watchdog blames the detector whose index is here when the heartbeat stops.
      onDetector: (id) => {
        Atomics.store(progress, PROGRESS.detector, slotOf.get(id) ?? 0);
        beat();
      },
    });
  } catch (err) {
    parentPort!.postMessage({ type: 'identify-unavailable', message: messageOf(err) });
    return undefined;
  }
}
