/**
 * A wait nothing can ever end: a promise that no I/O, timer, worker or child
 * will settle (a library waiting for bytes a damaged archive never supplies).
 * When only such waits are left, Node empties its event loop and emits
 * 'beforeExit' — proof, not a guess from a clock, that the scan stalled. The
 * waits a scan guards then reject with a StallError, so the scan records what
 * stalled and goes on, instead of the process exiting (code 13) with a
 * manifest that stops mid-way. A caller whose process keeps other handles open
 * never sees 'beforeExit': its stalled scan waits, as any stalled promise would.
 */

export class StallError extends Error {
  readonly code = 'SOURCE_STALLED';
  constructor(what: string) {
    super(`${what} stopped: it waited for data that can never arrive (the process had nothing else left to do)`);
    this.name = 'StallError';
  }
}

export interface StallWatch {
  /** `work`, or a StallError naming `what` if the process runs out of everything else to do while it waits. */
  guard<T>(work: Promise<T>, what: string): Promise<T>;
}

/** One watch per scan: a 'beforeExit' listener only while a guarded wait is pending. */
export function createStallWatch(): StallWatch {
  const waiting = new Set<() => void>();
  const onIdle = (): void => {
    const stalled = [...waiting];
    waiting.clear();
    process.off('beforeExit', onIdle);
    for (const fail of stalled) fail();
  };
  return {
    guard<T>(work: Promise<T>, what: string): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const fail = () => reject(new StallError(what));
        if (waiting.size === 0) process.on('beforeExit', onIdle);
        waiting.add(fail);
        const done = () => {
          if (waiting.delete(fail) && waiting.size === 0) process.off('beforeExit', onIdle);
        };
        work.then(
          (v) => {
            done();
            resolve(v);
          },
          (err: unknown) => {
            done();
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      });
    },
  };
}
