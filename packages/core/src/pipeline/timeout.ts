/**
 * The one time budget of the pipeline: an item through all its stages, a
 * parser, a detector. Past the budget the work is abandoned (and asked to stop
 * through its abort signal) and a TimeoutError names what took too long.
 */
import { LazyAbort } from './lazy-abort.js';

export class TimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} took longer than ${ms} ms and was abandoned`);
    this.name = 'TimeoutError';
  }
}

/** Runs `work` with a budget of `ms`; past it, rejects with a TimeoutError and aborts `abort.signal`. */
export async function withTimeout<T>(work: (abort: LazyAbort) => Promise<T>, ms: number, what: string): Promise<T> {
  const abort = new LazyAbort();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Reject before aborting, so work that settles on abort still counts as timed out.
      reject(new TimeoutError(what, ms));
      abort.abort();
    }, ms);
  });
  try {
    return await Promise.race([work(abort), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
