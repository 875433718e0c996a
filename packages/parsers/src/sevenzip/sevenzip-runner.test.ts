import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir } from '../scan-fixtures.test-helper.js';
import { parseSltListing } from './slt-listing.js';
import { SevenZipRunner, sevenZipCodeCompiled, sevenZipThreadsStarted } from './sevenzip-runner.js';

// A cpio of two members made by GNU cpio (fixtures/sevenzip/container/generate.sh), copied under a long name: every
// call passes the name to 7-Zip, so a call that leaves its arguments on 7-Zip's stack leaves about 280 bytes.
const LONG_NAME = `${'n'.repeat(240)}.cpio`;
let work = '';
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sevenzip-runner-test-'));
  fs.copyFileSync(path.join(fixtureDir('sevenzip'), 'container', 'small.cpio'), path.join(work, LONG_NAME));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const list = (runner: SevenZipRunner) =>
  runner.call({ type: 'list', dir: work, name: LONG_NAME, keepMembers: 100 }, 60_000);

describe('the 7-Zip runner', () => {
  it('lists the same archive 400 times on one thread (7-Zip ran out of stack every 126 calls)', async () => {
    const runner = new SevenZipRunner();
    const before = sevenZipThreadsStarted();
    const failures: string[] = [];
    for (let i = 0; i < 400; i++) {
      const reply = await list(runner);
      const members = parseSltListing(reply.stdout, reply.stderr).members.length;
      if (reply.code !== 0 || reply.threw || members !== 2)
        failures.push(`call ${i + 1}: code ${reply.code}, ${reply.threw ?? 'no exception'}, ${members} members`);
    }
    runner.end();
    expect(failures).toEqual([]);
    // One thread answered them all (none was ended and restarted by a failure).
    expect(sevenZipThreadsStarted() - before).toBeLessThanOrEqual(1);
  }, 120_000);

  it('gives a thread-per-call runner’s thread back before the next queued call, which takes it', async () => {
    const runners = Array.from({ length: 8 }, () => new SevenZipRunner(undefined, { threadPerCall: true }));
    const before = sevenZipThreadsStarted();
    // One call each, all queued at once: each next call starts as the one before it is answered.
    const replies = await Promise.all(runners.map(list));
    expect(replies.map((r) => r.code)).toEqual(Array(8).fill(0));
    // Given back after its turn (the earlier way), the thread was not idle yet when the second call began: two started.
    expect(sevenZipThreadsStarted() - before).toBeLessThanOrEqual(1);
  });

  it('starts later threads from the code the process compiled once, and they answer as the first did', async () => {
    expect(await sevenZipCodeCompiled()).toBe(true);
    const first = new SevenZipRunner();
    const expected = (await list(first)).stdout;
    const before = sevenZipThreadsStarted();
    // Both asked before either is answered: the second cannot take the first's thread and starts its own.
    const [a, b] = [new SevenZipRunner(), new SevenZipRunner()];
    const [ra, rb] = await Promise.all([list(a), list(b)]);
    expect(sevenZipThreadsStarted() - before).toBeGreaterThanOrEqual(1);
    expect([ra.stdout, rb.stdout]).toEqual([expected, expected]);
    for (const r of [first, a, b]) r.end();
  });
});
