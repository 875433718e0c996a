/** Test helper: a source entry whose bytes are in memory, as a container opener receives one. */
import type { SourceEntry } from '@evtriage/core';

export function memoryEntry(bytes: Buffer, path = 'x.bin'): SourceEntry {
  return {
    path,
    kind: 'file',
    size: bytes.length,
    times: {},
    depth: 0,
    open: () =>
      Promise.resolve({
        size: bytes.length,
        read: (p: number, l: number) => Promise.resolve(bytes.subarray(p, p + l)),
        close: () => Promise.resolve(),
      }),
  };
}
