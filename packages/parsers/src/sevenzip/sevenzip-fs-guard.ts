/**
 * The 7-Zip thread's file layer (Emscripten's NODEFS) reaches the host through Node's `fs` calls. The
 * archive's folder is evidence: these calls are wrapped so that, whatever 7-Zip does (a link member
 * pointing into the mounted folder, a bug), nothing under that folder is written, made, renamed,
 * removed or re-stamped, except the private output folder when it lies inside it; and a file opened
 * there for reading does not get its access time changed (O_NOATIME where the process may use it,
 * as the folder source's reads do). A refused call fails with EROFS, which NODEFS turns into
 * 7-Zip's own error for that member.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The folder not to touch and the folder 7-Zip may write into, for the request in hand. */
export interface GuardedFolders {
  evidence: string;
  output?: string;
}

type PathLike = fs.PathLike;

const within = (child: string, parent: string) => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

function refused(op: string, target: PathLike): NodeJS.ErrnoException {
  return Object.assign(new Error(`EROFS: evidence is read-only, ${op} '${String(target)}'`), {
    code: 'EROFS',
    errno: -30,
    syscall: op,
    path: String(target),
  });
}

const { O_RDONLY, O_WRONLY, O_RDWR } = fs.constants;
const O_ACCMODE = O_WRONLY | O_RDWR | O_RDONLY;
const O_NOATIME = (fs.constants as Record<string, number>)['O_NOATIME'] ?? 0;

/** Wraps `fs`'s writing calls (once per thread); `current()` names the folders of the request in hand. */
export function guardFileSystem(current: () => GuardedFolders | undefined): void {
  const protectedPath = (p: PathLike): boolean => {
    const folders = current();
    if (!folders) return false;
    const abs = path.resolve(String(p));
    return within(abs, folders.evidence) && !(folders.output && within(abs, folders.output));
  };
  const guardedFds = new Set<number>();
  type Call = (...args: unknown[]) => unknown;
  /** `fn`, refusing a call whose arguments at `at` name a protected path. */
  const guardPath = <F>(op: string, fn: F, at: readonly number[] = [0]): F => {
    const call = fn as unknown as Call;
    return ((...args: unknown[]) => {
      for (const i of at) if (protectedPath(args[i] as PathLike)) throw refused(op, args[i] as PathLike);
      return call(...args);
    }) as unknown as F;
  };
  /** `fn`, refusing a call on a descriptor opened under the protected folder. */
  const guardFd = <F>(op: string, fn: F): F => {
    const call = fn as unknown as Call;
    return ((...args: unknown[]) => {
      if (guardedFds.has(args[0] as number)) throw refused(op, `fd ${String(args[0])}`);
      return call(...args);
    }) as unknown as F;
  };

  const openSync = fs.openSync;
  fs.openSync = ((file: PathLike, flags?: fs.OpenMode, mode?: fs.Mode): number => {
    if (!protectedPath(file)) return openSync(file, flags ?? 'r', mode);
    const numeric = typeof flags === 'number' ? flags : flags === undefined || flags === 'r' ? O_RDONLY : undefined;
    if (numeric === undefined || (numeric & O_ACCMODE) !== O_RDONLY) throw refused('open', file);
    let fd: number;
    try {
      fd = openSync(file, numeric | O_NOATIME, mode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM' || !O_NOATIME) throw err;
      fd = openSync(file, numeric, mode); // not the file's owner: O_NOATIME is not allowed
    }
    guardedFds.add(fd);
    return fd;
  }) as typeof fs.openSync;
  const closeSync = fs.closeSync;
  fs.closeSync = (fd: number) => {
    guardedFds.delete(fd);
    closeSync(fd);
  };
  fs.writeSync = guardFd('write', fs.writeSync);
  fs.ftruncateSync = guardFd('ftruncate', fs.ftruncateSync);
  fs.futimesSync = guardFd('futimes', fs.futimesSync);
  fs.fchmodSync = guardFd('fchmod', fs.fchmodSync);
  fs.mkdirSync = guardPath('mkdir', fs.mkdirSync);
  fs.symlinkSync = guardPath('symlink', fs.symlinkSync, [1]);
  fs.renameSync = guardPath('rename', fs.renameSync, [0, 1]);
  fs.rmdirSync = guardPath('rmdir', fs.rmdirSync);
  fs.unlinkSync = guardPath('unlink', fs.unlinkSync);
  fs.utimesSync = guardPath('utimes', fs.utimesSync);
  fs.chmodSync = guardPath('chmod', fs.chmodSync);
  fs.truncateSync = guardPath('truncate', fs.truncateSync);
  fs.writeFileSync = guardPath('writeFile', fs.writeFileSync);
}
