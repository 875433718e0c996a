/** Types of test/gauntlet/generate.mjs (the generator stays plain JavaScript so it runs with `node` alone). */
export declare const SPARSE_SIZE: number;
export declare const BOMB_MEMBER_BYTES: number;
export declare const NESTED_BOMB: { copies: number; levels: number };
export interface GauntletReport {
  devices: { made: string[]; failed: Array<{ name: string; status: number | null; stderr: string }> };
  socket?: { tmp: string; final: string };
  work: string;
}
export declare function makeZip(
  members: Array<{
    name: string | Buffer;
    data?: string | Buffer;
    deflate?: boolean;
    claimSize?: number;
    directorySize?: number;
    directoryStored?: number;
    directoryOffset?: number;
    extra?: Buffer;
    localNameLength?: number;
  }>,
  options?: { claim?: number },
): Buffer;
export declare function makeOverclaimingTar(claimed: number, actual: number): Buffer;
export declare function makeBplist(
  objects: Buffer[],
  options?: { top?: number; count?: number; offsetTableAt?: number },
): Buffer;
export declare function generateGauntlet(root: string): GauntletReport;
export declare function makeSocket(report: GauntletReport): Promise<void>;
export declare function buildGauntlet(root: string): Promise<GauntletReport>;
