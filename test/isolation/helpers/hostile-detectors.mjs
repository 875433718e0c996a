/**
 * Detectors that misbehave on purpose, for detector-supervision.test.ts:
 * each acts only on files whose first bytes name it, and stays silent on
 * everything else. Loaded by the probe workers from this module (by URL).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = path.resolve(import.meta.dirname, '../../..');
const { defineDetector } = await import(pathToFileURL(path.join(repo, 'packages/core/dist/index.js')).href);

const starts = (probe, magic) => Buffer.from(probe.head.subarray(0, magic.length)).toString('latin1') === magic;
const meta = (id) => ({
  id,
  version: '1.0.0',
  title: `Hostile detector ${id}`,
  formats: [{ id: `${id}-format`, name: id, status: 'analysable', how: 'signature' }],
});

/** Loops forever, synchronously, after writing its thread's /proc path where the test can watch it. */
export const loopForever = defineDetector({
  meta: meta('loop-forever'),
  detect(probe) {
    if (!starts(probe, 'LOOP')) return undefined;
    const marker = process.env.EVTRIAGE_TEST_THREAD_FILE;
    if (marker) fs.writeFileSync(marker, fs.readlinkSync('/proc/thread-self'));
    for (;;) {
      // Spins until its worker is terminated.
    }
  },
});

/** Allocates without bound. */
export const swell = defineDetector({
  meta: meta('swell'),
  detect(probe) {
    if (!starts(probe, 'SWELL')) return undefined;
    const hoard = [];
    for (;;) hoard.push(new Array(1 << 16).fill(hoard.length));
  },
});

/** Never settles (async): the identifier's own budget ends it; its worker carries on. */
export const hang = defineDetector({
  meta: meta('hang'),
  detect(probe) {
    if (!starts(probe, 'HANG')) return undefined;
    return new Promise(() => {});
  },
});
