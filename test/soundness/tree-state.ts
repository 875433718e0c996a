/**
 * The observable state of a file tree, for before/after comparisons that
 * prove a scan changed nothing: every entry (raw name bytes, so non-UTF-8
 * names count), its type, size, mode, inode, link count, owner, target,
 * nanosecond mtime, atime and ctime, and the SHA-256 of regular files.
 * Contents are read with O_NOATIME, so taking the snapshot does not itself
 * move access times (root may always use it; see open(2)).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface NodeState {
  kind: string;
  size: bigint;
  mode: bigint;
  ino: bigint;
  nlink: bigint;
  uid: bigint;
  gid: bigint;
  rdev: bigint;
  mtimeNs: bigint;
  atimeNs: bigint;
  ctimeNs: bigint;
  sha256?: string;
  target?: string;
}

const O_NOATIME = (fs.constants as Record<string, number>)['O_NOATIME'] ?? 0;

function kindOf(st: fs.BigIntStats): string {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  return 'other';
}

function hashFile(p: Buffer): string {
  let fd: number;
  try {
    fd = fs.openSync(p, fs.constants.O_RDONLY | O_NOATIME);
  } catch {
    fd = fs.openSync(p, fs.constants.O_RDONLY);
  }
  try {
    const h = crypto.createHash('sha256');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let pos = 0; ;) {
      const n = fs.readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      pos += n;
    }
    return h.digest('hex');
  } finally {
    fs.closeSync(fd);
  }
}

function stateOf(abs: Buffer, st: fs.BigIntStats): NodeState {
  const s: NodeState = {
    kind: kindOf(st),
    size: st.size,
    mode: st.mode,
    ino: st.ino,
    nlink: st.nlink,
    uid: st.uid,
    gid: st.gid,
    rdev: st.rdev,
    mtimeNs: st.mtimeNs,
    atimeNs: st.atimeNs,
    ctimeNs: st.ctimeNs,
  };
  if (s.kind === 'file') s.sha256 = hashFile(abs);
  if (s.kind === 'symlink') s.target = fs.readlinkSync(abs, { encoding: 'buffer' }).toString('base64');
  return s;
}

/**
 * Snapshot of a tree (or of a single file): relative raw path (base64) -> state.
 * Directories are listed once; their own state is taken before listing them.
 */
export function snapshotTree(root: string): Map<string, NodeState> {
  const out = new Map<string, NodeState>();
  const walk = (abs: Buffer, rel: Buffer) => {
    const st = fs.lstatSync(abs, { bigint: true });
    out.set(rel.toString('base64'), stateOf(abs, st));
    if (!st.isDirectory()) return;
    for (const name of fs.readdirSync(abs, { encoding: 'buffer' }).sort((a, b) => Buffer.compare(a, b))) {
      walk(
        Buffer.concat([abs, Buffer.from('/'), name]),
        rel.length ? Buffer.concat([rel, Buffer.from('/'), name]) : name,
      );
    }
  };
  walk(Buffer.from(path.resolve(root)), Buffer.alloc(0));
  return out;
}

/** Differences between two snapshots, as readable lines (empty when identical). */
export function diffSnapshots(
  before: Map<string, NodeState>,
  after: Map<string, NodeState>,
  ignore: (rel: string, field: keyof NodeState, state: NodeState) => boolean = () => false,
): string[] {
  const lines: string[] = [];
  const name = (k: string) => JSON.stringify(Buffer.from(k, 'base64').toString('utf8'));
  for (const [k, b] of before) {
    const a = after.get(k);
    if (!a) {
      lines.push(`removed ${name(k)}`);
      continue;
    }
    for (const field of Object.keys(b) as Array<keyof NodeState>) {
      if (b[field] !== a[field] && !ignore(Buffer.from(k, 'base64').toString('utf8'), field, b))
        lines.push(`${name(k)} ${field}: ${String(b[field])} -> ${String(a[field])}`);
    }
  }
  for (const k of after.keys()) if (!before.has(k)) lines.push(`added ${name(k)}`);
  return lines;
}

/** Sets the access and modification times of every entry (symlinks themselves included) to `when`. */
export function ageTree(root: string, when: Date): void {
  const walk = (abs: Buffer) => {
    const st = fs.lstatSync(abs);
    if (st.isDirectory())
      for (const name of fs.readdirSync(abs, { encoding: 'buffer' }))
        walk(Buffer.concat([abs, Buffer.from('/'), name]));
    // Folders last (listing them would move their atime again).
    fs.lutimesSync(abs, when, when);
  };
  walk(Buffer.from(path.resolve(root)));
}
