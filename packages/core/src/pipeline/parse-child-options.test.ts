import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  PARSE_CHILD_MALLOC_ARENAS,
  PARSE_CHILD_SEMI_SPACE_MB,
  parseChildEnv,
  parseChildExecArgv,
} from './parse-child-options.js';

/**
 * Run in a process started as a parse child is: makes short-lived objects, some surviving a while (which is what
 * makes V8 grow its young generation up to the cap), and reports the largest new space seen and the arena cap.
 */
const CHURN = `
const v8 = require('node:v8');
let keep = [];
let largest = 0;
for (let i = 0; i < 300000; i++) {
  keep.push({ a: i, b: 'x' + i, c: [i, i] });
  if (keep.length > 20000) keep = [];
  if (i % 1000 === 0) {
    const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
    largest = Math.max(largest, s.space_size);
  }
}
process.stdout.write(JSON.stringify({ largest, arenas: process.env.MALLOC_ARENA_MAX ?? null }));
`;

function runAsChild(execArgv: string[], env: NodeJS.ProcessEnv): { largest: number; arenas: string | null } {
  const out = execFileSync(process.execPath, [...execArgv, '-e', CHURN], { env, encoding: 'utf8' });
  return JSON.parse(out) as { largest: number; arenas: string | null };
}

const MiB = 1024 * 1024;
const { MALLOC_ARENA_MAX: _ignored, ...scanEnv } = process.env;

describe('how a parse child is started', () => {
  it("caps the child's young generation: its new space stays within the cap under churn", () => {
    const capped = runAsChild(parseChildExecArgv([], 512), parseChildEnv(scanEnv, {}));
    // The new space holds two semi-spaces at most.
    expect(capped.largest).toBeLessThanOrEqual(2 * PARSE_CHILD_SEMI_SPACE_MB * MiB);
    // The same churn under V8's default grows past it (so the test shows the cap, not a small workload).
    const uncapped = runAsChild(['--max-old-space-size=512'], scanEnv);
    expect(uncapped.largest).toBeGreaterThan(2 * PARSE_CHILD_SEMI_SPACE_MB * MiB);
  });

  it('caps glibc malloc arenas in the child, beside its private temporary folder', () => {
    const env = parseChildEnv(scanEnv, { TMPDIR: '/tmp/x' });
    expect(env.TMPDIR).toBe('/tmp/x');
    expect(runAsChild([], env).arenas).toBe(String(PARSE_CHILD_MALLOC_ARENAS));
  });

  it("keeps the user's own settings and drops the scan's debugger and heap-cap flags", () => {
    expect(parseChildEnv({ ...scanEnv, MALLOC_ARENA_MAX: '8' }, {}).MALLOC_ARENA_MAX).toBe('8');
    expect(parseChildExecArgv(['--max-semi-space-size=32', '--inspect=9229', '--max-old-space-size=64'], 256)).toEqual([
      '--max-semi-space-size=32',
      '--max-old-space-size=256',
    ]);
    expect(parseChildExecArgv(['--enable-source-maps'], 256)).toEqual([
      '--enable-source-maps',
      '--max-old-space-size=256',
      `--max-semi-space-size=${PARSE_CHILD_SEMI_SPACE_MB}`,
    ]);
  });
});
