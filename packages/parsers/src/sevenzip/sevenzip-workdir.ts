/**
 * Where 7-Zip works: a private folder per archive (0700 under the OS temp folder; removed on close and, for all
 * still there, at process exit), and where it finds the archive: a local one where it lies (its folder is
 * mounted and only read), a nested one copied into the private folder through its reader, under its own name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ByteReader, SourceEntry } from '@evtriage/core';
import { codedError } from './coded-error.js';
import type { ArchiveAt } from './sevenzip-protocol.js';
import { laterVolumeNamer } from '@evtriage/core/internal-readers';

/** A nested archive larger than this is not copied out to be opened (the spool limit of core's streamed members). */
export const MAX_COPY_BYTES = 4 * 1024 * 1024 * 1024;
/** Later volumes of a nested split archive copied out with it, at most (all of them within MAX_COPY_BYTES). */
const MAX_VOLUMES = 999;
/** Private folders still there, removed at process exit whatever happened (one hook for all). */
const openDirs = new Set<string>();
let exitHooked = false;

/** A private folder (0700) under the OS temp folder, removed on close and at process exit. */
export class PrivateDir {
  readonly path: string;

  constructor() {
    this.path = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-7z-'));
    fs.chmodSync(this.path, 0o700);
    openDirs.add(this.path);
    if (!exitHooked) {
      exitHooked = true;
      process.once('exit', () => {
        for (const d of openDirs) removeTree(d);
      });
    }
  }

  close(): void {
    removeTree(this.path);
    openDirs.delete(this.path);
  }
}

/**
 * Removes a folder 7-Zip wrote into, however deep: Node's recursive rmSync recurses once per level and a cpio
 * member 1,900 folders deep overflowed its stack (an internal error that ended the scan). Folders are listed with
 * an explicit stack and removed deepest first; links are removed, never followed. A folder that is not there is fine.
 */
export function removeTree(root: string): void {
  const folders: string[] = [];
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let entries: fs.Dirent[];
    try {
      // 7-Zip keeps the modes it read: a folder of mode 0000 is made ours to list again.
      fs.chmodSync(dir, 0o700);
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    folders.push(dir);
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) pending.push(p);
      else fs.rmSync(p, { force: true });
    }
  }
  for (let i = folders.length - 1; i >= 0; i--) {
    try {
      fs.rmdirSync(folders[i]!);
    } catch {
      // Gone already, or not empty (something was left we could not remove): the rest is still removed.
    }
  }
}

/** A local file's path as text, when its bytes are UTF-8 (7-Zip's file system takes text; others are copied). */
function localName(local: string | Buffer | undefined): string | undefined {
  if (typeof local === 'string') return local;
  if (!local) return undefined;
  const text = local.toString('utf8');
  return Buffer.from(text, 'utf8').equals(local) ? text : undefined;
}

/** Where 7-Zip finds the archive: its host folder and name (a nested one copied into `dir`). */
export async function locate(entry: SourceEntry, dir: PrivateDir): Promise<ArchiveAt> {
  const local = localName(entry.localPath);
  if (local) return { dir: path.dirname(path.resolve(local)), name: path.basename(local) };
  if (!entry.open) throw codedError('ARCHIVE_UNREADABLE', 'the archive has no bytes to read');
  if (entry.size > MAX_COPY_BYTES)
    throw codedError(
      'ARCHIVE_TOO_LARGE',
      `a nested archive of ${entry.size} bytes, more than the ${MAX_COPY_BYTES}-byte limit for copying it out to be opened: not opened`,
    );
  // Named as in its container (7-Zip names missing volumes after it, and tries the handler its extension names first).
  const base = path.posix.basename(entry.path);
  const name = /^[^\0/]{1,200}$/.test(base) && base !== '.' && base !== '..' ? base : 'archive';
  fs.mkdirSync(path.join(dir.path, 'in'), { mode: 0o700 });
  let copied = await copyOut(await entry.open(), path.join(dir.path, 'in', name));
  // A first volume's later volumes, where its source can open them by name, are copied beside it: inside a ZIP
  // as in a folder, 7-Zip then reads the whole set (a lone 7z first volume cannot even be listed).
  const later = name === base ? laterVolumeNamer(name) : undefined;
  for (let i = 1; later && entry.openSibling && i <= MAX_VOLUMES; i++) {
    const reader = await entry.openSibling(later(i));
    if (!reader) break;
    if (copied + reader.size > MAX_COPY_BYTES) {
      await reader.close();
      break; // 7-Zip reports the volumes it misses (`Missing volume`, or the set unreadable) on the archive.
    }
    copied += await copyOut(reader, path.join(dir.path, 'in', later(i)));
  }
  return { dir: path.join(dir.path, 'in'), name };
}

/** Copies a reader's bytes into a new private file (0600), closing the reader; the bytes copied. */
async function copyOut(reader: ByteReader, file: string): Promise<number> {
  const fd = fs.openSync(file, 'wx', 0o600);
  let pos = 0;
  try {
    while (pos < reader.size) {
      const chunk = await reader.read(pos, Math.min(4 * 1024 * 1024, reader.size - pos));
      if (chunk.length === 0) break;
      fs.writeSync(fd, chunk);
      pos += chunk.length;
    }
  } finally {
    fs.closeSync(fd);
    await reader.close();
  }
  return pos;
}
