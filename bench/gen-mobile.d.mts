// Types for bench/gen-mobile.mjs (used by test/performance/bench-mobile-tree.test.ts).

export interface MobileTree {
  root: string;
  params: string;
  files: number;
  bytes: number;
}
export function generateMobileTree(opts: { files: number; name: string; seed?: number; dataDir?: string }): MobileTree;
