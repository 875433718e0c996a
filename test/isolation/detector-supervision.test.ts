/**
 * The probe workers' watchdog (core/pipeline/worker-prober.ts): a detector
 * that loops forever, allocates without bound or never settles costs only
 * its own answer on its own file. The worker is stopped and replaced, the
 * thread that looped stops using CPU, the file is identified by the other
 * detectors with the failure named, and every other item is the same as in
 * a scan without the hostile detectors.
 *
 * Runs the compiled packages (`dist/`, built by the test command before
 * vitest) in a plain Node process (helpers/supervised-scan.mjs).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const runner = path.join(import.meta.dirname, 'helpers/supervised-scan.mjs');
let tmp: string;
let evidence: string;

interface Item {
  path: string;
  format?: { id: string; detector: string };
  classification: { status: string };
  errors?: Array<{ stage: string; code: string; plugin?: string; message: string }>;
}
interface Run {
  items: Item[];
  replaced: number;
  identified: number;
  loopingThread?: { task: string; ended: boolean };
}

async function scanDist(hostile: boolean, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  // A budget far above what any built-in detector needs on these small files, on a loaded machine too (the same
  // 5 s the parse-pool test gives the built-in parsers): it never fires for them, and the hostile detectors never
  // return, so it always fires there. On two cores the scan has one probe worker, so the loop (budget plus its
  // grace) and the hang wait one after the other: the product's 10 s default made this test wait ~25 s.
  const arg = JSON.stringify({ evidence, hostile, limits: { pluginTimeoutMs: 5_000, workerHeapMb: 32 } });
  const { stdout } = await promisify(execFile)(process.execPath, [runner, arg], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, ...env },
  });
  return JSON.parse(stdout) as Run;
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-supervision-'));
  evidence = path.join(tmp, 'evidence');
  fs.cpSync(path.join(repo, 'examples/sample-extraction'), evidence, { recursive: true });
  fs.writeFileSync(path.join(evidence, 'loop.txt'), 'LOOP forever\nplain text after the magic\n');
  fs.writeFileSync(path.join(evidence, 'swell.txt'), 'SWELL up\nplain text after the magic\n');
  fs.writeFileSync(path.join(evidence, 'hang.txt'), 'HANG on\nplain text after the magic\n');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('a detector that never returns on the probe workers', () => {
  it('costs only its own answer: named failure, worker replaced, other items unchanged', async () => {
    const threadFile = path.join(tmp, 'looping-thread');
    // Two separate processes, run side by side: the calm scan's items do not depend on the other's.
    const [calm, hostile] = await Promise.all([
      scanDist(false),
      scanDist(true, { EVTRIAGE_TEST_THREAD_FILE: threadFile }),
    ]);
    const byPath = (run: Run, p: string) => run.items.find((i) => i.path === p)!;

    const loop = byPath(hostile, 'loop.txt');
    expect(loop.errors).toContainEqual(
      expect.objectContaining({ stage: 'identify', code: 'PLUGIN_TIMEOUT', plugin: 'loop-forever' }),
    );
    expect(loop.errors!.find((e) => e.plugin === 'loop-forever')!.message).toContain('stopped and replaced');
    const swell = byPath(hostile, 'swell.txt');
    expect(swell.errors).toContainEqual(
      expect.objectContaining({ stage: 'identify', code: 'MEMORY_LIMIT', plugin: 'swell' }),
    );
    // An async detector that never settles is ended by its call budget; its worker carries on.
    expect(byPath(hostile, 'hang.txt').errors).toContainEqual(
      expect.objectContaining({ stage: 'identify', code: 'PLUGIN_TIMEOUT', plugin: 'hang' }),
    );
    // The other detectors still decided those files, as they do without the hostile ones.
    for (const p of ['loop.txt', 'swell.txt', 'hang.txt']) {
      expect(byPath(hostile, p).format).toEqual(byPath(calm, p).format);
      expect(byPath(hostile, p).classification).toEqual(byPath(calm, p).classification);
    }
    // Two workers were lost (the loop, the heap) and replaced; every other item is identical.
    expect(hostile.replaced).toBe(2);
    expect(hostile.identified).toBe(calm.identified);
    const rest = (run: Run) => run.items.filter((i) => !['loop.txt', 'swell.txt', 'hang.txt'].includes(i.path));
    expect(rest(hostile)).toEqual(rest(calm));

    // The thread that looped (it wrote its /proc path) ended while the scan's process went on: its CPU use stopped.
    expect(hostile.loopingThread?.task).toMatch(/^\/proc\/\d+\/task\/\d+$/);
    expect(hostile.loopingThread?.ended).toBe(true);
  });
});
