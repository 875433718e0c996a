/**
 * Hostile parsers for test/isolation/parse-pool.test.ts: a third-party
 * `--plugin` module whose parsers misbehave on one file each, chosen by name,
 * and do nothing on every other file.
 *
 * - loop-forever.txt: stuck for good, synchronously (no await, no timer can end it);
 *   it first writes its process id (and temporary folder) to $EVTRIAGE_TEST_PID_DIR
 *   so the test can check that process ends.
 * - swell.txt: allocates without bound until the heap cap ends the process.
 * - abort.txt: calls process.abort() (a native crash, as a V8 fatal error would).
 *
 * An annotator that runs before the loop (module exports are taken in name
 * order: annotate < loopForever) and adds details to loop-forever.txt, to show
 * that what earlier parsers found survives the loop being stopped.
 *
 * And a witness that harms nothing: on every file it notes which process it
 * runs in (the item's path, appended to a file named after the pid in $EVTRIAGE_TEST_WITNESS_DIR).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const base = (name) => name.split('/').pop();

function hostile(id, file, act) {
  return {
    kind: 'parser',
    meta: { id, version: '1.0.0', title: `Test parser that misbehaves on ${file}`, formats: ['*'] },
    parse(ctx) {
      if (base(ctx.item.path) === file) act();
      return undefined;
    },
  };
}

export const annotate = {
  kind: 'parser',
  meta: { id: 'test-annotate', version: '1.0.0', title: 'Test parser that annotates loop-forever.txt', formats: ['*'] },
  parse(ctx) {
    return base(ctx.item.path) === 'loop-forever.txt' ? { details: { note: 'found before the loop' } } : undefined;
  },
};

export const loopForever = hostile('test-loop-forever', 'loop-forever.txt', () => {
  const dir = process.env.EVTRIAGE_TEST_PID_DIR;
  if (dir) fs.writeFileSync(path.join(dir, `loop-${process.pid}`), `${process.pid} ${os.tmpdir()}`);
  // Blocks the thread for good without burning a core (a spin here cost the suite ~7 CPU-s per loop): to the
  // supervisor it is the same, a child that never answers, that no await or timer of its own can wake.
  const never = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(never, 0, 0);
});

export const swell = hostile('test-swell', 'swell.txt', () => {
  const hoard = [];
  for (;;) hoard.push(new Array(1_000_000).fill(hoard.length));
});

export const abort = hostile('test-abort', 'abort.txt', () => process.abort());

export const witness = {
  kind: 'parser',
  meta: {
    id: 'test-witness',
    version: '1.0.0',
    title: 'Test parser that notes the process it runs in',
    formats: ['*'],
  },
  parse(ctx) {
    const dir = process.env.EVTRIAGE_TEST_WITNESS_DIR;
    if (dir) fs.appendFileSync(path.join(dir, `ran-${process.pid}`), `${ctx.item.path}\n`);
    return undefined;
  },
};
