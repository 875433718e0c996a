/**
 * 7-Zip on a thread of its own under a watchdog (the discipline of core's zstd-decoder.ts): a call that
 * does not answer in time, or a thread that fails, ends that thread and becomes an error for what was
 * asked; the next call starts a new thread. One runner serves one archive at a time; a thread whose
 * archive closed cleanly is kept for the next one (starting a thread and 7-Zip costs tens of ms, which a
 * ZIP of 10,000 small 7z files would pay 10,000 times).
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import { askThread } from '@evtriage/core/internal-readers';
import type { SevenZipReply, SevenZipRequest } from './sevenzip-protocol.js';
import { SEVENZIP_WASM_FILE, wasmApi, type CompiledWasm } from './sevenzip-wasm.js';

/** The compiled thread entry: beside this module in `dist`, or the build's copy when run from the sources (vitest). */
function workerEntry(): URL {
  const here = new URL('./sevenzip-worker.js', import.meta.url);
  if (fs.existsSync(here)) return here;
  const built = new URL(here.href.replace(/\/src\/(?!.*\/src\/)/, '/dist/'));
  if (fs.existsSync(built)) return built;
  throw new Error('the 7-Zip thread (sevenzip-worker.js) is not built: run `tsc -b packages/cli`');
}

/** The process's 7-Zip requests, one at a time (call()). */
const oneAtATime = pLimit(1);

/** Idle threads kept for later archives. */
const IDLE_MAX = 2;
const idle: Worker[] = [];

/** 7-Zip threads this process started (the opener's tests and bench/ count them). */
let started = 0;
export function sevenZipThreadsStarted(): number {
  return started;
}

/**
 * 7-Zip's WebAssembly code compiled once for the process, in the background (V8 compiles off the main thread),
 * and handed to each thread started after it is ready: a new thread then instantiates it (about 7 ms) instead of
 * reading and compiling 1.6 MB of WebAssembly again (20-50 ms). The first thread compiles its own.
 */
let compiled: CompiledWasm | undefined;
let compiling: Promise<void> | undefined;
function compileOnce(): void {
  compiling ??= fs.promises
    .readFile(SEVENZIP_WASM_FILE)
    .then((bytes) => wasmApi.compile(bytes))
    .then(
      (m) => {
        compiled = m;
      },
      // Not fatal: each thread then compiles its own, as the first one does.
      () => undefined,
    );
}

/** Whether the process's compiled 7-Zip code is ready for new threads (compiling it if not begun). */
export async function sevenZipCodeCompiled(): Promise<boolean> {
  compileOnce();
  await compiling;
  return compiled !== undefined;
}

export class SevenZipTimeout extends Error {
  readonly code = 'ARCHIVE_TIMEOUT';
}

/** Starts a 7-Zip thread; tests pass one that never answers, to prove the watchdog. */
export type StartThread = () => Worker;

export interface RunnerOptions {
  /**
   * Give the thread back (to the idle pool, or end it) after every call, before the next queued call starts, so
   * that it can take the same thread: runners that each wait between calls (ZIPs opened ahead) then share one.
   */
  threadPerCall?: boolean;
}

export class SevenZipRunner {
  private worker: Worker | undefined;

  constructor(
    private readonly startThread?: StartThread,
    private readonly options: RunnerOptions = {},
  ) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    if (this.startThread) {
      this.worker = this.startThread();
      this.worker.on('error', () => undefined);
      return this.worker;
    }
    const kept = idle.pop();
    if (kept) {
      kept.ref();
      this.worker = kept;
      return kept;
    }
    // The JavaScript heap is small; 7-Zip's own memory is the WebAssembly heap (32-bit: 4 GiB at most).
    const w = new Worker(workerEntry(), {
      resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 },
      workerData: { compiled },
    });
    started++;
    compileOnce();
    // A failure while a call waits is that call's (call() listens too); between calls, the thread is dropped.
    w.on('error', () => {
      if (this.worker === w) this.worker = undefined;
    });
    // A kept thread that fails or ends is no longer kept.
    const drop = (): void => {
      const at = idle.indexOf(w);
      if (at >= 0) idle.splice(at, 1);
    };
    w.on('error', drop);
    w.once('exit', drop);
    this.worker = w;
    return w;
  }

  /**
   * Sends one request; rejects on the thread's failure or when `timeoutMs` passes (the thread is then ended).
   * One request runs at a time in the process (the clock starts when it does): 7-Zip's database of a large
   * archive lives in its thread's WebAssembly heap while it works, and archives opened ahead would otherwise
   * each grow one at once (four 642 KB 7z files of 1,000,000 empty members each).
   */
  call(request: SevenZipRequest, timeoutMs: number): Promise<SevenZipReply> {
    if (!this.options.threadPerCall) return oneAtATime(() => this.callNow(request, timeoutMs));
    // Given back inside the turn: released after it (as before), the next call found no idle thread and started one.
    return oneAtATime(async () => {
      try {
        return await this.callNow(request, timeoutMs);
      } finally {
        this.release();
      }
    });
  }

  private callNow(request: SevenZipRequest, timeoutMs: number): Promise<SevenZipReply> {
    const what = request.type === 'list' ? 'listing the archive' : `extracting ${request.paths.length} member(s)`;
    return askThread<SevenZipReply>(this.start(), request, {
      timeoutMs,
      thread: "7-Zip's thread",
      code: 'ARCHIVE_READER_FAILED',
      timeout: () =>
        new SevenZipTimeout(
          `7-Zip did not finish ${what} within ${Math.round(timeoutMs / 1000)} s; its thread was ended`,
        ),
    }).catch((err: unknown) => {
      this.end();
      throw err;
    });
  }

  /** Gives the thread back when the archive is done with it and every call was answered; kept ones hold the process alive no longer. */
  release(): void {
    const w = this.worker;
    this.worker = undefined;
    if (!w) return;
    if (idle.length >= IDLE_MAX || this.startThread) {
      void w.terminate();
      return;
    }
    w.unref();
    idle.push(w);
  }

  /** Ends the thread (if any); a later call starts a new one. */
  end(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
  }
}
