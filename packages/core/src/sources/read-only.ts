/**
 * Opening evidence: read-only, non-blocking (a FIFO swapped in after lstat
 * cannot hang us) and, where the process may, without updating access times.
 */
import fs from 'node:fs';

const { O_RDONLY, O_NONBLOCK } = fs.constants;
// O_NOATIME is Linux-only; it fails with EPERM unless we own the file or are privileged.
const O_NOATIME = (fs.constants as Record<string, number>)['O_NOATIME'] ?? 0;
const noatimeAllowed = O_NOATIME !== 0;

/** Opens a regular file read-only and checks it is still a regular file. */
export function openReadOnly(file: string | Buffer): number {
  let fd: number;
  if (noatimeAllowed) {
    try {
      fd = fs.openSync(file, O_RDONLY | O_NONBLOCK | O_NOATIME);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
      fd = fs.openSync(file, O_RDONLY | O_NONBLOCK);
    }
  } else {
    fd = fs.openSync(file, O_RDONLY | O_NONBLOCK);
  }
  const st = fs.fstatSync(fd);
  if (!st.isFile()) {
    fs.closeSync(fd);
    throw Object.assign(new Error('no longer a regular file; not read'), { code: 'ENOTREG' });
  }
  return fd;
}
