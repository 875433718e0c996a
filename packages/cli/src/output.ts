/**
 * Where a command writes: opening the output file up front (so a missing or
 * read-only folder is an exit-2 message before any work, not a stack trace
 * later), keeping it out of the evidence, and turning write errors into
 * messages. A reader that closes standard output early (`| head`) is not an
 * error: the command stops quietly, as Unix tools do.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { CliError } from './exit-codes.js';

/** True for the errors a closed pipe on standard output gives (the reader went away). */
export function isClosedPipe(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || (code === 'ERR_STREAM_DESTROYED' && stdoutClosed);
}

let stdoutClosed = false;

/**
 * Installed once by bin.ts: a closed standard output is noted, not thrown.
 * Commands see their writes fail and stop; `stdoutWasClosed()` says why.
 */
export function watchStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') stdoutClosed = true;
    else process.stderr.write(`evtriage: cannot write to standard output: ${err.message}\n`);
  });
}

export function stdoutWasClosed(): boolean {
  return stdoutClosed;
}

/** What went wrong writing `file`, and what to do about it. */
export function outputProblem(file: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const dir = path.dirname(path.resolve(file));
  switch (e.code) {
    case 'ENOENT':
      return `cannot write ${file}: the folder ${dir} does not exist. Create it first or choose another output path.`;
    case 'EACCES':
    case 'EPERM':
      return `cannot write ${file}: permission denied. Choose a folder you may write to, or run as a user who may write there.`;
    case 'EROFS':
      return `cannot write ${file}: the file system is read-only. Choose an output path on a writable disk.`;
    case 'EISDIR':
      return `cannot write ${file}: it is a folder. Give a file name, e.g. ${path.join(file, 'manifest.json')}.`;
    case 'ENOTDIR':
      return `cannot write ${file}: part of the path is a file, not a folder. Choose another output path.`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `cannot write ${file}: the disk is full (or over quota). Free space or choose another disk; the file written so far is incomplete.`;
    default:
      return `cannot write ${file}: ${e.message ?? String(err)}. Choose another output path.`;
  }
}

/**
 * Opens the output for writing: standard output for `-`, else the file, opened
 * now so that errors are reported before any work. Errors after that arrive
 * on the stream's 'error' event, which is always handled here (the write
 * that failed rejects, see writers/writer.ts).
 */
export function openOutput(file: string): Writable {
  if (file === '-') return process.stdout;
  let fd: number;
  try {
    fd = fs.openSync(file, 'w');
  } catch (err) {
    throw new CliError(outputProblem(file, err));
  }
  const stream = fs.createWriteStream(file, { fd });
  stream.on('error', () => undefined);
  return stream;
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (for an output not written yet). */
export function realPathOf(p: string, depth = 0): string {
  const abs = path.resolve(p);
  // A dangling link would be written through to its target: follow it by hand.
  try {
    if (depth < 40 && fs.lstatSync(abs).isSymbolicLink() && !fs.existsSync(abs)) {
      return realPathOf(path.resolve(path.dirname(abs), fs.readlinkSync(abs)), depth + 1);
    }
  } catch {
    // Not there yet: resolved through its parents below.
  }
  const rest: string[] = [];
  for (let cur = abs; ;) {
    try {
      return path.join(fs.realpathSync(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return abs;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

/**
 * Refuses an output that would land in the evidence: inside a folder source,
 * or on the source file itself, comparing real paths (symbolic links on either
 * side, the output's parent folders included).
 */
export function guardOutput(output: string, source: string): void {
  let srcReal: string;
  let isDir: boolean;
  try {
    srcReal = fs.realpathSync(source);
    isDir = fs.statSync(srcReal).isDirectory();
  } catch {
    return; // A missing source is reported by openSource.
  }
  const outReal = realPathOf(output);
  const inside =
    outReal === srcReal || (isDir && outReal.startsWith(srcReal.endsWith(path.sep) ? srcReal : srcReal + path.sep));
  if (inside) {
    const via =
      outReal === path.resolve(output) && srcReal === path.resolve(source)
        ? ''
        : ` (${output} resolves to ${outReal}, the source to ${srcReal})`;
    throw new CliError(
      isDir
        ? `refusing to write ${output} inside the evidence folder ${source}${via}; evtriage never writes into a source. Choose an output path outside it.`
        : `refusing to overwrite the source ${source} with the output ${output}${via}; evtriage never writes into a source. Choose another output path.`,
    );
  }
}
