import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { taskCpuSeconds } from '../../bench/thread-cpu.mjs';

describe('bench/thread-cpu.mjs', () => {
  it('reads utime + stime past a command name that holds spaces and parentheses', () => {
    // Fields 14 and 15 of proc(5)'s stat: utime 250 and stime 37 clock ticks (USER_HZ 100).
    const stat = '4242 (V8 (a) worker) R 1 4242 4242 0 -1 4194304 100 0 0 0 250 37 0 0 20 0 9 0 1000 1000000 500';
    expect(taskCpuSeconds(stat)).toBeCloseTo(2.87, 5);
  });

  it.runIf(process.platform === 'linux')('sums, over this process’s threads, to the CPU the process reports', () => {
    // Over a window, not since the process started: the test process runs other files first (vitest's isolate:
    // false), and a thread of theirs that has ended (a decoder's thread, a worker) keeps its CPU in the process's
    // total but has left /proc/self/task.
    const perTask = (): Map<string, number> => {
      const m = new Map<string, number>();
      for (const tid of fs.readdirSync('/proc/self/task')) {
        try {
          m.set(tid, taskCpuSeconds(fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')));
        } catch {
          // a thread that ended meanwhile
        }
      }
      return m;
    };
    const before = perTask();
    const start = process.cpuUsage();
    const spent = (): number => {
      const { user, system } = process.cpuUsage(start);
      return user + system;
    };
    // Busy until the process has spent 300 ms of CPU (not of wall time: a loaded machine gives less) so the counters move.
    while (spent() < 300_000);
    const { user, system } = process.cpuUsage(start);
    const after = perTask();
    let fromProc = 0;
    for (const [tid, cpu] of after) fromProc += cpu - (before.get(tid) ?? 0);
    const own = (user + system) / 1e6;
    expect(fromProc).toBeGreaterThan(0.25);
    // Clock ticks of 10 ms per thread against microseconds: close, not equal.
    expect(Math.abs(fromProc - own)).toBeLessThan(0.05 + 0.01 * after.size + 0.1 * own);
  });
});
