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
