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

export class SevenZipTimeout extends Error {
  readonly code = 'ARCHIVE_TIMEOUT';
}

/** Starts a 7-Zip thread; tests pass one that never answers, to prove the watchdog. */
export type StartThread = () => Worker;

export class SevenZipRunner {
  private worker: Worker | undefined;

  constructor(private readonly startThread?: StartThread) {}

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
    });
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
    return oneAtATime(() => this.callNow(request, timeoutMs));
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
