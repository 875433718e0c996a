// Types for bench/measure.mjs (used by test/performance/bench-measure.test.ts).

export const TIME: string;
export interface Timed {
  seconds: number;
  userSeconds: number;
  sysSeconds: number;
  cpuSeconds: number;
  cores: number;
  rssKiB: number;
  treeRssKiB: number;
  treePssKiB: number;
  maxProcs: number;
  stdout: string;
  stderr: string;
  status: number | null;
}
export function treeMemory(root: number): { rssKiB: number; pssKiB: number; procs: number };
export function timed(
  cmd: string,
  argv?: string[],
  opts?: { cwd?: string; shell?: boolean; env?: NodeJS.ProcessEnv; sampleMs?: number; okStatus?: number[] },
): Promise<Timed>;
export function edgeLines(file: string, edge: 'head' | 'tail'): string[];
export function manifestSummary(file: string): { counts?: { items?: number } } & Record<string, unknown>;
