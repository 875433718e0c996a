/**
 * The lazy abort signal and the detector call's context built on it: the signal is made only when read,
 * and reads as aborted whether it was read before or after the abort.
 */
import { describe, expect, it } from 'vitest';
import { DetectorCallContext, LazyAbort } from './lazy-abort.js';

describe('DetectorCallContext', () => {
  const limits = { probeHeadBytes: 16384, probeTailBytes: 8192 };

  it('carries the limits as its own property and a signal that is not aborted', () => {
    const ctx = new DetectorCallContext(limits, new LazyAbort());
    expect(ctx.limits).toBe(limits);
    expect(Object.keys(ctx)).toEqual(['limits']);
    expect(ctx.signal).toBeInstanceOf(AbortSignal);
    expect(ctx.signal.aborted).toBe(false);
  });

  it('a signal read before the abort fires its listeners', () => {
    const abort = new LazyAbort();
    const ctx = new DetectorCallContext(limits, abort);
    let fired = 0;
    ctx.signal.addEventListener('abort', () => fired++);
    abort.abort();
    expect(ctx.signal.aborted).toBe(true);
    expect(fired).toBe(1);
  });

  it('a signal first read after the abort is already aborted', () => {
    const abort = new LazyAbort();
    const ctx = new DetectorCallContext(limits, abort);
    abort.abort();
    expect(ctx.signal.aborted).toBe(true);
  });
});
