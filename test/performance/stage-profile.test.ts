import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CpuProfile, ProfileNode } from '../../bench/stage-profile.mjs';
import { attributeProfiles, loadStageMap, stageTable, stagesOfProfile } from '../../bench/stage-profile.mjs';

// The benchmark's stage attribution (bench/stage-profile.mjs + bench/stage-map.json), checked on
// profiles built in the layout V8 writes for --cpu-prof (Profiler.Profile: a call tree of nodes,
// one sampled node id per tick, microseconds between ticks).

const REPO = 'file:///home/u/evtriage';
const core = (p: string): string => `${REPO}/packages/core/dist/${p}`;
const parsers = (p: string): string => `${REPO}/packages/parsers/dist/${p}`;

interface Spec {
  fn: string;
  url?: string;
  ms?: number;
  children?: Spec[];
}

/** A profile whose node `spec` (and each descendant) was sampled for `ms` milliseconds, one tick per ms. */
function profileOf(root: Spec[]): CpuProfile {
  const nodes: ProfileNode[] = [];
  const samples: number[] = [];
  const add = (s: Spec): number => {
    const id = nodes.length + 1;
    const node: ProfileNode = { id, callFrame: { functionName: s.fn, url: s.url ?? '' }, children: [] };
    nodes.push(node);
    for (let i = 0; i < (s.ms ?? 0); i++) samples.push(id);
    node.children = (s.children ?? []).map(add);
    return id;
  };
  add({ fn: '(root)', children: root });
  // Sample i lasts until sample i+1: one extra tick so the last one counts too.
  samples.push(1);
  const timeDeltas = samples.map(() => 1000);
  return { nodes, samples, timeDeltas, startTime: 0, endTime: samples.length * 1000 };
}

const rules = loadStageMap();
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function stageByFunction(profile: CpuProfile): Map<string, string> {
  const stageOf = stagesOfProfile(profile, rules);
  return new Map(profile.nodes.map((n) => [n.callFrame.functionName, stageOf(n.id)]));
}

describe('stage attribution', () => {
  it('gives a native call the stage of its caller, and stream plumbing the stage of the code that wrote', () => {
    const stages = stageByFunction(
      profileOf([
        { fn: 'detectSqlite', url: parsers('detectors/sqlite.js'), children: [{ fn: 'indexOf' }] },
        {
          fn: 'writeItem',
          url: core('writers/ndjson.js'),
          children: [{ fn: 'Writable.write', url: 'node:internal/streams/writable', children: [{ fn: 'stringify' }] }],
        },
      ]),
    );
    expect(stages.get('indexOf')).toBe('detectors');
    expect(stages.get('Writable.write')).toBe('writers (manifest)');
    expect(stages.get('stringify')).toBe('writers (manifest)');
  });

  it('splits zlib by caller and fs by call', () => {
    const stages = stageByFunction(
      profileOf([
        {
          fn: 'compressionRatio',
          url: core('stats/randomness.js'),
          children: [{ fn: 'deflateRawSync', url: 'node:zlib', children: [{ fn: 'writeSync' }] }],
        },
        {
          fn: 'inflateMember',
          url: core('pipeline/containers.js'),
          children: [{ fn: 'processChunk', url: 'node:zlib' }],
        },
        { fn: 'walk', url: core('sources/folder.js'), children: [{ fn: 'readdirSync', url: 'node:fs' }] },
        { fn: 'one', url: '[worker eval]', children: [{ fn: 'readSync', url: 'node:fs', children: [{ fn: 'read' }] }] },
        {
          fn: 'WriteStream._write',
          url: 'node:internal/fs/streams',
          children: [{ fn: 'writeAll', url: 'node:internal/fs/streams' }],
        },
      ]),
    );
    expect(stages.get('deflateRawSync')).toBe("zlib: statistics' deflate sample");
    expect(stages.get('writeSync')).toBe("zlib: statistics' deflate sample");
    expect(stages.get('compressionRatio')).toBe('statistics');
    expect(stages.get('processChunk')).toBe('zlib: inflate (containers, parsers)');
    expect(stages.get('readdirSync')).toBe('fs: walk (readdir, lstat, stat)');
    expect(stages.get('read')).toBe('fs: open, read, fstat, close');
    expect(stages.get('one')).toBe('worker loop');
    expect(stages.get('writeAll')).toBe('fs: writes (manifest)');
  });

  it('counts code run while a module loads as startup, whatever module it is in', () => {
    const stages = stageByFunction(
      profileOf([
        {
          fn: 'ModuleJob.run',
          url: 'node:internal/modules/esm/module_job',
          children: [
            { fn: 'object', url: `${REPO}/node_modules/.pnpm/zod@4.1.0/node_modules/zod/v4/classic/schemas.js` },
          ],
        },
        { fn: 'safeParse', url: `${REPO}/node_modules/.pnpm/zod@4.1.0/node_modules/zod/v4/classic/parse.js` },
      ]),
    );
    expect(stages.get('object')).toBe('startup (module loading)');
    expect(stages.get('safeParse')).toBe('plugin contract (validation)');
  });

  it('matches sources as well as builds, and leaves plumbing with no caller to the event loop', () => {
    const stages = stageByFunction(
      profileOf([
        { fn: 'probe', url: 'file:///x/packages/core/src/pipeline/probe.ts' },
        {
          fn: 'processTicksAndRejections',
          url: 'node:internal/process/task_queues',
          children: [{ fn: 'runMicrotasks' }],
        },
      ]),
    );
    expect(stages.get('probe')).toBe('probe (reads)');
    expect(stages.get('runMicrotasks')).toBe('event loop (async plumbing)');
  });
});

describe('stage table', () => {
  it('sums every profile in a folder and shares the measured CPU by non-idle sampled time', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-test-'));
    dirs.push(dir);
    // Main thread: 30 ms detectors, 10 ms GC, 60 ms idle. Worker: 40 ms in the deflate sample, 20 ms parsers.
    const main = profileOf([
      { fn: 'detect', url: parsers('detectors/x.js'), ms: 30 },
      { fn: '(garbage collector)', ms: 10 },
      { fn: '(idle)', ms: 60 },
    ]);
    const worker = profileOf([
      { fn: 'ratio', url: core('stats/randomness.js'), children: [{ fn: 'deflateRawSync', url: 'node:zlib', ms: 40 }] },
      { fn: 'parse', url: parsers('parsers/sqlite.js'), ms: 20 },
    ]);
    fs.writeFileSync(path.join(dir, 'CPU.1.0.cpuprofile'), JSON.stringify(main));
    fs.writeFileSync(path.join(dir, 'CPU.1.1.cpuprofile'), JSON.stringify(worker));
    fs.writeFileSync(path.join(dir, 'manifest.ndjson'), '{}\n');

    const a = attributeProfiles(dir, rules);
    expect(a.profiles).toBe(2);
    expect(a.ms.get('detectors')).toBe(30);
    expect(a.ms.get('idle')).toBe(60);
    expect(a.ms.get("zlib: statistics' deflate sample")).toBe(40);

    // 100 ms busy in the profiles; the kernel measured 2 s of CPU for 1,000 items.
    const t = stageTable(a, { items: 1000, cpuSeconds: 2 });
    expect(t.busyMs).toBe(100);
    expect(t.cpuUsPerItem).toBe(2000);
    const row = (s: string) => t.rows.find((r) => r.stage === s);
    expect(row('detectors')?.share).toBeCloseTo(0.3);
    expect(row('detectors')?.cpuUsPerItem).toBeCloseTo(600);
    expect(row('gc')?.cpuUsPerItem).toBeCloseTo(200);
    expect(row('parsers')?.cpuUsPerItem).toBeCloseTo(400);
    expect(row('idle')?.cpuUsPerItem).toBe(0);
    expect(t.rows.at(-1)?.stage).toBe('idle');
  });
});
