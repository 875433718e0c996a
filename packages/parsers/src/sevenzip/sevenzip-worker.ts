/**
 * The thread 7-Zip (WebAssembly, package 7z-wasm) runs on, under the opener's watchdog
 * (sevenzip-runner.ts): one request at a time, answered with 7-Zip's exit code and output. The
 * archive's folder is mounted at /in and only read; members are written under /out, a folder
 * private to the scan. Standard input is always at its end, so 7-Zip can never wait for a password
 * (and `-p` with no value makes it fail at once where it would ask). The archive's folder is guarded
 * against writes at the file-system calls themselves (sevenzip-fs-guard.ts).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { SevenZipModule, SevenZipModuleFactory, SevenZipModuleOptions } from '7z-wasm';
import type { SevenZipReply, SevenZipRequest } from './sevenzip-protocol.js';
import { guardFileSystem, type GuardedFolders } from './sevenzip-fs-guard.js';
import { SEVENZIP_WASM_FILE, wasmApi, type CompiledWasm, type WasmInstance } from './sevenzip-wasm.js';

const SevenZip = createRequire(import.meta.url)('7z-wasm') as SevenZipModuleFactory;

/** Switches on every call: no progress lines, UTF-8 names, no password (fail at once), no prompt. */
const COMMON = ['-bsp0', '-sccUTF-8', '-scsUTF-8', '-p', '-y'];

type InstantiateWasm = (imports: object, receive: (instance: WasmInstance, module: CompiledWasm) => void) => object;

let folders: GuardedFolders | undefined;
guardFileSystem(() => folders);

/**
 * 7-Zip's output lines, kept as UTF-8 bytes outside the JavaScript heap until the reply: a listing of 300,000
 * members is 2.7 million lines, which as strings in an array passed the thread's 256 MiB heap.
 */
class Lines {
  private readonly done: Buffer[] = [];
  private chunk = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private inMembers = false;
  /** Members the listing printed (`Path = ` lines after its `----------` line). */
  members = 0;

  /** `keepMembers`: the lines of members past this many are counted, not kept (7-Zip's ERROR/WARNING lines are). */
  constructor(private readonly keepMembers = Infinity) {}

  push(line: string): void {
    if (line === '----------') this.inMembers = true;
    else if (this.inMembers && line.startsWith('Path = ')) this.members++;
    if (this.members > this.keepMembers && !/^(Open )?(ERROR|WARNING)/.test(line)) return;
    this.keep(line);
  }

  private keep(line: string): void {
    const need = Buffer.byteLength(line) + 1;
    if (this.used + need > this.chunk.length) {
      this.done.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(1 << 20, need));
      this.used = 0;
    }
    this.used += this.chunk.write(line, this.used);
    this.chunk[this.used++] = 0x0a;
  }

  text(): string {
    const all = Buffer.concat([...this.done, this.chunk.subarray(0, this.used)]);
    return all.toString('utf8', 0, Math.max(0, all.length - 1));
  }
}

/** 7-Zip's code compiled by the process (sevenzip-runner.ts), when it was ready before this thread started. */
const given = (workerData as { compiled?: CompiledWasm } | undefined)?.compiled;

/** The two exports of 7-Zip's WebAssembly that save and restore its stack pointer. */
interface StackExports {
  emscripten_stack_get_current(): number;
  _emscripten_stack_restore(at: number): void;
}

let out = new Lines();
let err = new Lines();
let instance: { z: SevenZipModule; stack: StackExports } | undefined;

async function module(): Promise<NonNullable<typeof instance>> {
  if (instance) return instance;
  const code = given ?? (await wasmApi.compile(fs.readFileSync(SEVENZIP_WASM_FILE)));
  let stack: StackExports | undefined;
  const options: Partial<SevenZipModuleOptions> & { instantiateWasm?: InstantiateWasm } = {
    print: (s: string) => out.push(s),
    printErr: (s: string) => err.push(s),
    stdin: () => null as unknown as number,
  };
  // Emscripten's hook (not in 7z-wasm's types): the module is instantiated here, from the code compiled once, and
  // its stack exports are kept; a failure is this request's error rather than a wait for the watchdog.
  const failed = new Promise<never>((_, reject) => {
    options.instantiateWasm = (imports, receive) => {
      wasmApi.instantiate(code, imports).then((inst) => {
        stack = (inst as { exports: StackExports }).exports;
        receive(inst, code);
      }, reject);
      return {};
    };
  });
  const z = await Promise.race([SevenZip(options), failed]);
  if (!stack) throw new Error("7-Zip's WebAssembly was not instantiated through the hook");
  instance = { z, stack };
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

/** Bytes of names passed on 7-Zip's command line at most: they go on its 64 KiB stack for the call. */
const LITERAL_NAME_BYTES = 8192;

/**
 * The names for the list file, and those passed after it on the command line: 7-Zip trims each line of a list
 * file (spaces and tabs at both ends, a byte-order mark first; CPP/Common/ListFileUtils.cpp), so a member named
 * `x ` or ` y` asked for there was not found. Past LITERAL_NAME_BYTES they stay in the list file (and are not
 * extracted: the opener says so per member).
 */
function splitNames(paths: readonly string[]): { listed: string[]; literal: string[] } {
  const listed: string[] = [];
  const literal: string[] = [];
  let bytes = 0;
  for (const p of paths) {
    const size = Buffer.byteLength(p) + 8;
    if (/^[ \t\uFEFF]|[ \t]$/.test(p) && bytes + size <= LITERAL_NAME_BYTES) {
      literal.push(p);
      bytes += size;
    } else listed.push(p);
  }
  return { listed, literal };
}

/** `-t<handler>` when the opener names one (letters only: it is a switch). */
function handlerSwitch(req: SevenZipRequest): string[] {
  return req.handler && /^[A-Za-z0-9]+$/.test(req.handler) ? [`-t${req.handler}`] : [];
}

async function run(req: SevenZipRequest): Promise<SevenZipReply> {
  const { z, stack } = await module();
  out = new Lines(req.type === 'list' ? req.keepMembers : Infinity);
  err = new Lines();
  folders = { evidence: req.dir, ...(req.type === 'extract' ? { output: req.out } : {}) };
  remount(z, '/in', req.dir);
  let args: string[];
  if (req.type === 'list') {
    args = ['l', '-slt', ...COMMON, ...handlerSwitch(req), `/in/${req.name}`];
  } else {
    remount(z, '/out', req.out);
    const { listed, literal } = splitNames(req.paths);
    z.FS.writeFile('/paths.txt', listed.join('\n') + '\n');
    // -spd: names are literal, not wildcards; -aou: a second member of the same name is kept as name_1; after
    // `--`, the names 7-Zip's list file would trim, as they are (never a switch or a list file).
    args = ['x', ...COMMON, ...handlerSwitch(req), '-spd', '-aou', '-o/out', `/in/${req.name}`, '@/paths.txt'];
    if (literal.length) args.push('--', ...literal);
  }
  // Emscripten's callMain puts the arguments on 7-Zip's stack (64 KiB) and never takes them off: about 200 bytes a
  // call, so the 170th to 380th call on one instance ran out of stack ("memory access out of bounds", "null
  // function or function signature mismatch") and that member was not extracted. The pointer is put back.
  const sp = stack.emscripten_stack_get_current();
  try {
    const code = z.callMain(args) as unknown as number | undefined;
    stack._emscripten_stack_restore(sp);
    return { code: code ?? 0, stdout: out.text(), stderr: err.text(), members: out.members };
  } catch (e) {
    // An exception out of 7-Zip leaves the instance in an unknown state: the next request gets a new one.
    instance = undefined;
    const what = typeof e === 'number' ? `exception ${e}` : String((e as { message?: string }).message ?? e);
    return { code: 2, threw: what, stdout: out.text(), stderr: err.text(), members: out.members };
  }
}

parentPort?.on('message', (req: SevenZipRequest) => {
  run(req).then(
    (reply) => parentPort?.postMessage(reply),
    (e: unknown) =>
      parentPort?.postMessage({ code: 2, threw: String((e as Error).message ?? e), stdout: '', stderr: '' }),
  );
});
