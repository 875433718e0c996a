/**
 * The code of a probe worker, as a CommonJS string run with
 * `new Worker(code, { eval: true })`. Kept as a string so the same worker
 * starts from compiled `dist/` and from sources under vitest/tsx without
 * any path resolution or loader flags.
 *
 * Protocol (structured clone; buffers transferred, never copied):
 *   in:  { type: 'init', plan: { head, tail, sampleBytes, sampleCount }, hash: string[] }
 *        (+ identify: { url, init } to run detectors here: identify-worker.ts)
 *   in:  { id, files: Array<string | Uint8Array>, hash: boolean, names?: Array<{ path, logicalPath }> }
 *   out: { id, buffer: ArrayBuffer, meta: Float64Array, errors, hashes?, hashErrors?, ident? }
 *   out: { type: 'identify-unavailable', message } once, when the detectors could not be loaded
 * `buffer` holds every file's probe blocks; `meta` has a fixed stride per
 * file — size, head start, head length, tail start, tail length, sample
 * count, then (offset in file, start, length) per sample — with size -1 for
 * a file that failed (its error in `errors[i]`). `hashes[i]` / `hashErrors[i]`
 * carry digests when hashing. Flat typed arrays cost far less to pass than
 * one object per file (structured clone).
 *
 * I/O: synchronous `openSync/fstatSync/readSync/closeSync` — for many small
 * files this is 5-10 times cheaper than one promise per read (see
 * docs/performance.md). Files are opened O_RDONLY | O_NONBLOCK | O_NOATIME
 * (falling back without O_NOATIME on EPERM), exactly as `sources/read-only.ts`.
 * With hashing on, the whole file is read once in 1 MiB chunks; every digest
 * and the probe blocks come from those same bytes.
 */
export const PROBE_WORKER_SOURCE = String.raw`
'use strict';
const fs = require('node:fs');
const crypto = require('node:crypto');
const { parentPort } = require('node:worker_threads');
const { O_RDONLY, O_NONBLOCK } = fs.constants;
const O_NOATIME = fs.constants.O_NOATIME || 0;
let noatime = O_NOATIME !== 0;
let plan = { head: 16384, tail: 8192, sampleBytes: 4096, sampleCount: 3 };
let algorithms = [];
const CHUNK = 1024 * 1024;
let chunk = null;
let out = Buffer.allocUnsafe(4 * 1024 * 1024);

function openRO(file) {
  let fd;
  if (noatime) {
    try { fd = fs.openSync(file, O_RDONLY | O_NONBLOCK | O_NOATIME); }
    catch (err) {
      if (err.code !== 'EPERM') throw err;
      noatime = false;
      fd = fs.openSync(file, O_RDONLY | O_NONBLOCK);
    }
  } else fd = fs.openSync(file, O_RDONLY | O_NONBLOCK);
  return fd;
}

// Must match probePlan() in probe.ts (a test checks they agree).
function planOf(size) {
  const head = Math.min(size, plan.head);
  if (size <= plan.head) return { head, tail: 0, samples: [] };
  const tail = Math.min(plan.tail, size - head);
  const middleStart = head;
  const middleEnd = size - tail;
  const samples = [];
  const room = middleEnd - middleStart;
  if (room >= plan.sampleBytes * 2) {
    for (let i = 1; i <= plan.sampleCount; i++) {
      const at = middleStart + Math.floor((room * i) / (plan.sampleCount + 1));
      samples.push(Math.min(at, middleEnd - plan.sampleBytes));
    }
  }
  return { head, tail, samples };
}

let used = 0;
function reserve(n) {
  if (used + n > out.length) {
    const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, used + n));
    out.copy(bigger, 0, 0, used);
    out = bigger;
  }
  const at = used;
  used += n;
  return at;
}

function readInto(fd, at, length, position) {
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, out, at + got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

// Probe blocks only: head, tail, samples.
function probeBlocks(fd, size, p, r) {
  r.at = reserve(p.head + p.tail + p.samples.length * plan.sampleBytes);
  r.head = readInto(fd, r.at, p.head, 0);
  r.tail = p.tail ? readInto(fd, r.at + p.head, p.tail, size - p.tail) : 0;
  r.samples = p.samples;
  r.sampleLengths = [];
  let s = r.at + p.head + p.tail;
  for (const offset of p.samples) {
    r.sampleLengths.push(readInto(fd, s, plan.sampleBytes, offset));
    s += plan.sampleBytes;
  }
}

// One pass over the whole file: every digest and the probe blocks from the same bytes.
function hashAndProbe(fd, size, p, r) {
  if (!chunk) chunk = Buffer.allocUnsafe(CHUNK);
  const hashers = algorithms.map((a) => crypto.createHash(a));
  const blocks = [[0, p.head]];
  if (p.tail) blocks.push([size - p.tail, p.tail]);
  for (const offset of p.samples) blocks.push([offset, plan.sampleBytes]);
  const total = blocks.reduce((n, b) => n + b[1], 0);
  r.at = reserve(total);
  const filled = blocks.map(() => 0);
  const dest = [];
  let d = r.at;
  for (const b of blocks) { dest.push(d); d += b[1]; }
  let pos = 0;
  for (;;) {
    const n = fs.readSync(fd, chunk, 0, CHUNK, pos);
    if (n === 0) break;
    const view = n === CHUNK ? chunk : chunk.subarray(0, n);
    for (const h of hashers) h.update(view);
    const end = pos + n;
    for (let i = 0; i < blocks.length; i++) {
      const [start, len] = blocks[i];
      const from = Math.max(start, pos), to = Math.min(start + len, end);
      if (to > from) {
        chunk.copy(out, dest[i] + (from - start), from - pos, to - pos);
        filled[i] = Math.max(filled[i], to - start);
      }
    }
    pos = end;
  }
  if (pos !== size) {
    // Truncated or extended between fstat and the end of the read: a digest of other bytes than the item's would mislead.
    const err = new Error('the file changed size while it was hashed (' + pos + ' bytes read, ' + size + ' expected); no digest recorded');
    err.code = 'ESIZECHANGED';
    throw err;
  }
  r.head = filled[0];
  r.tail = p.tail ? filled[1] : 0;
  r.samples = p.samples;
  r.sampleLengths = filled.slice(p.tail ? 2 : 1);
  r.hashes = {};
  hashers.forEach((h, i) => { r.hashes[algorithms[i]] = h.digest('hex'); });
  r.hashedBytes = pos;
}

function one(file, hash) {
  let fd;
  try { fd = openRO(typeof file === 'string' ? file : Buffer.from(file)); }
  catch (err) { return { error: { code: err.code || 'EIO', message: err.message } }; }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { error: { code: 'ENOTREG', message: 'no longer a regular file; not read' } };
    const size = st.size;
    const p = planOf(size);
    const r = { size };
    const mark = used;
    if (hash && algorithms.length > 0) {
      try { hashAndProbe(fd, size, p, r); }
      catch (err) {
        used = mark;
        r.hashError = { code: err.code || 'EIO', message: err.message };
        delete r.hashes;
        probeBlocks(fd, size, p, r);
      }
    } else probeBlocks(fd, size, p, r);
    return r;
  } catch (err) {
    return { error: { code: err.code || 'EIO', message: err.message } };
  } finally {
    try { fs.closeSync(fd); } catch {}
  }
}

// Detectors on this thread (identify-worker.ts), when the main thread asked for them.
let identify = null;

// Batches are handled one at a time: identification is async, and every batch reuses 'out'.
let queue = Promise.resolve();
parentPort.on('message', (m) => {
  if (m.type === 'init') {
    plan = m.plan;
    algorithms = m.hash;
    if (m.identify) {
      identify = import(m.identify.url)
        .then((mod) => mod.createWorkerIdentify(m.identify.init))
        .catch((err) => { parentPort.postMessage({ type: 'identify-unavailable', message: (err && err.message) || String(err) }); return null; });
    }
    return;
  }
  queue = queue.then(() => batch(m));
});

async function batch(m) {
  used = 0;
  const stride = 6 + 3 * plan.sampleCount;
  const meta = new Float64Array(m.files.length * stride);
  const errors = [];
  const hashes = m.hash ? [] : undefined;
  const hashErrors = m.hash ? [] : undefined;
  for (let i = 0; i < m.files.length; i++) {
    const r = one(m.files[i], m.hash);
    const o = i * stride;
    if (r.error) {
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
      meta[o + 6 + 3 * k] = r.samples[k];
      meta[o + 7 + 3 * k] = s;
      meta[o + 8 + 3 * k] = r.sampleLengths[k];
      s += plan.sampleBytes;
    }
    if (r.hashes) hashes[i] = r.hashes;
    if (r.hashError) hashErrors[i] = r.hashError;
  }
  // A fresh buffer per batch, transferred (not copied) to the main thread.
  const buffer = new ArrayBuffer(used);
  out.copy(Buffer.from(buffer), 0, 0, used);
  const ident = m.names && identify ? await identifyBatch(await identify, m.names, buffer, meta, stride) : undefined;
  try {
    parentPort.postMessage({ id: m.id, buffer, meta, errors, hashes, hashErrors, ident }, [buffer, meta.buffer]);
  } catch {
    // A detection that cannot be cloned: the main thread identifies this batch itself.
    parentPort.postMessage({ id: m.id, buffer, meta, errors, hashes, hashErrors }, [buffer, meta.buffer]);
  }
}

async function identifyBatch(run, files, buffer, meta, stride) {
  if (!run) return undefined;
  const bytes = new Uint8Array(buffer);
  const empty = new Uint8Array(0);
  const ident = [];
  for (let i = 0; i < files.length; i++) {
    const o = i * stride;
    const size = meta[o];
    if (size < 0) continue;
    const head = bytes.subarray(meta[o + 1], meta[o + 1] + meta[o + 2]);
    const tail = meta[o + 4] > 0 ? bytes.subarray(meta[o + 3], meta[o + 3] + meta[o + 4]) : empty;
    const samples = [];
    for (let k = 0; k < meta[o + 5]; k++) {
      const at = meta[o + 7 + 3 * k];
      samples.push({ offset: meta[o + 6 + 3 * k], bytes: bytes.subarray(at, at + meta[o + 8 + 3 * k]) });
    }
    // A failure here only means the main thread runs the detectors on this file itself.
    try { ident[i] = await run(files[i], size, head, tail, samples); } catch {}
  }
  return ident;
}
`;
