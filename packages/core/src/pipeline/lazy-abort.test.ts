/**
 * The lazy abort signal and the detector call's context built on it: the signal is made only when read,
 * and reads as aborted whether it was read before or after the abort.
 */
import { describe, expect, it } from 'vitest';
import { DetectorCallContext } from './lazy-abort.js';

describe('DetectorCallContext', () => {
  const limits = { probeHeadBytes: 16384, probeTailBytes: 8192 };

  it('carries the limits as its own property and a signal that is not aborted', () => {
    const ctx = new DetectorCallContext(limits);
    expect(ctx.limits).toBe(limits);
    expect(Object.keys(ctx)).toEqual(['limits']);
    expect(ctx.signal).toBeInstanceOf(AbortSignal);
    expect(ctx.signal.aborted).toBe(false);
  });

  it('a signal read before the abort fires its listeners', () => {
    const ctx = new DetectorCallContext(limits);
    let fired = 0;
    ctx.signal.addEventListener('abort', () => fired++);
    DetectorCallContext.abort(ctx);
    expect(ctx.signal.aborted).toBe(true);
    expect(fired).toBe(1);
  });

  it('a signal first read after the abort is already aborted', () => {
    const ctx = new DetectorCallContext(limits);
    DetectorCallContext.abort(ctx);
    expect(ctx.signal.aborted).toBe(true);
  });

  it("aborts only its own call's signal", () => {
    const first = new DetectorCallContext(limits);
    const second = new DetectorCallContext(limits);
    void first.signal;
    DetectorCallContext.abort(first);
    expect(first.signal.aborted).toBe(true);
    expect(second.signal.aborted).toBe(false);
  });

  it('gives the declined signatures only when asked, and none without them', () => {
    let asked = 0;
    const ctx = new DetectorCallContext(limits, () => (asked++, ['zip']));
    expect(asked).toBe(0);
    expect(ctx.declinedSignatures).toEqual(['zip']);
    expect(new DetectorCallContext(limits).declinedSignatures).toEqual([]);
  });
});
