import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { timed } from '../../bench/measure.mjs';

// bench/measure.mjs charges a command for the CPU and memory of every process it starts, which is
// what makes the benchmark fair to a scan that works in child processes. Needs GNU time
// (/usr/bin/time, Debian package `time`; .ci/system-deps.sh installs it).

/**
 * A child that burns CPU, reports its own user+sys (µs) on stdout, and holds `mib` MiB until every one of the
 * `peers` children has its memory too (a file each in `dir`), then `holdMs` more: the children overlap however
 * late the machine starts one of them (no fixed sleep standing in for "at the same time").
 */
const child = (dir: string, peers: number, mib: number, holdMs: number): string =>
  [
    `const fs = require("node:fs"); const b = Buffer.alloc(${mib} * 1048576, 1);`,
    `fs.writeFileSync(${JSON.stringify(dir)} + "/" + process.pid, "");`,
    'let x = 0; for (let i = 0; i < 3e7; i++) x += Math.sqrt(i);',
    'const u = process.cpuUsage();',
    `const done = () => setTimeout(() => { console.log(u.user + u.system, b.length + (x > 0 ? 0 : 1)); }, ${holdMs});`,
    `const wait = () => (fs.readdirSync(${JSON.stringify(dir)}).length >= ${peers} ? done() : setTimeout(wait, 20));`,
    'wait();',
  ].join(' ');

describe('bench measure', () => {
  it('counts the CPU of grandchildren and the memory of the whole process tree', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-bench-measure-'));
    const script = child(dir, 2, 64, 1500);
    // sh -> two node processes in parallel; GNU time sees only sh.
    const cmd = `"${process.execPath}" -e '${script}' & "${process.execPath}" -e '${script}'; wait`;
    const r = await timed(cmd, [], { shell: true, sampleMs: 50 });
    const reported = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(Number));
    expect(reported).toHaveLength(2);
    const childCpu = reported.reduce((a, [us]) => a + (us ?? 0), 0) / 1e6;
    // The kernel's account of the tree includes each child's own account of itself
    // (less GNU time's rounding to hundredths of a second, for user and sys).
    expect(r.cpuSeconds).toBeGreaterThanOrEqual(childCpu - 0.02);
    expect(r.cpuSeconds).toBeCloseTo(r.userSeconds + r.sysSeconds, 5);
    fs.rmSync(dir, { recursive: true, force: true });
    // Both children held 64 MiB (touched) at once for 1.5 s: the tree sum sees both, the largest process one.
    expect(r.maxProcs).toBeGreaterThanOrEqual(3);
    expect(r.treeRssKiB).toBeGreaterThanOrEqual(2 * 64 * 1024);
    expect(r.treePssKiB).toBeGreaterThanOrEqual(2 * 64 * 1024);
    expect(r.rssKiB).toBeGreaterThanOrEqual(64 * 1024);
    expect(r.rssKiB).toBeLessThan(r.treeRssKiB);
    // Per kind of process (no script: the program's name): two node processes, each with its 64 MiB.
    expect(r.byRole.node?.count).toBe(2);
    expect(r.byRole.node?.rssKiB).toBeGreaterThanOrEqual(64 * 1024);
    const nodesAtPeak = r.atPeakPss.filter((p) => p.role === 'node');
    expect(nodesAtPeak).toHaveLength(2);
    for (const p of nodesAtPeak) expect(p.pssKiB).toBeGreaterThanOrEqual(64 * 1024);
  });

  it('rejects a command that fails, with its status', async () => {
    await expect(timed('sh', ['-c', 'exit 3'])).rejects.toThrow(/exited 3/);
  });
});
