/**
 * One request to a worker thread and its one reply, for the decoders that run untrusted bytes on a thread
 * under a deadline (zstd-decoder.ts, @evtriage/parsers' 7-Zip runner): the reply, or a rejection when the
 * thread fails or exits (`<thread> failed: …`, `<thread> exited (code N)`, with `code` when given) or when
 * `timeoutMs` passes (`timeout()`'s error). Ending the thread is the caller's.
 */
import type { Worker } from 'node:worker_threads';

export interface AskOptions {
  timeoutMs: number;
  /** How the errors name the thread ("its thread", "7-Zip's thread"). */
  thread: string;
  /** The code a failure or exit error carries, if any. */
  code?: string;
  timeout: () => Error;
}

export function askThread<Reply>(w: Worker, request: unknown, opts: AskOptions): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    const fail = (message: string): void => {
      done();
      const err = new Error(message);
      reject(opts.code ? Object.assign(err, { code: opts.code }) : err);
    };
    const onMessage = (r: Reply): void => {
      done();
      resolve(r);
    };
    const onError = (err: Error): void => fail(`${opts.thread} failed: ${err.message}`);
    const onExit = (code: number): void => fail(`${opts.thread} exited (code ${code})`);
    const timer = setTimeout(() => {
      done();
      reject(opts.timeout());
    }, opts.timeoutMs);
    w.on('message', onMessage);
    w.once('error', onError);
    w.once('exit', onExit);
    w.postMessage(request);
  });
}
