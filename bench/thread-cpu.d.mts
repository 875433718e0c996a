// Types for bench/thread-cpu.mjs (used by test/performance/thread-cpu.test.ts).

/** utime + stime in seconds of one task, from the text of its /proc/<pid>/task/<tid>/stat file. */
export function taskCpuSeconds(stat: string): number;
