/**
 * The thread 7-Zip (WebAssembly, package 7z-wasm) runs on, under the opener's watchdog
 * (sevenzip-runner.ts): one request at a time, answered with 7-Zip's exit code and output. The
 * archive's folder is mounted at /in and only read; members are written under /out, a folder
 * private to the scan. Standard input is always at its end, so 7-Zip can never wait for a password
 * (and `-p` with no value makes it fail at once where it would ask). The archive's folder is guarded
 * against writes at the file-system calls themselves (sevenzip-fs-guard.ts).
 */
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import type { SevenZipModule, SevenZipModuleFactory } from '7z-wasm';
import type { SevenZipReply, SevenZipRequest } from './sevenzip-protocol.js';
import { guardFileSystem, type GuardedFolders } from './sevenzip-fs-guard.js';

const SevenZip = createRequire(import.meta.url)('7z-wasm') as SevenZipModuleFactory;

/** Switches on every call: no progress lines, UTF-8 names, no password (fail at once), no prompt. */
const COMMON = ['-bsp0', '-sccUTF-8', '-scsUTF-8', '-p', '-y'];

let folders: GuardedFolders | undefined;
guardFileSystem(() => folders);

let out: string[] = [];
let err: string[] = [];
let instance: SevenZipModule | undefined;

async function module(): Promise<SevenZipModule> {
  instance ??= await SevenZip({
    print: (s: string) => out.push(s),
    printErr: (s: string) => err.push(s),
    stdin: () => null as unknown as number,
  });
  return instance;
}

function remount(z: SevenZipModule, at: string, root: string): void {
  try {
    z.FS.unmount(at);
  } catch {
    // Not mounted yet.
  }
  try {
    z.FS.mkdir(at);
  } catch {
    // Already there.
  }
  z.FS.mount(z.NODEFS, { root }, at);
}

async function run(req: SevenZipRequest): Promise<SevenZipReply> {
  const z = await module();
  out = [];
  err = [];
  folders = { evidence: req.dir, ...(req.type === 'extract' ? { output: req.out } : {}) };
  remount(z, '/in', req.dir);
  let args: string[];
  if (req.type === 'list') {
    args = ['l', '-slt', ...COMMON, `/in/${req.name}`];
  } else {
    remount(z, '/out', req.out);
    z.FS.writeFile('/paths.txt', req.paths.join('\n') + '\n');
    // -spd: names are literal, not wildcards; -aou: a second member of the same name is kept as name_1.
    args = ['x', ...COMMON, '-spd', '-aou', '-o/out', `/in/${req.name}`, '@/paths.txt'];
  }
  try {
    const code = z.callMain(args) as unknown as number | undefined;
    return { code: code ?? 0, stdout: out.join('\n'), stderr: err.join('\n') };
  } catch (e) {
    // An exception out of 7-Zip leaves the instance in an unknown state: the next request gets a new one.
    instance = undefined;
    const what = typeof e === 'number' ? `exception ${e}` : String((e as { message?: string }).message ?? e);
    return { code: 2, threw: what, stdout: out.join('\n'), stderr: err.join('\n') };
  }
}

parentPort?.on('message', (req: SevenZipRequest) => {
  run(req).then(
    (reply) => parentPort?.postMessage(reply),
    (e: unknown) =>
      parentPort?.postMessage({ code: 2, threw: String((e as Error).message ?? e), stdout: '', stderr: '' }),
  );
});
