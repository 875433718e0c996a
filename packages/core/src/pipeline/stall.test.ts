import { describe, expect, it } from 'vitest';
import { createStallWatch, StallError } from './stall.js';

const listeners = () => process.listenerCount('beforeExit');

describe('stall watch', () => {
  it('passes settled waits through', async () => {
    const watch = createStallWatch();
    await expect(watch.guard(Promise.resolve(7), 'a read')).resolves.toBe(7);
    await expect(watch.guard(Promise.reject(new Error('damaged')), 'a read')).rejects.toThrow('damaged');
  });

  it("fails the waits still pending when 'beforeExit' comes, naming each", async () => {
    const watch = createStallWatch();
    const never = new Promise<never>(() => undefined);
    const first = watch.guard(never, 'Reading the archive a.tar');
    const second = watch.guard(never, 'Reading the source b');
    process.emit('beforeExit', 0);
    await expect(first).rejects.toBeInstanceOf(StallError);
    await expect(first).rejects.toThrow(/Reading the archive a\.tar stopped/);
    await expect(second).rejects.toThrow(/Reading the source b stopped/);
  });

  it("does not fail a wait that settled before 'beforeExit'", async () => {
    const watch = createStallWatch();
    const done = watch.guard(Promise.resolve('entry'), 'a read');
    await done;
    process.emit('beforeExit', 0);
    await expect(done).resolves.toBe('entry');
  });

  it('holds a listener only while a wait is pending', async () => {
    const before = listeners();
    const watch = createStallWatch();
    let release!: (v: number) => void;
    const pending = watch.guard(new Promise<number>((r) => (release = r)), 'a read');
    expect(listeners()).toBe(before + 1);
    release(1);
    await pending;
    expect(listeners()).toBe(before);
    await watch.guard(Promise.resolve(2), 'a read');
    expect(listeners()).toBe(before);
  });
});
