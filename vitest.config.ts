import os from 'node:os';
import { defineConfig } from 'vitest/config';
import LongestFirst from './test/helpers/sequencer.js';

// Workspace packages resolve to their TypeScript sources through the
// "@evtriage/source" export condition, so tests need no build of core/parsers.
const conditions = ['@evtriage/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    // The end-to-end tests run the built CLI: build it (incrementally) before any test file starts.
    globalSetup: ['test/helpers/build.ts'],
    // Bounds for a test that never ends, not for a slow one: on a 2-core machine shared with other work, tests
    // that start a few CLI processes one after the other took 60-90 s with nothing wrong.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Most test files wait on the CLI processes they spawn: vitest's default (one file per core beyond the
    // first: one at a time on two cores) leaves the machine idle. Three at once took the suite from 570 s
    // to 406 s on 2 cores, all green; more cores keep the default.
    maxWorkers: Math.max(3, os.availableParallelism() - 1),
    // The longest files first (test/durations.json), so the run does not end with one of them going on alone.
    sequence: { sequencer: LongestFirst },
    // One project, without per-file module isolation: each worker loads the core and parsers sources once and
    // runs file after file, unit and end-to-end alike. Two projects (unit, e2e) cost ~36 CPU-s more per run: a
    // worker is not reused across projects, and the longest-first order alternates between them, so vitest
    // started 23 workers instead of 4, each loading the sources again. A file that changes process-wide state
    // (TMPDIR: sqlite-handle, tar-spool) restores it in afterAll.
    include: ['packages/*/src/**/*.test.ts', 'examples/**/*.test.ts', 'test/**/*.test.ts'],
    isolate: false,
  },
});
