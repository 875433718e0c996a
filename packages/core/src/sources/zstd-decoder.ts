/**
 * Zstandard decoding on a thread of its own, under a watchdog. fzstd (pure
 * JavaScript, Node 20's zlib has no zstd) loops forever on some crafted frames;
 * on the scan's main thread that would stall the whole scan, beyond any timer.
 * Here each step (up to `STEP_BYTES` of input) must be answered within
 * `STEP_TIMEOUT_MS`, or the thread is terminated and the stream fails with a
 * per-item error. A step's work is small (fzstd decodes hundreds of MB/s, and
 * the thread replies early once a step's output passes 4 MiB), so the timeout
 * only ever meets a decoder that no longer makes progress. Threads that ended
 * a stream cleanly are kept for the next one (starting one costs tens of ms).
 */
import { Worker } from 'node:worker_threads';
import { builtEntry } from '../built-entry.js';
import type { ZstdReply, ZstdRequest } from './zstd-protocol.js';
import { askThread } from './ask-thread.js';

/** Compressed bytes sent per step. */
const STEP_BYTES = 64 * 1024;
/** How long one step may take before the decoder is taken to be looping. */
export const STEP_TIMEOUT_MS = 10_000;
/** Idle threads kept for later streams. */
const IDLE_MAX = 2;

const idle: Worker[] = [];

/** The compiled thread entry: beside this module in `dist`, or the build's copy when run from the sources (vitest). */
function workerEntry(): URL {
  const entry = builtEntry(new URL('./zstd-worker.js', import.meta.url));
  if (entry) return entry;
  throw new Error('the Zstandard decoder thread (zstd-worker.js) is not built: run `tsc -b packages/cli`');
}

function acquire(): Worker {
  const kept = idle.pop();
  if (kept) {
    kept.ref();
    return kept;
  }
  // A frame's window is at most 128 MiB (compressed.ts refuses larger ones before they reach the thread).
  const w = new Worker(workerEntry(), {
    resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 16 },
  });
  // A stream's own failure is heard by ask(); a kept thread that fails or ends is no longer kept.
  const drop = (): void => {
    const at = idle.indexOf(w);
    if (at >= 0) idle.splice(at, 1);
  };
  w.on('error', drop);
  w.once('exit', drop);
  return w;
}

function release(w: Worker): void {
  if (idle.length >= IDLE_MAX) {
    void w.terminate();
    return;
  }
  // Kept threads hold nothing alive: a command that is done exits.
  w.unref();
  idle.push(w);
}

/** Sends one request and waits for its reply, the thread's failure or the step's timeout. */
function ask(w: Worker, request: ZstdRequest, timeoutMs: number): Promise<ZstdReply> {
  return askThread<ZstdReply>(w, request, {
    timeoutMs,
    thread: 'its thread',
    timeout: () =>
      new Error(`no progress within ${timeoutMs / 1000} s on one step of ${STEP_BYTES} bytes (a decoding loop)`),
  });
}

/**
 * The expansion of compressed `input`, decoded on a supervised thread. `onInput` sees the compressed
 * bytes before they are sent (the window check), and may throw to refuse them.
 */
export async function* zstdInWorker(
  input: AsyncIterable<Buffer>,
  onInput: (bytes: Buffer) => void,
  timeoutMs = STEP_TIMEOUT_MS,
): AsyncGenerator<Buffer> {
  const w = acquire();
  let clean = false;
  try {
    // Not awaited: the source must be read from now on (a counting 'data' listener has it flowing), the reply to
    // the first push covers the thread's start.
    w.postMessage({ type: 'start' } satisfies ZstdRequest);
    const send = async function* (bytes: Buffer, final: boolean): AsyncGenerator<Buffer> {
      let at = 0;
      do {
        const r = await ask(w, { type: 'push', bytes: bytes.subarray(at), final }, timeoutMs);
        for (const c of r.chunks) yield Buffer.from(c.buffer, c.byteOffset, c.length);
        if (r.type === 'error') throw new Error(r.message);
        at += r.used;
      } while (at < bytes.length);
    };
    for await (const c of input) {
      for (let at = 0; at < c.length; at += STEP_BYTES) {
        const step = c.subarray(at, at + STEP_BYTES);
        onInput(step);
        yield* send(step, false);
      }
    }
    yield* send(Buffer.alloc(0), true);
    clean = true;
  } finally {
    // A thread that failed, timed out or was left mid-stream holds a decoder in an unknown state: it ends.
    if (clean) release(w);
    else void w.terminate();
  }
}
