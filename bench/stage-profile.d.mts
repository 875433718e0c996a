// Types for bench/stage-profile.mjs (used by test/performance/stage-profile.test.ts).

export interface CallFrame {
  functionName: string;
  url: string;
  scriptId?: string;
  lineNumber?: number;
  columnNumber?: number;
}
export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
  hitCount?: number;
}
/** V8's .cpuprofile (Profiler.Profile of the DevTools protocol). */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}
export interface StageRule {
  url?: RegExp;
  fn?: RegExp;
  ancestors: boolean;
  caller?: RegExp;
  stage: string | null;
}
export interface Attribution {
  profiles: number;
  threadMs: number;
  ms: Map<string, number>;
}
export interface StageRow {
  stage: string;
  profileMs: number;
  share: number;
  cpuMs: number;
  cpuUsPerItem: number;
}
export interface StageTable {
  profiles: number;
  threadMs: number;
  busyMs: number;
  items: number;
  cpuSeconds: number;
  cpuUsPerItem: number;
  cpuUsPerItemAfterStartup: number;
  rows: StageRow[];
}
export function loadStageMap(file?: string): StageRule[];
export function stagesOfProfile(profile: CpuProfile, rules: StageRule[]): (nodeId: number) => string;
export function attributeProfiles(dir: string, rules?: StageRule[]): Attribution;
export function stageTable(a: Attribution, m: { items: number; cpuSeconds: number }): StageTable;
export function formatStages(t: StageTable, title?: string): string[];
export function profileScan(
  source: string,
  opts?: { extraArgs?: string[]; keepDir?: string },
): Promise<StageTable & { seconds: number; cores: number; rssKiB: number; treePssKiB: number }>;
