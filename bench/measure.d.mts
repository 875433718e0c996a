// Types for bench/measure.mjs (used by test/performance/bench-measure.test.ts).

export const TIME: string;
/** The fields of a /proc stat file after the parenthesised command name. */
export function statFields(stat: string): string[];
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
  /** Per kind of process (its script's file name): the largest Rss and Pss of one such process, and how many ran at once. */
  byRole: Record<string, { rssKiB: number; pssKiB: number; count: number }>;
  /** Each process's Pss when the tree's sum of Pss peaked. */
  atPeakPss: Array<{ role: string; pssKiB: number }>;
  stdout: string;
  stderr: string;
  status: number | null;
}
export function treeMemory(root: number): {
  rssKiB: number;
  pssKiB: number;
  procs: number;
  processes: Array<{ pid: number; role: string; rssKiB: number; pssKiB: number }>;
};
export function timed(
  cmd: string,
  argv?: string[],
  opts?: { cwd?: string; shell?: boolean; env?: NodeJS.ProcessEnv; sampleMs?: number; okStatus?: number[] },
): Promise<Timed>;
export function edgeLines(file: string, edge: 'head' | 'tail'): string[];
export function manifestSummary(file: string): { counts?: { items?: number } } & Record<string, unknown>;
