import { describe, expect, it } from 'vitest';
import { OrderedMap } from './ordered-map.js';

async function* numbers(n: number, seen?: number[]): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    seen?.push(i);
    yield i;
  }
}

/** Lets every promise chain that can move on do so (event-loop turns, not time). */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
}

describe('OrderedMap', () => {
  it('emits results in input order, whatever order they finish in', async () => {
    const map = new OrderedMap(
      numbers(20),
      async (n) => {
        for (let i = 0; i < (n * 7) % 5; i++) await new Promise((r) => setImmediate(r));
        return n * 10;
      },
      { concurrency: 4, window: 8 },
    );
    const out: number[] = [];
    for await (const v of map) out.push(v);
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
  });

  it('goes on with the next inputs while the consumer is away, up to the window and no further', async () => {
    const started: number[] = [];
    const map = new OrderedMap(numbers(100), async (n) => (started.push(n), n), { concurrency: 4, window: 8 });
    expect((await map.next()).value).toBe(0);
    await settle();
    // The first result taken, 8 more waiting: nothing is asked of the consumer for them.
    expect(started).toHaveLength(9);
    map.widen(20);
    await settle();
    expect(started).toHaveLength(21);
    await map.return();
  });

  it('leaves the input, and disposes of the results never consumed, when the consumer leaves', async () => {
    const disposed: number[] = [];
    const pulled: number[] = [];
    const map = new OrderedMap(numbers(100, pulled), async (n) => n, {
      concurrency: 2,
      window: 5,
      dispose: async (n) => void disposed.push(n),
    });
    for (let i = 0; i < 3; i++) await map.next();
    await settle(); // the window fills: results 3 to 7 wait
    await map.return();
    await settle();
    expect(disposed.sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7]);
    expect(pulled.length).toBeLessThan(10);
  });

  it("fails with the input's error", async () => {
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw new Error('the source broke');
    }
    const map = new OrderedMap(failing(), async (n) => n, { concurrency: 2, window: 4 });
    await expect(
      (async () => {
        for await (const v of map) void v;
      })(),
    ).rejects.toThrow('the source broke');
  });

  it('stops taking inputs once the signal is aborted', async () => {
    const controller = new AbortController();
    const pulled: number[] = [];
    const map = new OrderedMap(numbers(100, pulled), async (n) => n, {
      concurrency: 2,
      window: 4,
      signal: controller.signal,
    });
    controller.abort();
    const out: number[] = [];
    for await (const v of map) out.push(v);
    expect(out.length).toBeLessThanOrEqual(1);
    expect(pulled.length).toBeLessThanOrEqual(1);
  });
});
