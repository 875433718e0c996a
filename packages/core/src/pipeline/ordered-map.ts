/**
 * An order-preserving async map with bounded concurrency (p-limit) and a
 * bounded window of results waiting to be emitted, so memory stays flat
 * however long the input is, and slow consumers slow the producer.
 */
import pLimit from 'p-limit';

export interface OrderedMapOptions {
  concurrency: number;
  /** Results started but not yet consumed, at most. */
  window: number;
  signal?: AbortSignal;
}

export async function* orderedMap<A, B>(
  input: AsyncIterable<A>,
  fn: (a: A) => Promise<B>,
  options: OrderedMapOptions,
): AsyncGenerator<B> {
  const limit = pLimit(Math.max(1, options.concurrency));
  const window = Math.max(options.window, options.concurrency);
  const pending: Array<Promise<B>> = [];
  const iterator = input[Symbol.asyncIterator]();
  let done = false;
  try {
    while (true) {
      while (!done && pending.length < window) {
        if (options.signal?.aborted) {
          done = true;
          break;
        }
        const next = await iterator.next();
        if (next.done) {
          done = true;
          break;
        }
        const p = limit(() => fn(next.value));
        // Avoid unhandled-rejection noise while the result waits its turn.
        p.catch(() => undefined);
        pending.push(p);
      }
      const head = pending.shift();
      if (!head) return;
      yield await head;
    }
  } finally {
    if (!done) await iterator.return?.();
  }
}
