import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * Gives the test file a temp folder of its own for the 7-Zip opener's private folders (TMPDIR is process-wide:
 * test files in other workers scanning archives at the same time make theirs in the shared one), restored and
 * removed after the file. Returns the folder's path (set once the file's tests start) and the opener's folders
 * left in it.
 */
export function useOwnTmpdir(prefix: string): { dir: () => string; leftovers: () => string[] } {
  let shared: string | undefined;
  let own = '';
  beforeAll(() => {
    shared = process.env['TMPDIR'];
    own = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    process.env['TMPDIR'] = own;
  });
  afterAll(() => {
    if (shared === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = shared;
    fs.rmSync(own, { recursive: true, force: true });
  });
  return {
    dir: () => own,
    leftovers: () => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('evtriage-7z-')),
  };
}
