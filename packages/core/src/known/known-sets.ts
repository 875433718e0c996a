/**
 * Known-file hash sets: load NSRL RDS (v3, SQLite) databases and plain hash
 * lists, and match item digests against them.
 *
 * Set syntax (CLI `--known`, repeatable): `good:<file>` or `bad:<file>`,
 * optionally named: `bad=<name>:<file>` / `good=<name>:<file>`. A bare
 * `<file>` is accepted only for an NSRL database (NSRL lists known software,
 * so it defaults to known-good); a plain list must say good or bad, because
 * guessing wrong would hide evidence or raise false alarms.
 *
 * Formats:
 * - NSRL RDSv3 SQLite (https://www.nist.gov/itl/ssd/software-quality-group/national-software-reference-library-nsrl/nsrl-download/current-rds):
 *   the `FILE` view (or the `METADATA` table under it) with `sha256`, `sha1`
 *   and `md5` columns in hex. The strongest digest column present is used.
 *   The distinct digests are extracted once, sorted by SQLite, into a binary
 *   file in the cache folder (never beside the evidence or the database),
 *   keyed by the database's path, size and mtime; later scans reuse it.
 * - Plain lists: one digest per line, hex, optionally followed by whitespace
 *   and a name (`md5sum`/`sha256sum` output); `#` comments and blank lines are
 *   skipped; MD5, SHA-1 and SHA-256 (by length) may be mixed. Lines that are
 *   not a digest are counted and reported, never fatal.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { betterSqlite3 } from '../lazy-require.js';
import type { Hashes, Known } from '../model/evidence-item.js';
import type { HashAlgorithm } from '../pipeline/hash.js';
import { fanoutOfFile, FileDigestSet, MemoryDigestSet, type DigestSet } from './digest-set.js';

export type KnownStatus = Known['status'];

export interface KnownSpec {
  status: KnownStatus;
  file: string;
  /** Name recorded on matching items (default: the file name without extension). */
  name: string;
}

/** One loaded set: the digests it holds, per algorithm. */
export interface KnownSet extends KnownSpec {
  format: 'nsrl-rds-sqlite' | 'hash-list';
  digests: Partial<Record<HashAlgorithm, DigestSet>>;
  /** Distinct digests over all algorithms. */
  entries: number;
  /** Lines of a plain list that held no digest. */
  skippedLines: number;
}

export class KnownSetError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'KnownSetError';
  }
}

const WIDTH: Record<HashAlgorithm, number> = { md5: 16, sha1: 20, sha256: 32 };
const BY_HEX_LENGTH = new Map<number, HashAlgorithm>([
  [32, 'md5'],
  [40, 'sha1'],
  [64, 'sha256'],
]);
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Parses `good:<file>`, `bad=<name>:<file>` or a bare `<file>` (status decided when loading). */
export function parseKnownSpec(spec: string): { status?: KnownStatus; file: string; name?: string } {
  const m = /^(good|bad)(?:=([^:]+))?:(.+)$/.exec(spec);
  if (!m) return { file: spec };
  const status: KnownStatus = m[1] === 'good' ? 'known-good' : 'known-bad';
  return { status, file: m[3]!, ...(m[2] ? { name: m[2] } : {}) };
}

/** The folder for cached NSRL extracts: `$EVTRIAGE_CACHE_DIR`, else `$XDG_CACHE_HOME/evtriage`, else `~/.cache/evtriage`. */
export function defaultCacheDir(): string {
  if (process.env['EVTRIAGE_CACHE_DIR']) return process.env['EVTRIAGE_CACHE_DIR'];
  const base = process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(base, 'evtriage');
}

function isSqlite(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, 0);
    return head.equals(SQLITE_MAGIC);
  } finally {
    fs.closeSync(fd);
  }
}

/** Loads one set from a `--known` argument. */
export function loadKnownSet(spec: string, options: { cacheDir?: string } = {}): KnownSet {
  const parsed = parseKnownSpec(spec);
  const file = parsed.file;
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    throw new KnownSetError('KNOWN_SET_UNREADABLE', `known-file set ${file} cannot be read: ${(err as Error).message}`);
  }
  if (!st.isFile()) throw new KnownSetError('KNOWN_SET_UNREADABLE', `known-file set ${file} is not a file.`);
  const sqlite = isSqlite(file);
  const status = parsed.status ?? (sqlite ? 'known-good' : undefined);
  if (!status)
    throw new KnownSetError(
      'KNOWN_SET_STATUS_MISSING',
      `say whether ${file} lists known-good or known-bad files: --known good:${file} or --known bad:${file}.`,
    );
  const name = parsed.name ?? path.basename(file).replace(/\.[^.]*$/, '');
  const base = { status, file, name };
  return sqlite ? loadNsrl(base, st, options.cacheDir ?? defaultCacheDir()) : loadList(base);
}

function loadList(spec: KnownSpec): KnownSet {
  const text = fs.readFileSync(spec.file, 'latin1');
  const packed: Record<HashAlgorithm, { buf: Buffer; n: number }> = {
    md5: { buf: Buffer.allocUnsafe(0), n: 0 },
    sha1: { buf: Buffer.allocUnsafe(0), n: 0 },
    sha256: { buf: Buffer.allocUnsafe(0), n: 0 },
  };
  let skipped = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    // `hash  name`, `hash *name` (binary-mode sums) or a bare hash.
    const token = line.split(/[\s,;]+/, 1)[0]!;
    const algo = BY_HEX_LENGTH.get(token.length);
    if (!algo || !/^[0-9a-fA-F]+$/.test(token)) {
      skipped++;
      continue;
    }
    const p = packed[algo];
    const w = WIDTH[algo];
    if ((p.n + 1) * w > p.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(1024 * w, p.buf.length * 2));
      p.buf.copy(bigger, 0, 0, p.n * w);
      p.buf = bigger;
    }
    p.buf.write(token, p.n * w, w, 'hex');
    p.n++;
  }
  const digests: KnownSet['digests'] = {};
  let entries = 0;
  for (const algo of Object.keys(packed) as HashAlgorithm[]) {
    const p = packed[algo];
    if (p.n === 0) continue;
    const set = new MemoryDigestSet(WIDTH[algo], p.buf, p.n);
    digests[algo] = set;
    entries += set.size;
  }
  if (entries === 0)
    throw new KnownSetError(
      'KNOWN_SET_EMPTY',
      `known-file set ${spec.file} holds no MD5, SHA-1 or SHA-256 digest (${skipped} line(s) skipped).`,
    );
  return { ...spec, format: 'hash-list', digests, entries, skippedLines: skipped };
}

/** Finds the table or view holding file digests in an NSRL RDS database, and its best digest column. */
function nsrlSource(db: Database.Database, file: string): { table: string; column: HashAlgorithm } {
  const objects = db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table','view')").all() as Array<{
    name: string;
  }>;
  const byLower = new Map(objects.map((o) => [o.name.toLowerCase(), o.name]));
  for (const want of ['file', 'metadata']) {
    const table = byLower.get(want);
    if (!table) continue;
    const cols = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((c) =>
      c.name.toLowerCase(),
    );
    for (const column of ['sha256', 'sha1', 'md5'] as HashAlgorithm[])
      if (cols.includes(column)) return { table, column };
  }
  throw new KnownSetError(
    'KNOWN_SET_NOT_NSRL',
    `${file} is a SQLite database but not an NSRL RDS: no FILE or METADATA table with a sha256, sha1 or md5 column.`,
  );
}

function loadNsrl(spec: KnownSpec, st: fs.Stats, cacheDir: string): KnownSet {
  let db: Database.Database;
  try {
    db = new (betterSqlite3())(spec.file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new KnownSetError(
      'KNOWN_SET_UNREADABLE',
      `NSRL database ${spec.file} cannot be opened: ${(err as Error).message}`,
    );
  }
  try {
    const { table, column } = nsrlSource(db, spec.file);
    const width = WIDTH[column];
    const key = crypto
      .createHash('sha256')
      .update(`${path.resolve(spec.file)}\0${st.size}\0${st.mtimeMs}\0${table}\0${column}\0v1`)
      .digest('hex')
      .slice(0, 32);
    fs.mkdirSync(path.join(cacheDir, 'known'), { recursive: true });
    const cached = path.join(cacheDir, 'known', `${key}.${column}`);
    let fanout: Uint32Array;
    if (fs.existsSync(cached)) fanout = fanoutOfFile(cached, width);
    else fanout = extract(db, table, column, width, cached);
    const set = new FileDigestSet(width, cached, fanout);
    return { ...spec, format: 'nsrl-rds-sqlite', digests: { [column]: set }, entries: set.size, skippedLines: 0 };
  } finally {
    db.close();
  }
}

/** Streams the distinct digests, sorted by SQLite, into `dest` (written to a temp name, then renamed). */
function extract(
  db: Database.Database,
  table: string,
  column: HashAlgorithm,
  width: number,
  dest: string,
): Uint32Array {
  const tmp = `${dest}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  const fanout = new Uint32Array(65537);
  try {
    const q = `SELECT DISTINCT lower("${column}") AS h FROM "${table.replace(/"/g, '""')}" WHERE length("${column}") = ${width * 2} ORDER BY h`;
    const buf = Buffer.allocUnsafe(width * 8192);
    let n = 0;
    const hexOk = /^[0-9a-f]+$/;
    for (const row of db.prepare(q).raw().iterate() as IterableIterator<[string]>) {
      const h = row[0];
      if (!hexOk.test(h)) continue;
      buf.write(h, n * width, width, 'hex');
      fanout[((buf[n * width]! << 8) | buf[n * width + 1]!) + 1]!++;
      if (++n === 8192) {
        fs.writeSync(fd, buf, 0, n * width);
        n = 0;
      }
    }
    if (n > 0) fs.writeSync(fd, buf, 0, n * width);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, dest);
  for (let b = 0; b < 65536; b++) fanout[b + 1]! += fanout[b]!;
  return fanout;
}

/** Matches item digests against every loaded set; known-bad sets are checked first. */
export interface KnownMatcher {
  /** Digests the sets need (to add to the scan's `hash`). */
  readonly algorithms: readonly HashAlgorithm[];
  readonly sets: readonly KnownSet[];
  match(hashes: Hashes | undefined): Known | undefined;
  close(): void;
}

export function createKnownMatcher(sets: readonly KnownSet[]): KnownMatcher {
  const ordered = [...sets].sort((a, b) => (a.status === b.status ? 0 : a.status === 'known-bad' ? -1 : 1));
  const algorithms = [...new Set(sets.flatMap((s) => Object.keys(s.digests) as HashAlgorithm[]))].sort();
  const scratch: Record<HashAlgorithm, Buffer> = {
    md5: Buffer.alloc(16),
    sha1: Buffer.alloc(20),
    sha256: Buffer.alloc(32),
  };
  return {
    algorithms,
    sets,
    match(hashes) {
      if (!hashes) return undefined;
      for (const set of ordered) {
        for (const [algo, digests] of Object.entries(set.digests) as Array<[HashAlgorithm, DigestSet]>) {
          const hex = hashes[algo];
          if (!hex) continue;
          const bin = scratch[algo];
          bin.write(hex, 0, bin.length, 'hex');
          if (digests.has(bin)) return { set: set.name, status: set.status };
        }
      }
      return undefined;
    },
    close() {
      for (const s of sets) for (const d of Object.values(s.digests)) d?.close();
    },
  };
}
