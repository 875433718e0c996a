import type { Probe } from '@evtriage/core';

/** A probe of a whole small file (head = all its bytes), for calling a detector directly in a test. */
export function wholeFileProbe(bytes: Uint8Array, name = 'x'): Probe {
  const dot = name.lastIndexOf('.');
  return {
    path: name,
    logicalPath: name,
    name,
    extension: dot > 0 ? name.slice(dot + 1).toLowerCase() : '',
    size: bytes.length,
    head: bytes,
    tail: new Uint8Array(),
    samples: [],
    complete: true,
  };
}
