/**
 * An abort signal made only when someone reads it. Most plugin calls never
 * look at `ctx.signal`, and an AbortController per call cost more than most
 * detectors (CPU profile of the 100k-file scan, docs/performance.md).
 */
export class LazyAbort {
  #controller: AbortController | undefined;
  #aborted = false;

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    if (this.#aborted && !this.#controller.signal.aborted) this.#controller.abort();
    return this.#controller.signal;
  }

  abort(): void {
    this.#aborted = true;
    this.#controller?.abort();
  }
}

/**
 * A detector call's context (`DetectorContext`): the limits, the call's own
 * lazy abort signal, and for fallbacks the signatures that matched in vain.
 * A class, because an object literal with a getter is made through a runtime
 * call: ~1 µs for each of the ~20 detector calls per file against ~15 ns for
 * this (docs/performance.md, 4 Dec 2026, night). It holds the abort state
 * itself rather than a `LazyAbort`: one object per call instead of two (the
 * probe worker makes ~30 per file; they were an eighth of what it allocated).
 */
export class DetectorCallContext<L, D> {
  readonly limits: L;
  #controller: AbortController | undefined;
  #aborted = false;
  readonly #declined: (() => readonly D[]) | undefined;

  constructor(limits: L, declined?: () => readonly D[]) {
    this.limits = limits;
    this.#declined = declined;
  }

  /** Aborts the call's signal (its budget ran out). For the engine: detectors see only `signal`. */
  static abort(ctx: DetectorCallContext<unknown, unknown>): void {
    ctx.#aborted = true;
    ctx.#controller?.abort();
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    if (this.#aborted && !this.#controller.signal.aborted) this.#controller.abort();
    return this.#controller.signal;
  }

  /** Worked out only when a detector asks (the statistics fallback does, on the few files it would call random). */
  get declinedSignatures(): readonly D[] {
    return this.#declined?.() ?? [];
  }
}
