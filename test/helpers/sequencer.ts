/**
 * Starts the test files that take longest first (test/durations.json, written from a real run by
 * test/helpers/write-durations.mjs), so that none of them starts near the end and runs on alone while the
 * other workers have nothing left to do. Vitest orders by its cache of the last run, which a fresh clone (CI)
 * does not have: it then takes the largest files first, and a long test file is not always a large one.
 * Files the list does not name keep vitest's own order, after those it does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const durations = JSON.parse(fs.readFileSync(new URL('../durations.json', import.meta.url), 'utf8')) as {
  seconds: Record<string, number>;
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const root = this.ctx.config.root;
    const seconds = (f: TestSpecification) =>
      durations.seconds[path.relative(root, f.moduleId).split(path.sep).join('/')] ?? 0;
    // A stable sort: files with the same weight (all those not listed) stay in vitest's order.
    return ordered.sort((a, b) => seconds(b) - seconds(a));
  }
}
