/**
 * Dependencies loaded on first use rather than when the module that needs
 * them loads: every scan starts a main process, a probe worker and parse
 * children, and most of them never open a ZIP, a TAR or a SQLite database,
 * an NSRL set or a plist (docs/performance.md, "Start-up").
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import type * as Fzstd from 'fzstd';
import type * as Plist from 'plist';
import type * as Saxes from 'saxes';
import type tar from 'tar-stream';
import type * as XzDecompress from 'xz-decompress';
import type yauzl from 'yauzl';

const load = createRequire(import.meta.url);

/** A getter for a CommonJS package, required (synchronously) the first time it is called. */
function lazyRequire<T>(id: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= load(id) as T);
}

export const betterSqlite3: () => typeof Database = lazyRequire('better-sqlite3');
export const tarStream: () => typeof tar = lazyRequire('tar-stream');
export const yauzlModule: () => typeof yauzl = lazyRequire('yauzl');
export const saxesModule: () => typeof Saxes = lazyRequire('saxes');
/**
 * plist is an ES module whose export map has only an `import` condition, so it
 * is required by the file that map names (Node 20.19+ and 22.12+ require ES modules
 * synchronously); with it come xmldom and xmlbuilder, ~60 ms of loading.
 */
export const plistModule: () => typeof Plist = lazyRequire(fileURLToPath(import.meta.resolve('plist')));
export const fzstdModule: () => typeof Fzstd = lazyRequire('fzstd');

const xzLoad = lazyRequire<typeof XzDecompress>('xz-decompress');
/**
 * xz-decompress lets one stream decode at a time, process-wide (a static lock each stream takes when it starts and
 * gives back at its end or cancel). Nested archives read one stream while another is open (a `.tar.xz` inside a
 * `.tar.xz`), which would wait forever, so the lock is replaced by one that never waits. The streams must then not
 * share the module's WebAssembly instance: a context made by a second stream grows the shared memory, which detaches
 * the first stream's views, and its next `needsMoreInput()` (read through a detached view: undefined === undefined)
 * overwrites input it had not consumed ("corrupt data" mid-stream: a 33 MB `.tar.xz` in a folder lost its members
 * after 267 of 1,348, bench/container-parity.mjs). Each stream therefore instantiates the module anew (its own
 * memory, freed with the stream; a 20 KB module).
 */
let xzPatched = false;
export const xzModule = (): typeof XzDecompress => {
  const mod = xzLoad();
  if (xzPatched) return mod;
  xzPatched = true;
  const stream = mod.XzReadableStream as unknown as {
    _contextMutex: unknown;
    _moduleInstance: unknown;
    _moduleInstancePromise: unknown;
    _getModuleInstance: () => Promise<void>;
  };
  const instantiate = stream._getModuleInstance.bind(stream);
  let turn: Promise<unknown> = Promise.resolve();
  stream._contextMutex = {
    // Each stream's start() awaits this, then makes its context in `_moduleInstance` at once (no await between):
    // a new instance is made per stream, and the next one only after a macrotask, once that start() took its own.
    acquire: () => {
      const mine = turn.then(async () => {
        stream._moduleInstance = undefined;
        stream._moduleInstancePromise = undefined;
        await instantiate();
      });
      turn = mine.then(
        () => new Promise((resolve) => setImmediate(resolve)),
        () => undefined,
      );
      return mine;
    },
    release: () => undefined,
  };
  return mod;
};
