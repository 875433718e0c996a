/**
 * How a parse child (parse-pool.ts) is started: its Node options and its
 * environment. Two settings keep its memory down (docs/performance.md,
 * "Peak memory of a scan"), measured on the mobile tree at 20,000 files where
 * a child peaked at ~190 MiB resident:
 *
 * - a small young generation: V8's default semi-spaces (16 MiB each, the young
 *   generation three of them) held ~30 MiB of the child's heap for objects that
 *   die young; parsing is a small share of a scan's CPU, so more frequent
 *   scavenges cost little there;
 * - at most two glibc malloc arenas: each thread that allocates (the watchdog,
 *   libuv's pool, V8's helpers, SQLite through better-sqlite3) otherwise gets an
 *   arena of its own, each keeping the memory freed in it.
 *
 * A value the user set (a `--max-semi-space-size` in the scan's Node options, a
 * MALLOC_ARENA_MAX in its environment) is kept.
 */

/** A parse child's semi-space, MiB (V8 `--max-semi-space-size`). */
export const PARSE_CHILD_SEMI_SPACE_MB = 2;
/** A parse child's glibc malloc arenas (MALLOC_ARENA_MAX; ignored where the C library is not glibc). */
export const PARSE_CHILD_MALLOC_ARENAS = 2;

/** The child's Node options: the scan's own, less debugger and heap-cap flags, plus its heap cap and young generation. */
export function parseChildExecArgv(parent: readonly string[], workerHeapMb: number): string[] {
  const own = parent.filter((a) => !a.startsWith('--max-old-space-size') && !a.startsWith('--inspect'));
  const semi = own.some((a) => a.startsWith('--max-semi-space-size'))
    ? []
    : [`--max-semi-space-size=${PARSE_CHILD_SEMI_SPACE_MB}`];
  return [...own, `--max-old-space-size=${workerHeapMb}`, ...semi];
}

/** The child's environment: the scan's, its private temporary folder (`tmpVars`) and the arena cap. */
export function parseChildEnv(parent: NodeJS.ProcessEnv, tmpVars: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: String(PARSE_CHILD_MALLOC_ARENAS), ...parent, ...tmpVars };
}
