/**
 * An order-preserving async map with bounded concurrency (p-limit) and a
 * bounded window of results waiting to be emitted, so memory stays flat
 * however long the input is, and slow consumers slow the producer.
 *
 * The window is filled by a pump of its own from the moment the map is made,
 * not on the consumer's requests: while the consumer is busy elsewhere (the
 * walk inside an archive's members) work on the next inputs goes on, up to
 * the window, instead of draining.
 */
import pLimit from 'p-limit';

export interface OrderedMapOptions<B> {
  concurrency: number;
  /** Results started but not yet consumed, at most. */
  window: number;
  signal?: AbortSignal | undefined;
  /** Called with each result that is never consumed (the consumer left early), to free what it holds. */
  dispose?: ((result: B) => Promise<void>) | undefined;
}

export class OrderedMap<A, B> implements AsyncIterableIterator<B> {
  private readonly pending: Array<Promise<B>> = [];
  private readonly iterator: AsyncIterator<A>;
  private readonly limit: ReturnType<typeof pLimit>;
  private window: number;
  private exhausted = false; // the input ended or failed: nothing to return to it
  private pumpDone = false;
  private stopped = false; // the consumer left
  private failure: { error: unknown } | undefined;
  private wakeConsumer: (() => void) | undefined;
  private wakePump: (() => void) | undefined;
  private readonly pumping: Promise<void>;

  constructor(
    input: AsyncIterable<A>,
    private readonly fn: (a: A) => Promise<B>,
    private readonly options: OrderedMapOptions<B>,
  ) {
    this.limit = pLimit(Math.max(1, options.concurrency));
    this.window = Math.max(1, options.window);
    this.iterator = input[Symbol.asyncIterator]();
    this.pumping = this.pump();
  }

  /** Lets more results wait (a level of the walk started ahead, now reached). */
  widen(window: number): void {
    this.window = Math.max(this.window, window);
    this.resumePump();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<B>> {
    for (;;) {
      // An input that failed fails the map at the consumer's next step, as a pull would have.
      if (this.failure) {
        const { error } = this.failure;
        await this.return();
        throw error;
      }
      const head = this.pending.shift();
      if (head) {
        this.resumePump();
        return { done: false, value: await head };
      }
      if (this.pumpDone) {
        await this.return();
        return { done: true, value: undefined };
      }
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    }
  }

  /** Stops the pump, lets the input clean up, and disposes of the results never consumed. */
  async return(): Promise<IteratorResult<B>> {
    if (!this.stopped) {
      this.stopped = true;
      this.resumePump();
      await this.pumping;
      if (!this.exhausted) await this.iterator.return?.();
      const { dispose } = this.options;
      // Results still being made are not waited for (an interrupted scan ends at once); each is disposed
      // of when it comes.
      if (dispose) for (const p of this.pending.splice(0)) void p.then(dispose).catch(() => undefined);
    }
    return { done: true, value: undefined };
  }

  private resumePump(): void {
    this.wakePump?.();
    this.wakePump = undefined;
  }

  private async pump(): Promise<void> {
    try {
      while (!this.stopped) {
        if (this.pending.length >= this.window) {
          await new Promise<void>((resolve) => (this.wakePump = resolve));
          continue;
        }
        if (this.options.signal?.aborted) return;
        const next = await this.iterator.next();
        if (next.done) {
          this.exhausted = true;
          return;
        }
        if (this.stopped) return;
        const p = this.limit(() => this.fn(next.value));
        // Avoid unhandled-rejection noise while the result waits its turn.
        p.catch(() => undefined);
        this.pending.push(p);
        this.wakeConsumer?.();
        this.wakeConsumer = undefined;
      }
    } catch (error) {
      this.exhausted = true;
      this.failure = { error };
    } finally {
      this.pumpDone = true;
      this.wakeConsumer?.();
      this.wakeConsumer = undefined;
    }
  }
}
