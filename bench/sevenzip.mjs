/**
 * 7-Zip opener benchmark (packages/parsers/src/sevenzip/), runnable alone after a build:
 *   node bench/sevenzip.mjs [--members 10000] [--big-mb 200]
 * Generates (once, cached in bench/.data/sevenzip/) with `7zz` (Debian package 7zip): a solid 7z of many small
 * files of mixed content, and a 7z of one large file (half text, half random), then measures, each in a child
 * process of its own under GNU time (wall, user+system CPU, peak RSS of the largest process):
 * - instantiate: starting 7-Zip's WebAssembly module in this thread (the cost a new thread pays first);
 * - opener: the opener alone, every member extracted and read whole, then released (no detectors);
 * - scan: `evtriage scan <archive>` (the archive as the source: opener + the whole pipeline, no hashing);
 * - floor: `7zz x -so <archive> > /dev/null`, 7-Zip's native build decoding the same archive.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { opt } from './options.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const MEMBERS = Number(opt('--members', 10000));
const BIG_MB = Number(opt('--big-mb', 200));
const DATA = path.join(here, '.data', 'sevenzip');
const scenario = opt('--scenario', '');
const parsersDist = path.join(repo, 'packages/parsers/dist/sevenzip/sevenzip-container.js');
const coreDist = path.join(repo, 'packages/core/dist/index.js');

/** The child side: one scenario, its own process. */
if (scenario === 'instantiate') {
  const { createRequire } = await import('node:module');
  const SevenZip = createRequire(path.join(repo, 'packages/parsers/package.json'))('7z-wasm');
  const t = performance.now();
  await SevenZip({ print: () => undefined, printErr: () => undefined, stdin: () => null });
  const first = performance.now() - t;
  const t2 = performance.now();
  for (let i = 0; i < 10; i++) await SevenZip({ print: () => undefined, printErr: () => undefined, stdin: () => null });
  process.stdout.write(JSON.stringify({ firstMs: first, nextMs: (performance.now() - t2) / 10 }) + '\n');
  process.exit(0);
}
if (scenario === 'opener') {
  const { sevenZipContainer } = await import(parsersDist);
  const { DEFAULT_LIMITS } = await import(coreDist);
  const file = opt('--file', '');
  const item = { path: file, errors: [], classification: { reasons: [] }, format: { id: '7z' } };
  const budget = { expanded: 0, take: () => true };
  const t = performance.now();
  const source = await sevenZipContainer.open(
    { path: path.basename(file), kind: 'file', size: fs.statSync(file).size, times: {}, depth: 0, localPath: file },
    item,
    { limits: { ...DEFAULT_LIMITS, maxExpansionRatio: Infinity }, budget, depth: 1 },
  );
  const listed = performance.now() - t;
  let members = 0;
  let bytes = 0;
  for await (const e of source.entries()) {
    if (e.open) {
      const r = await e.open();
      for (let pos = 0; pos < r.size;) {
        const b = await r.read(pos, Math.min(4 << 20, r.size - pos));
        if (!b.length) break;
        pos += b.length;
        bytes += b.length;
      }
      await r.close();
    }
    e.release?.();
    members++;
  }
  await source.close();
  process.stdout.write(JSON.stringify({ listMs: listed, totalMs: performance.now() - t, members, bytes }) + '\n');
  process.exit(0);
}

function generate() {
  fs.mkdirSync(DATA, { recursive: true });
  const small = path.join(DATA, `small-${MEMBERS}.7z`);
  if (!fs.existsSync(small)) {
    const dir = fs.mkdtempSync(path.join(DATA, 'gen-'));
    let x = 1;
    for (let i = 0; i < MEMBERS; i++) {
      const sub = path.join(dir, `d${Math.floor(i / 500)}`);
      fs.mkdirSync(sub, { recursive: true });
      x = (x * 1103515245 + 12345) >>> 0;
      const size = 512 + (x % 3584);
      const kind = i % 4;
      const body =
        kind === 0
          ? Buffer.from(`note ${i}\n`.repeat(Math.ceil(size / 10))).subarray(0, size)
          : kind === 1
            ? crypto.randomBytes(size)
            : kind === 2
              ? Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(size, 0x20), Buffer.from('\n%%EOF\n')])
              : Buffer.from(JSON.stringify({ i, v: 'x'.repeat(size) }));
      fs.writeFileSync(path.join(sub, `f${i}.${['txt', 'bin', 'pdf', 'json'][kind]}`), body);
    }
    execFileSync('7zz', ['a', '-bd', '-bso0', '-bsp0', '-mx=5', small, '.'], { cwd: dir });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const big = path.join(DATA, `big-${BIG_MB}mb.7z`);
  if (!fs.existsSync(big)) {
    const dir = fs.mkdtempSync(path.join(DATA, 'gen-'));
    const fd = fs.openSync(path.join(dir, 'big.bin'), 'w');
    const text = Buffer.from(fs.readFileSync('/usr/share/common-licenses/GPL-3'));
    for (let mb = 0; mb < BIG_MB; mb++) {
      fs.writeSync(
        fd,
        mb % 2
          ? crypto.randomBytes(1 << 20)
          : Buffer.concat(Array(Math.ceil((1 << 20) / text.length)).fill(text)).subarray(0, 1 << 20),
      );
    }
    fs.closeSync(fd);
    execFileSync('7zz', ['a', '-bd', '-bso0', '-bsp0', '-mx=1', big, 'big.bin'], { cwd: dir });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { small, big };
}

/** Runs a command under GNU time: wall s, CPU s (user+system, children included), peak RSS MiB, stdout. */
function measure(cmd, cmdArgs, stdoutFile) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...cmdArgs], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', stdoutFile ? fs.openSync(stdoutFile, 'w') : 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
  });
  const last = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return {
    wallS: last[0],
    cpuS: +(last[1] + last[2]).toFixed(2),
    peakRssMiB: Math.round(last[3] / 1024),
    out: r.stdout,
  };
}

const { small, big } = generate();
const results = {};
results.instantiate = JSON.parse(
  measure(process.execPath, [fileURLToPath(import.meta.url), '--scenario', 'instantiate']).out,
);
for (const [name, file] of [
  ['small', small],
  ['big', big],
]) {
  const opener = measure(process.execPath, [fileURLToPath(import.meta.url), '--scenario', 'opener', '--file', file]);
  const scan = measure(process.execPath, [
    'packages/cli/dist/bin.js',
    'scan',
    file,
    '-o',
    '/dev/null',
    '-f',
    'ndjson',
    '-q',
  ]);
  const floor = measure('7zz', ['x', '-so', file], '/dev/null');
  results[name] = {
    archiveBytes: fs.statSync(file).size,
    opener: { ...opener, ...JSON.parse(opener.out), out: undefined },
    scan: { ...scan, out: undefined },
    floor7zz: { ...floor, out: undefined },
  };
}
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
