/**
 * The manifest a command reads: a file, or standard input for `-` (copied
 * to a private temporary file first, because a JSON document is read twice:
 * a peek at its first bytes to tell NDJSON from JSON, then the stream).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CliError } from './exit-codes.js';

/** Runs `use` on a readable manifest file; `-` stands for standard input. */
export async function withManifestFile<T>(
  file: string,
  use: (readable: string, shown: string) => Promise<T>,
): Promise<T> {
  if (file !== '-') {
    if (!fs.existsSync(file))
      throw new CliError(
        `${file} does not exist. Give the path of a manifest written by evtriage scan (or - to read standard input).`,
      );
    return use(file, file);
  }
  if (process.stdin.isTTY)
    throw new CliError(
      '- reads the manifest from standard input; pipe one in, e.g. evtriage scan ... -o - | evtriage summary -',
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-stdin-'));
  const copy = path.join(dir, 'manifest');
  try {
    await pipeline(process.stdin, fs.createWriteStream(copy, { mode: 0o600 }));
    return await use(copy, '(standard input)');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
