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
 * `.tar.xz`), which would wait forever; each stream has a context of its own, so the lock is replaced by one that
 * never waits. The memory it guarded is bounded by how many streams the scan opens at once.
 */
export const xzModule = (): typeof XzDecompress => {
  const mod = xzLoad();
  (mod.XzReadableStream as unknown as { _contextMutex: unknown })._contextMutex = {
    acquire: async () => undefined,
    release: () => undefined,
  };
  return mod;
};
